package server_test

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"folio/internal/embeds"
	"folio/internal/render/markdown"
	"folio/internal/server"
)

// TestEmbeds_SanitizerAndCSPAgree checks that every iframe the sanitizer
// keeps may load under the Content-Security-Policy, and that the sanitizer
// drops frames from anywhere else.
func TestEmbeds_SanitizerAndCSPAgree(t *testing.T) {
	w := httptest.NewRecorder()
	server.WithSecurityHeaders(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})).
		ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	var frameSrc []string
	for _, d := range strings.Split(w.Header().Get("Content-Security-Policy"), ";") {
		if f := strings.Fields(d); len(f) > 0 && f[0] == "frame-src" {
			frameSrc = f[1:]
		}
	}
	if len(frameSrc) == 0 {
		t.Fatal("no frame-src in the Content-Security-Policy")
	}
	allowed := map[string]bool{}
	for _, o := range frameSrc {
		allowed[o] = true
	}
	check := func(name, src string) {
		out, err := markdown.ToHTML(`<iframe src="` + src + `" title="x"></iframe>`)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, `src="`+html.EscapeString(src)+`"`) {
			t.Errorf("%s: the sanitizer dropped %s: %s", name, src, out)
		}
		u, _ := url.Parse(src)
		if !allowed[u.Scheme+"://"+u.Host] {
			t.Errorf("%s: the CSP frame-src %v does not allow %s", name, frameSrc, src)
		}
	}
	for _, p := range embeds.Providers {
		for _, pre := range p.Prefixes {
			check(p.Name, pre+"abc123")
		}
		// What a pasted URL turns into loads too.
		e, ok := embeds.Match(p.Example)
		if !ok {
			t.Fatalf("%s: example %s is not an embed", p.Name, p.Example)
		}
		check(p.Name+" facade", e.Src)
	}
	for _, src := range []string{"https://evil.example/embed/x", "http://www.youtube.com/embed/x", "javascript:alert(1)"} {
		out, err := markdown.ToHTML(`<iframe src="` + src + `"></iframe>`)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out, "<iframe") {
			t.Errorf("the sanitizer kept a frame from %s: %s", src, out)
		}
	}
	if len(frameSrc) != len(embeds.Origins()) {
		t.Errorf("frame-src %v allows more than the embeds %v", frameSrc, embeds.Origins())
	}
}
