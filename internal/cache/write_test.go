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

// testPage returns a prepared, compressible page.
func testPage(tb testing.TB) *Page {
	tb.Helper()
	c := New(0)
	return mustGet(tb, c, "/a/", func(context.Context) (*Page, error) {
		return &Page{
			ContentType:  html,
			Body:         articleHTML(20 << 10),
			LastModified: time.Date(2025, 3, 1, 10, 30, 15, 500, time.UTC),
			Deps:         []string{"article:12", "list:term:5", "settings", "bad key/é"},
			CacheControl: "public, max-age=60, s-maxage=300, stale-while-revalidate=86400",
		}, nil
	})
}

func serve(p *Page, method string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "/a/", nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	Write(w, r, p)
	return w
}

func TestWrite_Encoding(t *testing.T) {
	p := testPage(t)
	tag := strings.Trim(p.ETag, `"`)
	tests := []struct {
		accept []string // nil: no header
		want   string   // Content-Encoding
	}{
		{nil, ""},
		{[]string{""}, ""},
		{[]string{"gzip"}, "gzip"},
		{[]string{"x-gzip"}, "gzip"},
		{[]string{"gzip, deflate, br, zstd"}, "br"},
		{[]string{"GZIP, BR"}, "br"},
		{[]string{"br;q=0.8, gzip"}, "gzip"},
		{[]string{"br;q=0.5, gzip;q=0.5"}, "br"},
		{[]string{"gzip ; q=0.9", "br;q=0"}, "gzip"},
		{[]string{"br;q=0, gzip;q=0"}, ""},
		{[]string{"gzip;q=0.5, identity;q=1"}, ""},
		{[]string{"gzip;q=0.5, identity;q=0.5"}, "gzip"},
		{[]string{"identity;q=0"}, ""}, // nothing acceptable: send identity
		{[]string{"identity;q=0, gzip;q=0.1"}, "gzip"},
		{[]string{"*"}, "br"},
		{[]string{"*;q=0.5, br;q=0.1"}, "gzip"},
		{[]string{"*;q=0"}, ""},
		{[]string{"deflate"}, ""},
		{[]string{"gzip;q=nonsense, br"}, "br"},
		{[]string{"gzip;q=2"}, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.accept, "|"), func(t *testing.T) {
			var h []string
			for _, a := range tt.accept {
				h = append(h, "Accept-Encoding", a)
			}
			w := serve(p, http.MethodGet, h...)
			res := w.Result()
			if got := res.Header.Get("Content-Encoding"); got != tt.want {
				t.Fatalf("Content-Encoding = %q, want %q", got, tt.want)
			}
			if res.StatusCode != 200 {
				t.Errorf("status %d", res.StatusCode)
			}
			wantTag := map[string]string{"": tag, "gzip": tag + "-gz", "br": tag + "-br"}[tt.want]
			if got := res.Header.Get("ETag"); got != `"`+wantTag+`"` {
				t.Errorf("ETag = %s, want %q", got, wantTag)
			}
			if got, want := res.Header.Get("Content-Length"), strconv.Itoa(w.Body.Len()); got != want {
				t.Errorf("Content-Length = %s, body %s bytes", got, want)
			}
			if got := res.Header.Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary = %q", got)
			}
			if got := decode(t, tt.want, w.Body.Bytes()); !bytes.Equal(got, p.Bytes(Identity)) {
				t.Errorf("decoded body differs from Body (%d vs %d bytes)", len(got), len(p.Bytes(Identity)))
			}
		})
	}
}

