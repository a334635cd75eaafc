package importer

import (
	"regexp"
	"strings"

	"folio/internal/embeds"
)

var iframeSrc = regexp.MustCompile(`(?is)<iframe\b[^>]*\bsrc\s*=\s*["']([^"']+)["']`)

// embedAllowed reports whether h holds an iframe from a provider of the
// embeds allow-list (and so survives the sanitizer).
func embedAllowed(h string) bool {
	m := iframeSrc.FindStringSubmatch(h)
	if m == nil {
		return false
	}
	src := strings.TrimSpace(m[1])
	for _, p := range embeds.Prefixes() {
		if strings.HasPrefix(src, p) {
			return true
		}
	}
	return false
}
