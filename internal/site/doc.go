// Package site serves the public, reader-facing site: home, articles,
// archives, feeds, sitemaps, robots.txt, media and theme files.
//
// Handlers read through store.Store and hand typed views to render; they
// never write.
package site
