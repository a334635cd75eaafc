package site

import (
	"net/http"
	"strings"
)

// CleanPaths answers paths with doubled slashes ("//2019/05/slug/", a
// common mangling of shared links) before a ServeMux would: the mux's own
// clean-path redirect re-escapes an already escaped path, so a non-ASCII
// slug became a 404 two redirects later. An old address in the redirects
// table goes straight to its new home; any other such path gets one 301
// to the same path with the slashes closed up.
func (s *Site) CleanPaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw := r.URL.EscapedPath()
		if (r.Method != http.MethodGet && r.Method != http.MethodHead) || !strings.Contains(raw, "//") {
			next.ServeHTTP(w, r)
			return
		}
		if rd, err := s.findRedirect(r); err == nil && rd.To != "" {
			http.Redirect(w, r, rd.To, http.StatusMovedPermanently)
			return
		}
		for strings.Contains(raw, "//") {
			raw = strings.ReplaceAll(raw, "//", "/")
		}
		target := raw // still escaped as the request had it
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
	})
}
