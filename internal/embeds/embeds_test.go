package embeds_test

import (
	"strings"
	"testing"

	"folio/internal/embeds"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		url, provider, src string
	}{
		{"https://www.youtube.com/watch?v=dQw4w9WgXcQ", "YouTube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"},
		{"https://youtu.be/dQw4w9WgXcQ?t=42", "YouTube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=42"},
		{"https://www.youtube.com/shorts/dQw4w9WgXcQ", "YouTube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"},
		{"https://vimeo.com/76979871", "Vimeo", "https://player.vimeo.com/video/76979871"},
		{"https://www.datawrapper.de/_/Ab3xY/", "Datawrapper", "https://datawrapper.dwcdn.net/Ab3xY/"},
		{"https://datawrapper.dwcdn.net/Ab3xY/2/", "Datawrapper", "https://datawrapper.dwcdn.net/Ab3xY/2/"},
		{"https://public.flourish.studio/visualisation/1234567/", "Flourish", "https://flo.uri.sh/visualisation/1234567/embed"},
		{"https://www.openstreetmap.org/#map=12/34.5553/69.2075", "OpenStreetMap",
			"https://www.openstreetmap.org/export/embed.html?bbox=69.09764%2C34.50037%2C69.31736%2C34.61023&layer=mapnik&marker=34.55530%2C69.20750"},
		{"https://x.com/user/status/1790000000000000000", "X", "https://platform.twitter.com/embed/Tweet.html?dnt=true&id=1790000000000000000"},
		{"https://twitter.com/user/status/17900", "X", "https://platform.twitter.com/embed/Tweet.html?dnt=true&id=17900"},
		{"https://bsky.app/profile/example.bsky.social/post/3kabcdefghi2x", "Bluesky",
			"https://embed.bsky.app/embed/example.bsky.social/app.bsky.feed.post/3kabcdefghi2x"},
		{"https://mastodon.social/@user/112233445566778899", "Mastodon", "https://mastodon.social/@user/112233445566778899/embed"},
		{"https://soundcloud.com/artist/track-name", "SoundCloud",
			"https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fartist%2Ftrack-name&visual=true&show_comments=false"},
		// Not embeds: other sites, other pages of the same sites, crafted input.
		{"https://example.org/watch?v=dQw4w9WgXcQ", "", ""},
		{"https://www.youtube.com/channel/UC123", "", ""},
		{"https://www.youtube.com/watch?v=%22%3E%3Cscript%3E", "", ""},
		{"https://evil.social/@user/1234", "", ""},
		{"javascript:alert(1)", "", ""},
		{"https://user:pw@vimeo.com/76979871", "", ""},
		{"https://www.openstreetmap.org/#map=12/99/69", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			e, ok := embeds.Match(tt.url)
			if ok != (tt.provider != "") || e.Provider != tt.provider || e.Src != tt.src {
				t.Fatalf("Match = %+v, %v; want %s %s", e, ok, tt.provider, tt.src)
			}
		})
	}
}

// TestProviders_Examples checks every provider's documented example embeds
// through one of its own prefixes.
func TestProviders_Examples(t *testing.T) {
	for _, p := range embeds.Providers {
		e, ok := embeds.Match(p.Example)
		if !ok || e.Provider != p.Name {
			t.Errorf("%s: example %s does not match (%+v)", p.Name, p.Example, e)
		}
	}
	if n := embeds.Names(); !strings.HasPrefix(n, "YouTube, Vimeo") || !strings.HasSuffix(n, " or SoundCloud") {
		t.Errorf("Names() = %q", n)
	}
}

func TestReason(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://www.youtube.com/channel/UC123", "it is a YouTube address, but only a video (youtube.com/watch?v=…"},
		{"https://vimeo.com/channels/staffpicks", "it is a Vimeo address, but only a video"},
		{"https://www.openstreetmap.org/way/123", "it is an OpenStreetMap address, but only a map view"},
		{"https://x.com/someone", "it is an X address, but only a post"},
		{"https://on.soundcloud.com/abc", "it is a SoundCloud address, but only a track or playlist"},
		{"https://mastodon.social/about", "only a Mastodon post"},
		{"https://social.example/@reporter/112233445566", "Mastodon posts embed only from mastodon.social, mastodon.online"},
		{"https://example.org/video/1", ""},
		{"https://www.youtube.com/watch?v=dQw4w9WgXcQ", ""}, // it embeds
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			got := embeds.Reason(tt.url)
			if (tt.want == "") != (got == "") || !strings.HasPrefix(got, tt.want) {
				t.Fatalf("Reason = %q, want it to start %q", got, tt.want)
			}
		})
	}
	// Every provider with a page site explains itself.
	for _, p := range embeds.Providers {
		if p.Name == "Mastodon" {
			continue
		}
		u := strings.SplitN(p.Example, "/", 4)
		if r := embeds.Reason(u[0] + "//" + u[2] + "/~/x"); !strings.Contains(r, p.Name) {
			t.Errorf("%s: another page of %s gets reason %q", p.Name, u[2], r)
		}
	}
}
