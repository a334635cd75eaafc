package site_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"folio/internal/cache"
	"folio/internal/content"
)

// TestRefresher_RerendersHotPages publishes an article while the home page
// is hot and checks that the home page is rendered again, with the new
// article, before any reader asks for it, in the coding readers used, and
// that it equals a fresh render.
func TestRefresher_RerendersHotPages(t *testing.T) {
	f := newFixture(t)
	r := f.site.NewRefresher()
	f.cache.OnDrop(r.Enqueue)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx, 2); close(done) }()
	defer func() { cancel(); <-done }()

	for range 5 {
		if w := get(f.cached, "/", "Accept-Encoding", "gzip"); w.Code != 200 {
			t.Fatalf("home: %d", w.Code)
		}
	}
	fills := f.cache.Stats().Fills
	a := f.randomArticle(rand.New(rand.NewPCG(3, 4)), 1)
	a.Language, a.Title, a.Status = "en", "Freshly published", content.StatusPublished
	if err := f.svc.System("test").CreateArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !hasKey(f.cache, "/") {
		if time.Now().After(deadline) {
			t.Fatal("home page not rendered again after the publish")
		}
		time.Sleep(time.Millisecond)
	}
	if got := f.cache.Stats().Fills; got <= fills {
		t.Fatalf("fills %d → %d: the home page was not rendered again", fills, got)
	}
	hits := f.cache.Stats().Hits
	w := get(f.cached, "/", "Accept-Encoding", "gzip")
	if s := f.cache.Stats(); s.Hits != hits+1 {
		t.Errorf("reader after the publish missed the cache: %+v", s)
	}
	if w.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("Content-Encoding %q", w.Header().Get("Content-Encoding"))
	}
	page, err := f.site.Page(context.Background(), "/")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page.Bytes(cache.Identity), []byte("Freshly published")) {
		t.Error("refreshed home page lacks the new article")
	}
	if fresh := get(f.fresh, "/"); !bytes.Equal(fresh.Body.Bytes(), page.Bytes(cache.Identity)) {
		t.Error("refreshed home page differs from a fresh render")
	}
}

func hasKey(c *cache.Cache, key string) bool {
	for _, k := range c.Keys() {
		if k == key {
			return true
		}
	}
	return false
}
