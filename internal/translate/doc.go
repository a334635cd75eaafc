// Package translate owns machine translation: the Provider interface and
// its implementations (Apertium run locally, a LibreTranslate-compatible
// HTTP API, DeepL), the Markdown segmenter that keeps structure, links,
// emphasis and code intact, the segment-level translation memory, and the
// Service that turns a source article into a translated one in the same
// translation group, flags translations outdated when their source changes,
// tells their translators, and reports per-article status for the admin.
//
// Articles are written only through internal/editorial, so every write
// invalidates the page cache like any other edit. The package must not
// import HTTP handler packages (site, admin, api).
package translate
