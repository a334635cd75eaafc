package site_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"folio/internal/cache"
	"folio/internal/cache/key"
	"folio/internal/changes"
	"folio/internal/demo"
	"folio/internal/editorial"
	"folio/internal/render"
	"folio/internal/search"
	"folio/internal/seed"
	"folio/internal/site"
	"folio/internal/store/sqlite/sqlitetest"
)

// searchSite is the demo publication served with its search index, as
// folio serve wires it.
type searchSite struct {
	h     http.Handler
	cache *cache.Cache
}

func newSearchSite(t *testing.T) *searchSite {
	t.Helper()
	ctx := context.Background()
	st := sqlitetest.New(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	c := cache.New(64 << 20)
	relay := changes.New(st, log, func(ev key.Event) { c.Invalidate(ev.Keys...) })
	svc := editorial.New(st, editorial.OnChange(relay.Publish))
	ds, err := demo.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Demo(ctx, svc, t.TempDir(), ds); err != nil {
		t.Fatal(err)
	}
	idx, err := search.Open(filepath.Join(t.TempDir(), search.DirName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = idx.Close() })
	f := &search.Follower{Index: idx, Store: st, Events: st, Log: log}
	if _, err := f.Repair(ctx); err != nil {
		t.Fatal(err)
	}
	rnd, err := render.New(render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	site.New(site.Config{Store: st, Renderer: rnd, Logger: log, Cache: c, Search: idx}).Register(mux)
	return &searchSite{h: mux, cache: c}
}

func (s *searchSite) get(t *testing.T, target, ip string) (*httptest.ResponseRecorder, *goquery.Document) {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	req.RemoteAddr = ip + ":1234"
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	d, err := goquery.NewDocumentFromReader(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatal(err)
	}
	return rec, d
}

func TestSearchPage(t *testing.T) {
	s := newSearchSite(t)

	t.Run("English", func(t *testing.T) {
		before := len(s.cache.Keys())
		rec, d := s.get(t, "/search/?q=water", "192.0.2.1")
		if rec.Code != 200 {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if rec.Header().Get("X-Robots-Tag") != "noindex" || !strings.Contains(rec.Header().Get("Cache-Control"), "private") {
			t.Errorf("headers %v", rec.Header())
		}
		if d.Find("meta[name=robots]").AttrOr("content", "") != "noindex" {
			t.Error("no robots noindex")
		}
		if d.Find(".search-hit a[href='/the-canal-that-rewrites-a-river/']").Length() != 1 {
			t.Errorf("canal article not among %d hits", d.Find(".search-hit").Length())
		}
		if d.Find(".search-hit__snippet mark").Length() == 0 {
			t.Error("no highlighted snippet")
		}
		if d.Find(".facet a[href*='theme=water']").Length() == 0 || d.Find(".facet a[lang=en]").Length() == 0 {
			t.Error("facets lack the water theme or English")
		}
		if got := len(s.cache.Keys()); got != before {
			t.Errorf("search filled the page cache: %d → %d entries", before, got)
		}
		// A second query is answered afresh, not from a cached first one.
		_, d2 := s.get(t, "/search/?q=election", "192.0.2.1")
		if d2.Find(".search-hit a[href='/the-canal-that-rewrites-a-river/']").Length() != 0 {
			t.Error("second query served the first one's results")
		}
	})
	t.Run("Persian", func(t *testing.T) {
		rec, d := s.get(t, "/fa/search/?q="+url.QueryEscape("آب"), "192.0.2.2")
		if rec.Code != 200 {
			t.Fatalf("status %d", rec.Code)
		}
		if d.Find("html").AttrOr("dir", "") != "rtl" || d.Find("html").AttrOr("lang", "") != "fa" {
			t.Error("Persian search page is not rtl/fa")
		}
		first := d.Find(".search-hit").First()
		if first.AttrOr("lang", "") != "" || !strings.Contains(first.Find("a").First().AttrOr("href", ""), "/fa/") {
			t.Errorf("first hit %q is not the Persian article", first.Find("a").First().AttrOr("href", ""))
		}
		if first.Find(".search-hit__snippet mark").Text() == "" {
			t.Error("no highlight in the Persian snippet")
		}
		if d.Find(".facet__heading").Length() == 0 {
			t.Error("no facets")
		}
	})
	t.Run("FilterAndTypo", func(t *testing.T) {
		_, d := s.get(t, "/search/?q=water&language=es", "192.0.2.3")
		if n := d.Find(".search-hit").Length(); n != 0 {
			t.Errorf("English word in Spanish found %d", n)
		}
		_, d = s.get(t, "/search/?q=glaciars", "192.0.2.3")
		if got := d.Find(".search__suggestion a").Text(); got != "glaciers" {
			t.Errorf("did you mean %q", got)
		}
	})
	t.Run("BadInput", func(t *testing.T) {
		rec, d := s.get(t, "/search/?q=water&page=0&year=soon", "192.0.2.4")
		if rec.Code != 400 {
			t.Fatalf("status %d", rec.Code)
		}
		msg := d.Find(".search__invalid").Text()
		if !strings.Contains(msg, "page") || !strings.Contains(msg, "year") {
			t.Errorf("message %q does not name page and year", msg)
		}
		if rec, _ := s.get(t, "/fa/search?q=x", "192.0.2.4"); rec.Code != 301 || rec.Header().Get("Location") != "/fa/search/?q=x" {
			t.Errorf("no slash: %d → %q", rec.Code, rec.Header().Get("Location"))
		}
		if rec, _ := s.get(t, "/xx-nope/search/?q=water", "192.0.2.4"); rec.Code != 404 {
			t.Errorf("unknown language: %d", rec.Code)
		}
	})
	t.Run("HeaderAndOpenSearch", func(t *testing.T) {
		_, d := s.get(t, "/", "192.0.2.5")
		if d.Find("header form.site-search[action='/search/']").Length() != 1 || d.Find("link[rel=search]").AttrOr("href", "") != "/opensearch.xml" {
			t.Error("home page lacks the search form or OpenSearch link")
		}
		rec, _ := s.get(t, "/opensearch.xml", "192.0.2.5")
		if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), render.OpenSearchType) ||
			!strings.Contains(rec.Body.String(), "/search/?q={searchTerms}") {
			t.Errorf("opensearch: %d %s %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		}
	})
	t.Run("RateLimit", func(t *testing.T) {
		var last int
		for range 40 {
			rec, _ := s.get(t, "/search/?q=dam", "192.0.2.9")
			last = rec.Code
		}
		if last != http.StatusTooManyRequests {
			t.Errorf("40 searches in a row: last status %d", last)
		}
		if rec, _ := s.get(t, "/search/?q=dam", "192.0.2.10"); rec.Code != 200 {
			t.Errorf("another client: %d", rec.Code)
		}
	})
}
