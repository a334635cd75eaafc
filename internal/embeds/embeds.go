// Package embeds is the one allow-list of the third-party players, charts
// and maps an article body may embed in an <iframe>. The Markdown sanitizer
// keeps an iframe only when its source starts with one of the prefixes, and
// the Content-Security-Policy lets frames load only from their origins; both
// are derived from Providers, so they cannot drift apart.
//
// It imports nothing of Folio's.
package embeds

import "net/url"

// Provider is one embeddable service.
type Provider struct {
	Name   string // for editors: "YouTube", "Datawrapper"
	Prefix string // an iframe src must start with this
}

// Providers are the embeds newsrooms use: video, charts and maps.
var Providers = []Provider{
	{"YouTube (privacy-enhanced)", "https://www.youtube-nocookie.com/embed/"},
	{"YouTube", "https://www.youtube.com/embed/"},
	{"Vimeo", "https://player.vimeo.com/video/"},
	{"Datawrapper", "https://datawrapper.dwcdn.net/"},
	{"Flourish", "https://flo.uri.sh/"},
	{"OpenStreetMap", "https://www.openstreetmap.org/export/embed.html"},
}

// Prefixes returns the source prefixes the sanitizer allows.
func Prefixes() []string {
	out := make([]string, len(Providers))
	for i, p := range Providers {
		out[i] = p.Prefix
	}
	return out
}

// Origins returns the scheme://host of every provider, once each, in order:
// the frame-src of the Content-Security-Policy.
func Origins() []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range Providers {
		u, err := url.Parse(p.Prefix)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			panic("embeds: provider " + p.Name + " has no https origin: " + p.Prefix)
		}
		o := u.Scheme + "://" + u.Host
		if !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	return out
}
