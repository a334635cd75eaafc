// Package site serves the public, reader-facing site: home, articles,
// archives, feeds, sitemaps, robots.txt, media and theme files.
//
// Handlers read through store.Store and hand typed views to render; they
// never write.
//
// Languages: every one of the 51 interface languages (internal/i18n) is a
// path prefix, /{lang}/, whatever settings.Languages says; settings.Languages
// (with the default language) are the languages the site publishes in: they
// come first in the language menu, get per-language archives and are what the
// sitemaps cover. A language with nothing published shows, on its home page
// and archives, the default language's articles in its own interface, each
// card marked "In English" (in the page language); its links lead into the
// default language's archives so the site does not grow 51 copies of every
// archive. /{lang}/{slug}/ of an article that has no version in lang shows
// the original with a "not available in {language}" notice and a canonical
// link to the original, unless Config.OnDemand translates it. The language
// menu links an article's existing translations and otherwise the language
// home pages.
package site
