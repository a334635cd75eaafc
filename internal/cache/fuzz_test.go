package cache

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// FuzzWrite serves a page through the cache to a request with arbitrary
// Accept-Encoding, If-None-Match and If-Modified-Since headers. Whatever
// they say: the status is 200 or 304; a 200 body decodes, in the coding
// Content-Encoding names, to exactly the page; Content-Length is the
// length sent; the coding is one the client accepts when it accepts any;
// and Vary names Accept-Encoding.
func FuzzWrite(f *testing.F) {
	for _, s := range []string{"", "gzip", "br", "gzip;q=0.5, br;q=0.9", "identity;q=0", "*;q=0", "br;q=0, gzip;q=0",
		"x-gzip", "GZIP;Q=1", "br;q=1.0000", "br;q=abc", "*", "gzip, deflate, br, zstd", ",,,;;;q=", "br;q=0.001, identity;q=0"} {
		f.Add(s, "", "", "pages/article")
	}
	f.Add("gzip", `"abc"`, "", "x")
	f.Add("br", `W/"abc", *`, "Mon, 02 Jan 2006 15:04:05 GMT", "x")
	c := New(8 << 20)
	f.Fuzz(func(t *testing.T, ae, inm, ims, key string) {
		body := []byte(strings.Repeat("<p>"+key+"</p>\n", 50))
		p, err := c.Get(t.Context(), "/fuzz/"+strconv.Quote(key), func(context.Context) (*Page, error) {
			return &Page{ContentType: "text/html; charset=utf-8", Body: body, LastModified: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("GET", "/x", nil)
		for k, v := range map[string]string{"Accept-Encoding": ae, "If-None-Match": inm, "If-Modified-Since": ims} {
			if v != "" {
				r.Header.Set(k, v)
			}
		}
		w := httptest.NewRecorder()
		Write(w, r, p)
		res := w.Result()
		switch res.StatusCode {
		case http.StatusNotModified:
			if w.Body.Len() != 0 {
				t.Fatal("304 with a body")
			}
			return
		case http.StatusOK:
		default:
			t.Fatalf("status %d for Accept-Encoding %q", res.StatusCode, ae)
		}
		if !strings.Contains(strings.Join(res.Header.Values("Vary"), ","), "Accept-Encoding") {
			t.Fatalf("Vary = %q", res.Header.Values("Vary"))
		}
		if cl := res.Header.Get("Content-Length"); cl != strconv.Itoa(w.Body.Len()) {
			t.Fatalf("Content-Length %s for %d bytes", cl, w.Body.Len())
		}
		var got []byte
		switch ce := res.Header.Get("Content-Encoding"); ce {
		case "":
			got = w.Body.Bytes()
		case "gzip":
			zr, err := gzip.NewReader(bytes.NewReader(w.Body.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			got, err = io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
		case "br":
			got, err = io.ReadAll(brotli.NewReader(bytes.NewReader(w.Body.Bytes())))
			if err != nil {
				t.Fatal(err)
			}
		default:
			t.Fatalf("Content-Encoding %q", ce)
		}
		if !bytes.Equal(got, body) {
			t.Fatalf("body differs for Accept-Encoding %q (coding %q)", ae, res.Header.Get("Content-Encoding"))
		}
		if ce := res.Header.Get("Content-Encoding"); ce != "" && refuses(ae, ce) {
			t.Fatalf("sent %s to a client that refused it: %q", ce, ae)
		}
	})
}

// refuses reports whether an Accept-Encoding value names coding (x-gzip
// counts as gzip) only with q=0.
func refuses(ae, coding string) bool {
	named, accepted := false, false
	for part := range strings.SplitSeq(ae, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "x-gzip" {
			name = "gzip"
		}
		if name != coding {
			continue
		}
		named = true
		params = strings.ToLower(strings.ReplaceAll(params, " ", ""))
		q, ok := strings.CutPrefix(params, "q=")
		if v, err := strconv.ParseFloat(q, 64); !ok || err != nil || v != 0 {
			accepted = true
		}
	}
	return named && !accepted
}
