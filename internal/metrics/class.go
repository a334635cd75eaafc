package metrics

import "strings"

// Class names the kind of route a path belongs to. Labels must stay few:
// a label per path would let any crawler grow the series without bound.
func Class(path string) string {
	switch {
	case path == "/healthz" || path == "/readyz" || path == "/metrics":
		return "ops"
	case strings.HasPrefix(path, "/api/"):
		return "api"
	case path == "/admin" || strings.HasPrefix(path, "/admin/"):
		return "admin"
	case strings.HasPrefix(path, "/static/"):
		return "static"
	case strings.HasPrefix(path, "/media/"):
		return "media"
	case strings.HasSuffix(path, "/feed.xml") || strings.HasSuffix(path, "/atom.xml") || strings.HasSuffix(path, "/feed.json"):
		return "feed"
	case path == "/robots.txt" || (strings.HasPrefix(strings.TrimPrefix(path[strings.LastIndex(path, "/"):], "/"), "sitemap") &&
		strings.HasSuffix(path, ".xml")):
		return "sitemap"
	}
	return "page"
}
