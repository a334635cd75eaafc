package site

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"folio/internal/cache"
)

// Refresher renders again, in the background, the hot pages an invalidation
// dropped (the home page, a region, the feed after a publish), so that the
// next reader finds them ready instead of waiting for a render. It hears of
// them from the cache's OnDrop hook, right after the write that dropped
// them committed; renders go through the cache like any request, so one
// started after the invalidation is never stale, and a reader who arrives
// first simply shares it.
type Refresher struct {
	site *Site
	work chan cache.Dropped

	mu     sync.Mutex
	queued map[string]bool // keys waiting, so a burst of writes queues a page once
}

// refreshQueue bounds the pages waiting; past it, drops are ignored and the
// pages render on their next request, as without a refresher.
const refreshQueue = 256

// NewRefresher returns a refresher of s's cached pages; nil when s has no
// page cache. Hook it with cache.OnDrop(r.Enqueue) and start it with Run.
func (s *Site) NewRefresher() *Refresher {
	if s.cache == nil {
		return nil
	}
	return &Refresher{site: s, work: make(chan cache.Dropped, refreshQueue), queued: make(map[string]bool)}
}

// Enqueue queues dropped pages for rendering. It never blocks.
func (r *Refresher) Enqueue(pages []cache.Dropped) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range pages {
		if r.queued[d.Key] {
			continue
		}
		select {
		case r.work <- d:
			r.queued[d.Key] = true
		default:
			return // full: the rest render on demand
		}
	}
}

// Run renders queued pages with workers goroutines until ctx is done. Few
// workers (the cores' count at most) keep refreshing from crowding out
// readers.
func (r *Refresher) Run(ctx context.Context, workers int) {
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Go(func() {
			for {
				select {
				case <-ctx.Done():
					return
				case d := <-r.work:
					r.mu.Lock()
					delete(r.queued, d.Key)
					r.mu.Unlock()
					if err := r.refresh(ctx, d); err != nil && ctx.Err() == nil {
						r.site.log.Warn("page refresh", "path", d.Key, "err", err)
					}
				}
			}
		})
	}
	wg.Wait()
}

// refresh renders one dropped page in the codings it had.
func (r *Refresher) refresh(ctx context.Context, d cache.Dropped) error {
	want := cache.Brotli
	if len(d.Codings) > 0 {
		want = d.Codings[0]
	}
	p, err := r.site.page(ctx, d.Key, want)
	var u *uncached
	if errors.As(err, &u) {
		return nil // now a redirect or gone: nothing to prepare
	}
	if err != nil {
		return err
	}
	for _, c := range d.Codings[min(1, len(d.Codings)):] {
		p.Bytes(c)
	}
	return nil
}

// page renders path through the page cache, first stored in coding want.
func (s *Site) page(ctx context.Context, path string, want cache.Coding) (*cache.Page, error) {
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, fmt.Errorf("site: page %s: %w", path, err)
	}
	if s.cache == nil {
		return nil, fmt.Errorf("site: page %s: the site has no page cache", path)
	}
	return s.cache.GetCoding(ctx, r.URL.EscapedPath(), want, func(ctx context.Context) (*cache.Page, error) {
		return s.renderPage(ctx, r)
	})
}
