package site_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// TestCache_CodingsEqualFreshRender renders real pages of every kind through
// the page cache, which keeps each page compressed in the coding of the
// request that rendered it and makes the others on demand, and checks that
// every coding a client can ask for decodes to exactly the bytes of a fresh,
// uncached render. Each page is first rendered in each coding in turn, so
// every primary coding (and the decode from it) is exercised.
func TestCache_CodingsEqualFreshRender(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(15, 15))
	var article string
	for i := range 5 {
		a := f.randomArticle(rng, i)
		a.Language = "en"
		a.Terms = append(a.Terms[:0:0], f.terms[0]) // region Iran
		a.BodyMarkdown = strings.Repeat("The river carries silt and argument downstream. ", 60)
		if err := f.svc.System("test").CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		article = "/" + a.Slug + "/"
	}
	encodings := []string{"", "gzip", "br"}
	for _, path := range []string{article, "/", "/region/iran/", "/feed.xml"} {
		fresh := get(f.fresh, path)
		if fresh.Code != 200 || fresh.Body.Len() < 1024 {
			t.Fatalf("fresh %s: %d, %d bytes", path, fresh.Code, fresh.Body.Len())
		}
		for _, first := range encodings {
			f.cache.Purge()
			fills := f.cache.Stats().Fills
			// The first request renders and stores the page in its coding;
			// the others are made from it. Two rounds, so that codings made
			// on demand and then kept are read back too.
			order := append([]string{first}, encodings...)
			for round := range 2 {
				for _, enc := range order {
					w := get(f.cached, path, "Accept-Encoding", enc)
					if w.Code != 200 {
						t.Fatalf("%s (first %q, %q): %d", path, first, enc, w.Code)
					}
					if got := w.Header().Get("Content-Encoding"); got != enc {
						t.Fatalf("%s (first %q): Content-Encoding %q, want %q", path, first, got, enc)
					}
					body := decodeBody(t, enc, w.Body.Bytes())
					if !bytes.Equal(body, fresh.Body.Bytes()) {
						t.Errorf("%s (first %q, round %d): %q coding decodes to %d bytes differing from the fresh render's %d",
							path, first, round, enc, len(body), fresh.Body.Len())
					}
				}
			}
			// The other codings come from the stored page, not from renders.
			if n := f.cache.Stats().Fills - fills; n != 1 {
				t.Errorf("%s (first %q): %d renders for %d requests, want 1", path, first, n, 2*len(order))
			}
		}
	}
}

// decodeBody undoes a response's Content-Encoding.
func decodeBody(tb testing.TB, enc string, b []byte) []byte {
	tb.Helper()
	var r io.Reader
	switch enc {
	case "":
		return b
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			tb.Fatalf("gzip: %v", err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(b))
	default:
		tb.Fatalf("unknown coding %q", enc)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		tb.Fatalf("decode %s: %v", enc, err)
	}
	return out
}
