package urls

import (
	"net/url"
	"path"
	"strings"
	"unicode/utf8"
)

// OldPath is the form old addresses are stored and looked up in the
// redirects table: percent-decoded (so the case of escapes and which
// characters a crawler or a CMS chose to escape no longer matter), runs of
// slashes closed up, and a trailing slash added unless the last segment
// names a file ("feed.xml", "image.jpg"). The same old link written by
// WordPress as /2019/%D8%A2%D8%A8/, by a reader's browser as /2019/آب and
// by a mangled share as //2019/%d8%a2%d8%a8 gives one key.
//
// p may be escaped or not; a path whose escapes do not decode to UTF-8 is
// kept as written, apart from the slashes.
func OldPath(p string) string {
	if p == "" {
		return "/"
	}
	if d, err := url.PathUnescape(p); err == nil && utf8.ValidString(d) {
		p = d
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	if !strings.HasSuffix(p, "/") && !strings.Contains(path.Base(p), ".") {
		p += "/"
	}
	return p
}
