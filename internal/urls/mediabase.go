package urls

import (
	"strings"
	"sync/atomic"
)

// mediaBase is the process's public media base URL; see SetMediaBase.
var mediaBase atomic.Pointer[string]

// SetMediaBase makes every Builder point media URLs ("/media/…") at base,
// a CDN or bucket URL such as "https://cdn.example.org/media"; "" serves
// them from this site. It is process configuration (serve's
// --media-base-url), set once at start, like the base URL of a node.
func SetMediaBase(base string) {
	base = strings.TrimRight(base, "/")
	mediaBase.Store(&base)
}

// MediaURL rewrites a path on this site's /media/ to the media base URL
// when one is set; anything else is returned as is. Stored image URLs keep
// the site path, so a change of CDN needs no rewrite of content.
func (b Builder) MediaURL(u string) string {
	p := mediaBase.Load()
	if p == nil || *p == "" || !strings.HasPrefix(u, "/media/") {
		return u
	}
	return *p + strings.TrimPrefix(u, "/media")
}