func decode(tb testing.TB, coding string, b []byte) []byte {
	tb.Helper()
	var r io.Reader = bytes.NewReader(b)
	switch coding {
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			tb.Fatal(err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(r)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		tb.Fatalf("decode %s: %v", coding, err)
	}
	return out
}

func TestWrite_Headers(t *testing.T) {
	p := testPage(t)
	w := serve(p, http.MethodGet, "Accept-Encoding", "br")
	h := w.Result().Header
	want := map[string]string{
		"Content-Type":     html,
		"Content-Encoding": "br",
		"Last-Modified":    "Sat, 01 Mar 2025 10:30:15 GMT",
		"Cache-Control":    "public, max-age=60, s-maxage=300, stale-while-revalidate=86400",
		"Surrogate-Key":    "article:12 bad_key___ list:term:5 settings",
		"Vary":             "Accept-Encoding",
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}

	t.Run("VaryKept", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodGet, "/a/", nil)
		w := httptest.NewRecorder()
		w.Header().Set("Vary", "Accept")
		Write(w, r, p)
		if got := w.Header().Values("Vary"); strings.Join(got, ",") != "Accept,Accept-Encoding" {
			t.Errorf("Vary = %q", got)
		}
		w = httptest.NewRecorder()
		w.Header().Set("Vary", "accept-encoding")
		Write(w, r, p)
		if got := w.Header().Values("Vary"); len(got) != 1 {
			t.Errorf("Vary = %q, want no duplicate", got)
		}
	})

	t.Run("NoVariants", func(t *testing.T) {
		c := New(0)
		small := mustGet(t, c, "/s", static("<p>small</p>"))
		w := serve(small, http.MethodGet, "Accept-Encoding", "gzip, br")
		if h := w.Result().Header; h.Get("Vary") != "" || h.Get("Content-Encoding") != "" || h.Get("Surrogate-Key") != "" {
			t.Errorf("headers = %v", h)
		}
		if w.Body.String() != "<p>small</p>" || w.Header().Get("ETag") != small.ETag {
			t.Errorf("body %q, ETag %s", w.Body, w.Header().Get("ETag"))
		}
	})

	t.Run("Unprepared", func(t *testing.T) {
		raw := &Page{ContentType: "text/plain", Body: []byte("hello")}
		w := serve(raw, http.MethodGet, "Accept-Encoding", "gzip")
		res := w.Result()
		if res.StatusCode != 200 || w.Body.String() != "hello" || res.Header.Get("ETag") != etagOf(raw.Body) ||
			res.Header.Get("Content-Length") != "5" || res.Header.Get("Last-Modified") != "" {
			t.Errorf("status %d body %q headers %v", res.StatusCode, w.Body, res.Header)
		}
		if raw.ETag != "" || raw.meta != nil {
			t.Error("Write modified the page")
		}
	})

	t.Run("ErrorPage", func(t *testing.T) {
		c := New(0)
		nf := mustGet(t, c, "/gone/", func(context.Context) (*Page, error) {
			return &Page{Status: http.StatusNotFound, ContentType: html, Body: articleHTML(1000)}, nil
		})
		// "*" matches only a current representation, and 404 has none.
		for _, inm := range []string{"*", nf.ETag} {
			w := serve(nf, http.MethodGet, "If-None-Match", inm, "Accept-Encoding", "gzip")
			if w.Code != http.StatusNotFound || w.Body.Len() == 0 {
				t.Errorf("If-None-Match %s: status %d, %d body bytes", inm, w.Code, w.Body.Len())
			}
		}
	})
}

