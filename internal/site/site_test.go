package site_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"folio/internal/cache"
	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/render"
	"folio/internal/site"
	"folio/internal/store"
	"folio/internal/store/sqlite"
	"folio/internal/store/sqlite/sqlitetest"
	"folio/internal/urls"
)

var fixedNow = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// fixture is a store with a cached site and an uncached one over it, and
// the editorial service wired to invalidate the cache, as in folio serve.
type fixture struct {
	st      store.Store
	db      *sqlite.DB
	offset  atomic.Int64 // the clock's distance from fixedNow, in nanoseconds
	svc     *editorial.Service
	cache   *cache.Cache
	cached  http.Handler
	fresh   http.Handler
	site    *site.Site
	authors []*content.Author
	terms   []*content.Term
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := newEmptyFixture(t)
	svc := f.svc
	for i, name := range []string{"Leyla Hosseini", "Omar Farid", "Ana Ruiz"} {
		a := &content.Author{Name: name, Bio: fmt.Sprintf("Bio %d.", i)}
		if err := svc.System("test").CreateAuthor(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		f.authors = append(f.authors, a)
	}
	for _, tt := range []struct {
		kind content.TermKind
		name string
	}{{content.KindRegion, "Iran"}, {content.KindRegion, "Central Asia"}, {content.KindTheme, "Water"},
		{content.KindTheme, "Energy"}, {content.KindDossier, "Amu Darya"}, {content.KindTag, "dams"}} {
		term := &content.Term{Kind: tt.kind, Name: tt.name, Active: tt.kind == content.KindDossier}
		if err := svc.System("test").CreateTerm(context.Background(), term); err != nil {
			t.Fatal(err)
		}
		f.terms = append(f.terms, term)
	}
	return f
}

// newEmptyFixture is newFixture with settings only: no authors or terms.
func newEmptyFixture(t *testing.T) *fixture {
	t.Helper()
	st := sqlitetest.New(t)
	rnd, err := render.New(render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := cache.New(64 << 20)
	f := &fixture{st: st, db: st, cache: c}
	clock := func() time.Time { return fixedNow.Add(time.Duration(f.offset.Load())) }
	svc := editorial.New(st, editorial.WithClock(clock), editorial.OnChange(func(ev key.Event) { c.Invalidate(ev.Keys...) }))
	f.svc = svc
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	settings := content.DefaultSettings()
	settings.Title = "The Test Review"
	settings.BaseURL = "https://review.example"
	settings.Languages = []string{"en", "fa"}
	settings.PerPage = 3
	if err := svc.System("test").UpdateSettings(context.Background(), &settings); err != nil {
		t.Fatal(err)
	}
	f.site = site.New(site.Config{Store: st, Renderer: rnd, Logger: log, Now: clock, Cache: c})
	mux := http.NewServeMux()
	f.site.Register(mux)
	f.cached = mux
	fresh := http.NewServeMux()
	site.New(site.Config{Store: st, Renderer: rnd, Logger: log, Now: clock}).Register(fresh)
	f.fresh = fresh
	return f
}

func get(h http.Handler, path string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// randomArticle builds an article with random authors and terms.
func (f *fixture) randomArticle(rng *rand.Rand, n int) *content.Article {
	a := &content.Article{
		Language:     []string{"en", "en", "fa"}[rng.IntN(3)],
		Title:        fmt.Sprintf("Dispatch %d on water %d", n, rng.IntN(1000)),
		BodyMarkdown: fmt.Sprintf("Paragraph *%d*.", rng.IntN(1000)),
		Status:       content.StatusPublished,
		Featured:     rng.IntN(4) == 0,
		PublishedAt:  fixedNow.Add(-time.Duration(rng.IntN(1000)) * time.Hour),
	}
	for _, i := range rng.Perm(len(f.authors))[:1+rng.IntN(2)] {
		a.Authors = append(a.Authors, f.authors[i])
	}
	for _, i := range rng.Perm(len(f.terms))[:rng.IntN(3)] {
		a.Terms = append(a.Terms, f.terms[i])
	}
	return a
}

func TestCache_HTTP(t *testing.T) {
	f := newFixture(t)
	a := f.randomArticle(rand.New(rand.NewPCG(1, 2)), 1)
	a.Language = "en"
	a.BodyMarkdown = string(bytes.Repeat([]byte("Water policy in long form. "), 100))
	if err := f.svc.System("test").CreateArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	path := "/" + a.Slug + "/"
	first := get(f.cached, path)
	if first.Code != 200 || first.Header().Get("ETag") == "" || first.Header().Get("Last-Modified") == "" {
		t.Fatalf("first: %d %v", first.Code, first.Header())
	}
	if sk := first.Header().Get("Surrogate-Key"); !bytes.Contains([]byte(sk), []byte(key.Article(a.ID))) {
		t.Fatalf("Surrogate-Key %q lacks the article", sk)
	}
	if v := first.Header().Get("Vary"); v != "Accept-Encoding" {
		t.Fatalf("Vary %q", v)
	}
	if nm := get(f.cached, path, "If-None-Match", first.Header().Get("ETag")); nm.Code != 304 || nm.Body.Len() != 0 {
		t.Fatalf("If-None-Match: %d", nm.Code)
	}
	if gz := get(f.cached, path, "Accept-Encoding", "gzip"); gz.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip: %v", gz.Header())
	}
	if br := get(f.cached, path, "Accept-Encoding", "gzip, br"); br.Header().Get("Content-Encoding") != "br" {
		t.Fatalf("br: %v", br.Header())
	}
	r := httptest.NewRequest(http.MethodHead, path, nil)
	w := httptest.NewRecorder()
	f.cached.ServeHTTP(w, r)
	if w.Code != 200 || w.Body.Len() != 0 || w.Header().Get("Content-Length") == "" {
		t.Fatalf("HEAD: %d len %d %v", w.Code, w.Body.Len(), w.Header())
	}
	// An edit is visible at once, with a new ETag.
	a.Title = "A new headline"
	if err := f.svc.System("test").UpdateArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	second := get(f.cached, path)
	if !bytes.Contains(second.Body.Bytes(), []byte("A new headline")) || second.Header().Get("ETag") == first.Header().Get("ETag") {
		t.Fatal("edit not visible after the write returned")
	}
	// Missing pages and redirects are not cached.
	if nf := get(f.cached, "/nothing-here/"); nf.Code != 404 {
		t.Fatalf("404: %d", nf.Code)
	}
	for _, k := range f.cache.Keys() {
		if k == "/nothing-here/" {
			t.Fatal("404 cached")
		}
	}
}

// TestCache_ConcurrentReadsAndWrites hammers pages while articles change;
// once a write has returned, every later read shows it.
func TestCache_ConcurrentReadsAndWrites(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 7))
	a := f.randomArticle(rng, 0)
	a.Language = "en"
	a.Terms = []*content.Term{f.terms[0]}
	if err := f.svc.System("test").CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				get(f.cached, "/")
				get(f.cached, "/region/iran/")
				get(f.cached, "/feed.xml")
			}
		}()
	}
	for i := 0; i < 30; i++ {
		a.Title = fmt.Sprintf("Headline version %d", i)
		a.Slug = "stable-slug"
		if err := f.svc.System("test").UpdateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/", "/region/iran/", "/feed.xml", "/stable-slug/"} {
			if body := get(f.cached, p).Body.String(); !bytes.Contains([]byte(body), []byte(a.Title)) {
				t.Fatalf("version %d: %s still shows an old title", i, p)
			}
		}
	}
	close(stop)
	wg.Wait()
}

