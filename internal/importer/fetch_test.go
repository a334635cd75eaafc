package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"testing"
)

func imageServer(t *testing.T) *httptest.Server {
	t.Helper()
	png, err := os.ReadFile("testdata/ghost-images/2023/04/river-delta.png")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/content/images/river.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(png)
		case "/page.html":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<p>not an image</p>"))
		case "/huge.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(bytes.Repeat([]byte{1}, 4096))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestFetcher(t *testing.T) {
	srv := imageServer(t)
	ctx := context.Background()
	t.Run("PrivateAddressRefused", func(t *testing.T) {
		f := &Fetcher{}
		if _, _, err := f.Get(ctx, srv.URL+"/content/images/river.png"); !errors.Is(err, ErrBlockedAddress) {
			t.Fatalf("loopback fetch: err = %v, want ErrBlockedAddress", err)
		}
		for _, u := range []string{"file:///etc/passwd", "ftp://example.org/a.png", "http://169.254.169.254/latest/meta-data/", "http://[::1]:9/"} {
			if _, _, err := f.Get(ctx, u); err == nil {
				t.Errorf("%s fetched", u)
			}
		}
	})
	t.Run("Limits", func(t *testing.T) {
		f := &Fetcher{AllowPrivate: true, MaxBytes: 1024}
		if _, _, err := f.Get(ctx, srv.URL+"/page.html"); err == nil || !strings.Contains(err.Error(), "not an image") {
			t.Errorf("html page: %v", err)
		}
		if _, _, err := f.Get(ctx, srv.URL+"/huge.png"); err == nil || !strings.Contains(err.Error(), "limit") {
			t.Errorf("oversized: %v", err)
		}
		if _, _, err := f.Get(ctx, srv.URL+"/missing.png"); err == nil {
			t.Error("404 fetched")
		}
	})
	t.Run("Addresses", func(t *testing.T) {
		for a, want := range map[string]bool{"93.184.216.34": true, "2606:2800:220:1::1": true, "127.0.0.1": false, "10.1.2.3": false,
			"172.16.0.1": false, "192.168.1.1": false, "169.254.169.254": false, "100.64.0.1": false, "::1": false,
			"fe80::1": false, "fc00::1": false, "::ffff:127.0.0.1": false, "0.0.0.0": false} {
			if got := publicAddr(netip.MustParseAddr(a)); got != want {
				t.Errorf("publicAddr(%s) = %v, want %v", a, got, want)
			}
		}
	})
	t.Run("Import", func(t *testing.T) {
		s := newSite(t)
		export := fmt.Sprintf(`{"meta":{"version":"5.0.0"},"data":{"posts":[{"id":"p1","title":"Fetched","slug":"fetched",
			"status":"published","published_at":"2024-01-01T00:00:00.000Z","feature_image":%q,
			"html":"<p>Inline:</p><img src=\"%s/content/images/river.png\" alt=\"River\"><img src=\"%s/gone.png\">"}]}}`,
			srv.URL+"/content/images/river.png", srv.URL, srv.URL)
		opt := s.opts()
		opt.Uploads = ""
		opt.Fetch = &Fetcher{AllowPrivate: true}
		rep, err := ImportGhost(context.Background(), strings.NewReader(export), opt)
		if err != nil {
			t.Fatal(err)
		}
		a := s.article(t, "en", "fetched")
		if a.Image == nil || a.Image.MediaID == 0 {
			t.Errorf("featured image not fetched: %+v", a.Image)
		}
		if c := rep.Counts[kindMedia]; c == nil || c.Created != 1 || c.Skipped != 1 {
			t.Errorf("media counts %+v: want the river fetched once (featured and inline) and gone.png skipped", c)
		}
		if !strings.Contains(a.BodyHTML, `<img src="`+a.Image.URL+`" alt="River"`) || !hasWarning(rep, 1, "gone.png not fetched: HTTP 404") {
			t.Errorf("body %s\nwarnings %v", a.BodyHTML, rep.Warnings)
		}
	})
}
