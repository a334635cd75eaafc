package importer

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"folio/internal/render"
	pubsite "folio/internal/site"
)

// TestPersianOldAddresses: a Persian site with dated permalinks. After the
// import every old link of a published post answers 301 to its new
// address through the public site, however it is escaped, with or without
// its trailing slash, with doubled slashes; the old link of a post still
// in review answers 404 and its /?p= link does not name its slug.
func TestPersianOldAddresses(t *testing.T) {
	b, err := os.ReadFile("testdata/wp6-block.xml")
	if err != nil {
		t.Fatal(err)
	}
	const slug = "%d8%b3%db%8c%d8%a7%d8%b3%d8%aa-%d8%a2%d8%a8-%d8%af%d8%b1-%d9%87%d8%b1%d8%a7%d8%aa"
	const review = "%d9%85%d9%8a%d8%a7%d9%87-%d8%a7%d9%84%d8%b1%d9%8a"
	b = bytes.Replace(b, []byte("https://ab.example.org/"+slug+"/"), []byte("https://ab.example.org/1398/02/"+slug+"/"), 1)
	b = bytes.Replace(b, []byte("https://ab.example.org/"+review+"/"), []byte("https://ab.example.org/1398/03/"+review+"/"), 1)
	s := newSite(t)
	rep, err := ImportWordPress(context.Background(), bytes.NewReader(b), s.opts())
	if err != nil {
		t.Fatal(err)
	}
	rnd, err := render.New(render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := pubsite.New(pubsite.Config{Store: s.db, Renderer: rnd, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	mux := http.NewServeMux()
	st.Register(mux)
	srv := httptest.NewServer(st.CleanPaths(mux))
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(p string) (int, string) {
		t.Helper()
		resp, err := client.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Location")
	}
	_, loc := get("/1398/02/" + slug + "/")
	if !strings.EqualFold(loc, "/"+slug+"/") {
		t.Fatalf("old link → %q, want the article at /%s/ (report %+v)", loc, slug, rep.Warnings)
	}
	for _, p := range []string{
		"/1398/02/" + slug + "/",
		"/1398/02/" + strings.ToUpper(slug) + "/",
		"/1398/02/" + slug,
		"//1398/02/" + slug + "/",
		"/1398//02/" + strings.ToUpper(slug) + "/",
		"/1398/02/سیاست-آب-در-هرات/",
	} {
		if code, l := get(p); code != 301 || !strings.EqualFold(l, loc) {
			t.Errorf("%s: %d → %q, want 301 → %q", p, code, l, loc)
		}
	}
	if code, _ := get(loc); code != 200 {
		t.Errorf("new address %s: %d", loc, code)
	}
	if code, l := get("/1398/03/" + review + "/"); code != 404 {
		t.Errorf("old link of a post in review: %d → %q, want 404", code, l)
	}
	if code, l := get("/?p=211"); code == 301 || strings.Contains(l, "%") {
		t.Errorf("/?p= of a post in review: %d → %q", code, l)
	}
}