func TestLegacyQueryRedirect(t *testing.T) {
	f := newFixture(t)
	if err := f.st.PutRedirect(context.Background(), &content.Redirect{From: "/?p=10", To: "/new-home-of-ten/", Status: 301}); err != nil {
		t.Fatal(err)
	}
	get(f.cached, "/") // the home page is cached first
	if w := get(f.cached, "/?p=10"); w.Code != 301 || w.Header().Get("Location") != "/new-home-of-ten/" {
		t.Fatalf("/?p=10: %d %q", w.Code, w.Header().Get("Location"))
	}
	for _, p := range []string{"/?p=11", "/?p=x", "/?utm_source=feed"} {
		if w := get(f.cached, p); w.Code != 200 {
			t.Fatalf("%s: %d, want the home page", p, w.Code)
		}
	}
}

// TestOldAddressRedirect: an imported old permalink with a Persian slug is
// stored decoded (urls.OldPath) and answers 301 however the link escapes
// it, with or without its trailing slash, and with doubled slashes.
func TestOldAddressRedirect(t *testing.T) {
	f := newFixture(t)
	from := urls.OldPath("/2019/05/%D8%A2%D8%A8-%D9%88-%D8%B2%D9%85%DB%8C%D9%86/")
	if err := f.st.PutRedirect(context.Background(), &content.Redirect{From: from, To: "/ab-o-zamin/", Status: 301}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(f.site.CleanPaths(f.cached))
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, p := range []string{
		"/2019/05/%D8%A2%D8%A8-%D9%88-%D8%B2%D9%85%DB%8C%D9%86/",
		"/2019/05/%d8%a2%d8%a8-%d9%88-%d8%b2%d9%85%db%8c%d9%86/",
		"/2019/05/%D8%A2%D8%A8-%D9%88-%D8%B2%D9%85%DB%8C%D9%86",
		"//2019/05/%D8%A2%D8%A8-%D9%88-%D8%B2%D9%85%DB%8C%D9%86/",
		"/2019//05/%D8%A2%D8%A8-%D9%88-%D8%B2%D9%85%DB%8C%D9%86/",
	} {
		resp, err := client.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 301 || resp.Header.Get("Location") != "/ab-o-zamin/" {
			t.Errorf("%s: %d %q, want 301 to /ab-o-zamin/", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
}
