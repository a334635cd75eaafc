// Package render turns content into the public theme's HTML pages.
//
// Handlers (internal/site) load everything a page shows, build a typed view
// with the New*View converters and hand it to a Renderer. Templates only
// format what the view holds: they never query a store, and no view is a
// map. Templates and static files come from package web, embedded; files in
// Options.ThemeDir override them by relative name ("templates/partials/footer.html",
// "static/site.css").
//
// It imports content, urls and render/markdown (for the closing notices),
// never a store or an HTTP package. Feeds and sitemaps live in render/feed and
// render/sitemap.
package render
