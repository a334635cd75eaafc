package urls

import "testing"

func TestMediaBase(t *testing.T) {
	b := Builder{Base: "https://example.org"}
	t.Cleanup(func() { SetMediaBase("") })
	for _, tc := range []struct {
		base, in, media, abs string
	}{
		{"", "2026/11/a b.jpg", "/media/2026/11/a%20b.jpg", "https://example.org/media/2026/11/a%20b.jpg"},
		{"https://cdn.example.net/media/", "2026/11/a.jpg", "https://cdn.example.net/media/2026/11/a.jpg", "https://cdn.example.net/media/2026/11/a.jpg"},
		{"https://bucket.example.net", "x.w640.webp", "https://bucket.example.net/x.w640.webp", "https://bucket.example.net/x.w640.webp"},
	} {
		SetMediaBase(tc.base)
		if got := b.Media(tc.in); got != tc.media {
			t.Errorf("base %q: Media(%q) = %q, want %q", tc.base, tc.in, got, tc.media)
		}
		if got := b.Abs(b.Media(tc.in)); got != tc.abs {
			t.Errorf("base %q: Abs = %q, want %q", tc.base, got, tc.abs)
		}
		// Other paths stay on the site.
		if got := b.MediaURL("/static/site.css"); got != "/static/site.css" {
			t.Errorf("base %q: MediaURL(/static/site.css) = %q", tc.base, got)
		}
	}
}
