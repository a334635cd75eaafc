package sitemap

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// Robots writes robots.txt: one group for every crawler with a Disallow
// line per path prefix (e.g. "/admin/", "/api/"), then the sitemap index at
// baseURL + "/sitemap.xml" and the news sitemap. With no prefixes it writes an empty Disallow,
// which allows everything.
func Robots(w io.Writer, baseURL string, disallow []string) error {
	base := strings.TrimRight(baseURL, "/")
	if err := checkAbs(base); err != nil {
		return fmt.Errorf("sitemap: robots: base URL: %w", err)
	}
	var buf bytes.Buffer
	buf.WriteString("User-agent: *\n")
	if len(disallow) == 0 {
		buf.WriteString("Disallow:\n")
	}
	for _, p := range disallow {
		// A newline would let a setting inject rules of its own.
		if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\r\n#") {
			return fmt.Errorf("sitemap: robots: disallow %q must be a path starting with / on one line", p)
		}
		buf.WriteString("Disallow: " + p + "\n")
	}
	// The news sitemap is listed too: crawlers find it only when named.
	buf.WriteString("\nSitemap: " + base + "/sitemap.xml\nSitemap: " + base + "/sitemap-news.xml\n")
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("sitemap: write robots: %w", err)
	}
	return nil
}
