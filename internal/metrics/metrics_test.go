package metrics_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"folio/internal/cache"
	"folio/internal/metrics"
	"folio/internal/store"
)

func TestClass(t *testing.T) {
	for path, want := range map[string]string{
		"/": "page", "/the-canal/": "page", "/fa/": "page", "/region/asia/": "page",
		"/feed.xml": "feed", "/fa/atom.xml": "feed", "/theme/water/feed.json": "feed",
		"/sitemap.xml": "sitemap", "/sitemap-news.xml": "sitemap", "/robots.txt": "sitemap",
		"/api/v1/articles": "api", "/admin/": "admin", "/admin": "admin", "/administer/": "page",
		"/static/site.css": "static", "/media/2026/01/a.webp": "media", "/readyz": "ops",
	} {
		if got := metrics.Class(path); got != want {
			t.Errorf("Class(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestMetrics_Scrape(t *testing.T) {
	c := cache.New(1 << 20)
	m := metrics.New(metrics.Sources{
		Cache:      c.Stats,
		QueueDepth: func(context.Context) (int, error) { return 3, nil },
		Pool:       func() store.PoolStats { return store.PoolStats{MaxOpen: 4, Open: 2, InUse: 1, Idle: 1} },
	})
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing/" {
			http.NotFound(w, r)
			return
		}
		_, _ = io.WriteString(w, "hello")
	}))
	for _, p := range []string{"/", "/", "/missing/", "/feed.xml"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", p, nil))
	}
	// One miss and one hit in the cache.
	fill := func(context.Context) (*cache.Page, error) {
		return &cache.Page{Status: 200, ContentType: "text/html", Body: []byte("<p>x</p>")}, nil
	}
	for range 2 {
		if _, err := c.Get(context.Background(), "/x/", fill); err != nil {
			t.Fatal(err)
		}
	}
	m.ObserveRender(3 * time.Millisecond)

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`folio_http_requests_total{class="page",code="200"} 2`,
		`folio_http_requests_total{class="page",code="404"} 1`,
		`folio_http_requests_total{class="feed",code="200"} 1`,
		`folio_http_request_duration_seconds_count{class="page"} 3`,
		`folio_cache_hits_total 1`,
		`folio_cache_misses_total 1`,
		`folio_cache_entries 1`,
		`folio_cache_evictions_total 0`,
		`folio_cache_budget_bytes 1.048576e+06`,
		`folio_render_seconds_count 1`,
		`folio_job_queue_depth 3`,
		`folio_db_pool_in_use_connections 1`,
		`folio_db_pool_max_connections 4`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("scrape:\n%s", body)
	}
}
