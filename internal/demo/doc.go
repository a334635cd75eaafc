// Package demo holds the demonstration publication that `folio serve --demo`
// loads on first start: The Meridian Review, an invented independent outlet
// covering Central and South Asia, Afghanistan, Iran, the South Caucasus and
// the Gulf. Its people, quotations and reporting are fictional; the texts are
// original to Folio.
//
// Load parses the embedded files under data/ into a Dataset, validating every
// item with its content Validate method and checking every cross-reference.
// Errors name the file and, where there is one, the line:
//
//	demo: articles/07-x.md line 3: unknown key "auhtor"
//
// # Files
//
//	data/site.txt          site settings and the notices that close articles
//	data/authors.txt       contributors
//	data/terms.txt         regions, themes, dossiers and tags
//	data/articles/NN-*.md  one article per file
//	data/l10n/{tag}.json   the publication's own texts in each other interface language
//	data/images/*.svg      illustrations and author portraits
//
// All files are UTF-8. Blank lines and lines starting with "#" are ignored
// everywhere except inside Markdown (notice blocks and article bodies).
// A value line is "key: value"; only the first colon separates, so values may
// contain colons, and a value wrapped in double quotes has them removed.
// Lists are comma-separated ("authors: a, b"). Links are "Label | URL".
// Times are RFC 3339 ("2026-11-24T07:30:00+04:30"). Booleans are true/false.
// A key may appear only once per record unless noted as repeatable.
//
// # site.txt
//
// First "key: value" lines: title, tagline, description, base_url,
// default_language, languages (list), time_zone, default_license, logo_url,
// contact_email, per_page, social (repeatable link), banner_kind,
// banner_text, banner_url, footer_menu (repeatable link) and
// translation.<lang>.<title|tagline|description>. Then the notices, each a
// Markdown block opened by a line "--- <name>" and running to the next such
// line or the end of the file. Names: note_to_readers, republishing_policy,
// disclaimer, fair_use, media_contact, membership_call.
//
// # authors.txt and terms.txt
//
// A sequence of records. Each opens with a header line and continues with
// "key: value" lines.
//
// Authors open with "--- <slug>"; keys: name, bio, email, photo (a file in
// data/images; Author.PhotoURL becomes Settings.BaseURL + MediaPrefix + file,
// because the content package requires an absolute photo URL) and link
// (repeatable).
//
// Terms open with "--- <kind> <slug>", kind being region, theme, dossier or
// tag; keys: name, description, active (dossiers shown on the home page) and
// name.<lang> for the term's name in another language.
//
// # Articles
//
// An article file opens with a "---" line, then front matter, then a closing
// "---" line, then the Markdown body:
//
//	---
//	title: The Canal That Rewrites a River
//	deck: One-sentence standfirst.
//	authors: zarmina-haqyar, ingrid-solvang
//	regions: afghanistan, central-asia
//	themes: water, climate
//	dossiers: water-wars-of-the-amu-darya
//	tags: qosh-tepa-canal, explainer
//	published: 2026-11-24T07:30:00+04:30
//	featured: true
//	license: community-crosspost
//	image: canal-desert.svg
//	image_alt: A straight canal cuts away from a winding river
//	---
//	Body in Markdown ...
//
// Keys: title, deck, excerpt, slug (default: the file name without its
// "NN-" prefix and ".md"), language (default: the site's default language),
// translation_of (slug of the original in the default language), authors,
// regions, themes, dossiers, tags, published, featured, license, source_url,
// source_name, image, image_alt, image_caption, image_credit and
// image_credit_url. Required: title, authors, published; image_alt whenever
// image is given. Articles are always StatusPublished. Term references are
// kept in kind order (regions, themes, dossiers, tags), each kind as listed.
// Slugs must be unique within a language.
//
// # l10n/{tag}.json
//
// One file per interface language other than the default, named by its tag
// (l10n/zh-Hans.json), holding the publication's own texts in it:
//
//	{"title": "…", "tagline": "…", "description": "…",
//	 "notices": {"note_to_readers": "Markdown …", …},
//	 "banner": "…",
//	 "menu": {"/about/": "label", …},
//	 "terms": {"region/afghanistan": {"name": "…", "description": "…"}, …},
//	 "authors": {"zarmina-haqyar": {"name": "transliteration", "bio": "…"}, …}}
//
// Menu labels are keyed by the URL of a footer_menu item of site.txt; terms
// by "kind/slug". Unknown keys, notices, URLs, terms and authors are errors,
// and so is a text given both here and inline (notice.<lang> blocks,
// name.<lang> keys), which the older format still accepts. Empty fields fall
// back to the default-language text, as on any site.
//
// Article images are served from MediaPrefix; Image.URL is MediaPrefix + the
// file name and Image.Width/Height come from the SVG's width and height.
package demo
