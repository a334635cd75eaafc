package embeds

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// pageHosts are the hosts whose pages a provider embeds, and what of them,
// so an editor who pasted another page of the same site learns which
// address to paste instead.
var pageHosts = map[string]struct {
	hosts []string
	what  string
}{
	"YouTube":       {[]string{"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}, "a video (youtube.com/watch?v=…, youtu.be/…, youtube.com/shorts/…)"},
	"Vimeo":         {[]string{"vimeo.com", "www.vimeo.com", "player.vimeo.com"}, "a video (vimeo.com/ and its number)"},
	"Datawrapper":   {[]string{"datawrapper.de", "www.datawrapper.de", "datawrapper.dwcdn.net"}, "a published chart (datawrapper.dwcdn.net/ID/ or datawrapper.de/_/ID/)"},
	"Flourish":      {[]string{"public.flourish.studio", "flo.uri.sh", "app.flourish.studio"}, "a published visualisation or story (public.flourish.studio/visualisation/ and its number)"},
	"OpenStreetMap": {[]string{"openstreetmap.org", "www.openstreetmap.org"}, "a map view (the address ending #map=zoom/latitude/longitude)"},
	"X":             {[]string{"x.com", "www.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com"}, "a post (x.com/name/status/ and its number)"},
	"Bluesky":       {[]string{"bsky.app"}, "a post (bsky.app/profile/name/post/…)"},
	"SoundCloud":    {[]string{"soundcloud.com", "www.soundcloud.com", "on.soundcloud.com"}, "a track or playlist (soundcloud.com/artist/track; short on.soundcloud.com links do not embed)"},
}

// mastodonPost is the path of a post on any Mastodon server.
var mastodonPost = regexp.MustCompile(`^/@[A-Za-z0-9_]{1,64}/[0-9]{1,25}/?$`)

// Reason says, in a phrase for the editor, why the pasted URL raw does not
// embed when it names a provider's site or looks like one's page; "" when
// it is simply another site's address.
func Reason(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	if _, ok := Match(raw); ok {
		return ""
	}
	host := strings.ToLower(u.Host)
	if u.User != nil {
		return "an address with a user name or password never embeds"
	}
	for _, p := range Providers {
		if ph, ok := pageHosts[p.Name]; ok && slices.Contains(ph.hosts, host) {
			return "it is " + article(p.Name) + " " + p.Name + " address, but only " + ph.what + " embeds"
		}
	}
	if slices.Contains(mastodonHosts, host) {
		return "only a Mastodon post (/@name/ and its number) embeds"
	}
	if mastodonPost.MatchString(u.Path) {
		return "Mastodon posts embed only from " + strings.Join(mastodonHosts, ", ") +
			" (the frames a reader's browser may load are listed in advance); a newsroom on another server adds it to internal/embeds"
	}
	return ""
}

// article is "an" before a name read with a vowel sound (an OpenStreetMap,
// an X), else "a".
func article(name string) string {
	if strings.ContainsRune("AEIOUX", rune(name[0])) {
		return "an"
	}
	return "a"
}