func TestWrite_Conditional(t *testing.T) {
	p := testPage(t)
	tag := strings.Trim(p.ETag, `"`)
	tests := []struct {
		name   string
		header []string
		want   int
	}{
		{"IdentityTag", []string{"If-None-Match", `"` + tag + `"`}, 304},
		{"GzipTag", []string{"If-None-Match", `"` + tag + `-gz"`, "Accept-Encoding", "gzip"}, 304},
		{"BrotliTag", []string{"If-None-Match", `"` + tag + `-br"`, "Accept-Encoding", "br"}, 304},
		// A tag of another variant still validates: same content, and a
		// proxy may have stored the other coding.
		{"OtherVariantTag", []string{"If-None-Match", `"` + tag + `-gz"`, "Accept-Encoding", "br"}, 304},
		{"WeakPrefix", []string{"If-None-Match", `W/"` + tag + `-br"`}, 304},
		{"List", []string{"If-None-Match", `"x", "y",` + `"` + tag + `"`}, 304},
		{"ListSecondHeader", []string{"If-None-Match", `"x"`, "If-None-Match", `"` + tag + `-br"`}, 304},
		{"Star", []string{"If-None-Match", "*"}, 304},
		{"OtherTag", []string{"If-None-Match", `"nope"`}, 200},
		{"Unquoted", []string{"If-None-Match", tag}, 200},
		{"TagPrefix", []string{"If-None-Match", `"` + tag[:10] + `"`}, 200},
		{"ModifiedSinceSame", []string{"If-Modified-Since", "Sat, 01 Mar 2025 10:30:15 GMT"}, 304},
		{"ModifiedSinceLater", []string{"If-Modified-Since", "Sun, 02 Mar 2025 00:00:00 GMT"}, 304},
		{"ModifiedSinceEarlier", []string{"If-Modified-Since", "Sat, 01 Mar 2025 10:30:14 GMT"}, 200},
		{"ModifiedSinceBad", []string{"If-Modified-Since", "yesterday"}, 200},
		// If-None-Match takes precedence over If-Modified-Since.
		{"TagMismatchDateMatch", []string{"If-None-Match", `"nope"`, "If-Modified-Since", "Sun, 02 Mar 2025 00:00:00 GMT"}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, method := range []string{http.MethodGet, http.MethodHead} {
				w := serve(p, method, tt.header...)
				res := w.Result()
				if res.StatusCode != tt.want {
					t.Fatalf("%s: status %d, want %d", method, res.StatusCode, tt.want)
				}
				if tt.want == 304 {
					if w.Body.Len() != 0 {
						t.Errorf("%s: 304 with %d body bytes", method, w.Body.Len())
					}
					for _, k := range []string{"ETag", "Vary", "Cache-Control"} {
						if res.Header.Get(k) == "" {
							t.Errorf("%s: 304 without %s", method, k)
						}
					}
					if res.Header.Get("Content-Length") != "" || res.Header.Get("Content-Encoding") != "" {
						t.Errorf("%s: 304 with entity headers %v", method, res.Header)
					}
				}
			}
		})
	}
}

func TestWrite_Head(t *testing.T) {
	p := testPage(t)
	for _, coding := range []string{"", "gzip", "br"} {
		get := serve(p, http.MethodGet, "Accept-Encoding", coding)
		head := serve(p, http.MethodHead, "Accept-Encoding", coding)
		if head.Code != 200 || head.Body.Len() != 0 {
			t.Errorf("%q: HEAD status %d with %d body bytes", coding, head.Code, head.Body.Len())
		}
		for _, k := range []string{"Content-Length", "Content-Type", "Content-Encoding", "ETag", "Vary", "Surrogate-Key", "Last-Modified", "Cache-Control"} {
			if g, h := get.Header().Get(k), head.Header().Get(k); g != h {
				t.Errorf("%q: %s: GET %q, HEAD %q", coding, k, g, h)
			}
		}
		if got, want := head.Header().Get("Content-Length"), strconv.Itoa(get.Body.Len()); got != want {
			t.Errorf("%q: HEAD Content-Length %s, GET body %s bytes", coding, got, want)
		}
	}
}

// TestWrite_Server checks the headers survive a real net/http server, which
// must not add chunking or sniff a content type.
func TestWrite_Server(t *testing.T) {
	p := testPage(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { Write(w, r, p) }))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.ContentLength != int64(len(p.Bytes(Gzip))) || !bytes.Equal(decode(t, "gzip", b), p.Bytes(Identity)) {
		t.Errorf("ContentLength %d, gzip %d bytes", res.ContentLength, len(p.Bytes(Gzip)))
	}
}
