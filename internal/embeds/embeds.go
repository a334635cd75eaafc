// Package embeds is the one allow-list of the third-party players, charts,
// maps and posts an article body may embed in an <iframe>. The Markdown
// sanitizer keeps an iframe only when its source starts with one of the
// prefixes, a URL alone on its line becomes a click-to-load embed only when
// a provider recognises it, and the Content-Security-Policy lets frames
// load only from the prefixes' origins; all three are derived from
// Providers, so they cannot drift apart.
//
// It imports nothing of Folio's.
package embeds

import (
	"net/url"
	"strings"
)

// Provider is one embeddable service.
type Provider struct {
	Name string // for editors and readers: "YouTube", "Datawrapper"
	// Prefixes are the iframe sources the service is embedded from; an
	// iframe src must start with one of them.
	Prefixes []string
	// Example is a page URL as an editor pastes it, for the docs and tests.
	Example string
	// frame turns a page URL of the service into the iframe source that
	// embeds it, or "" when the URL is not one it embeds.
	frame func(u *url.URL) string
}

// Mastodon instances whose posts embed. Mastodon runs on thousands of
// servers, and a frame-src cannot name them all; these are the large
// general ones and those where journalists gather. A newsroom on another
// instance adds it here.
var mastodonHosts = []string{"mastodon.social", "mastodon.online", "mastodon.world", "mas.to", "mstdn.social",
	"journa.host", "newsie.social", "fosstodon.org", "hachyderm.io", "infosec.exchange"}

// Providers are the embeds newsrooms use: video, audio, charts, maps and
// social posts.
var Providers = []Provider{
	{Name: "YouTube", Prefixes: []string{"https://www.youtube-nocookie.com/embed/", "https://www.youtube.com/embed/"},
		Example: "https://www.youtube.com/watch?v=dQw4w9WgXcQ", frame: youtube},
	{Name: "Vimeo", Prefixes: []string{"https://player.vimeo.com/video/"},
		Example: "https://vimeo.com/76979871", frame: vimeo},
	{Name: "Datawrapper", Prefixes: []string{"https://datawrapper.dwcdn.net/"},
		Example: "https://datawrapper.dwcdn.net/Ab3xY/2/", frame: datawrapper},
	{Name: "Flourish", Prefixes: []string{"https://flo.uri.sh/"},
		Example: "https://public.flourish.studio/visualisation/1234567/", frame: flourish},
	{Name: "OpenStreetMap", Prefixes: []string{"https://www.openstreetmap.org/export/embed.html"},
		Example: "https://www.openstreetmap.org/#map=12/34.5553/69.2075", frame: openStreetMap},
	{Name: "X", Prefixes: []string{"https://platform.twitter.com/embed/Tweet.html"},
		Example: "https://x.com/user/status/1790000000000000000", frame: xPost},
	{Name: "Bluesky", Prefixes: []string{"https://embed.bsky.app/embed/"},
		Example: "https://bsky.app/profile/example.bsky.social/post/3kabcdefghi2x", frame: bluesky},
	{Name: "Mastodon", Prefixes: mastodonPrefixes(),
		Example: "https://mastodon.social/@user/112233445566778899", frame: mastodon},
	{Name: "SoundCloud", Prefixes: []string{"https://w.soundcloud.com/player/"},
		Example: "https://soundcloud.com/artist/track-name", frame: soundCloud},
}

func mastodonPrefixes() []string {
	out := make([]string, len(mastodonHosts))
	for i, h := range mastodonHosts {
		out[i] = "https://" + h + "/@"
	}
	return out
}

// Prefixes returns the source prefixes the sanitizer allows.
func Prefixes() []string {
	var out []string
	for _, p := range Providers {
		out = append(out, p.Prefixes...)
	}
	return out
}

// Names lists the providers for a message to editors: "YouTube, Vimeo … or SoundCloud".
func Names() string {
	names := make([]string, len(Providers))
	for i, p := range Providers {
		names[i] = p.Name
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Origins returns the scheme://host of every prefix, once each, in order:
// the frame-src of the Content-Security-Policy.
func Origins() []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range Providers {
		for _, pre := range p.Prefixes {
			u, err := url.Parse(pre)
			if err != nil || u.Scheme != "https" || u.Host == "" {
				panic("embeds: provider " + p.Name + " has no https origin: " + pre)
			}
			o := u.Scheme + "://" + u.Host
			if !seen[o] {
				seen[o] = true
				out = append(out, o)
			}
		}
	}
	return out
}

// Embed is a page URL recognised as embeddable.
type Embed struct {
	Provider string // Provider.Name
	Src      string // the iframe source, one of the provider's prefixes
	URL      string // the page URL as pasted, the link without JavaScript
}

// Match returns the embed for a page URL an editor pasted, or false when no
// provider embeds it. Only https (and http, upgraded) URLs match.
func Match(raw string) (Embed, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return Embed{}, false
	}
	u.Host = strings.ToLower(u.Host)
	for _, p := range Providers {
		if src := p.frame(u); src != "" && allowed(p, src) {
			return Embed{Provider: p.Name, Src: src, URL: raw}, true
		}
	}
	return Embed{}, false
}

// allowed double-checks that a built source is under the provider's
// prefixes, so Match can never produce what the sanitizer and CSP refuse.
func allowed(p Provider, src string) bool {
	for _, pre := range p.Prefixes {
		if strings.HasPrefix(src, pre) {
			return true
		}
	}
	return false
}
