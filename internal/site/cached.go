package site

import (
	"bytes"
	"context"
	"net/http"
	"time"

	"folio/internal/cache"
)

// CacheControl lets browsers reuse a page for a minute and CDNs for five,
// serving a stale copy while they revalidate. Exact invalidation happens
// here; a CDN can purge by the Surrogate-Key header.
const CacheControl = "public, max-age=60, s-maxage=300, stale-while-revalidate=3600, stale-if-error=86400"

// uncached carries a response that must not be cached (a redirect, a 404,
// an error page) from a fill to every request waiting on it.
type uncached struct {
	status int
	header http.Header
	body   []byte
}

func (u *uncached) Error() string { return "uncached response " + http.StatusText(u.status) }

// recorder captures a response in memory.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}

// render runs the page handler for path as a GET and returns the response:
// a cacheable page for a 200, an *uncached error otherwise.
func (s *Site) renderPage(ctx context.Context, r *http.Request) (*cache.Page, error) {
	if s.onRender != nil {
		defer func(start time.Time) { s.onRender(time.Since(start)) }(time.Now())
	}
	get := r.Clone(ctx)
	get.Method = http.MethodGet
	get.Header = http.Header{}
	rec := &recorder{header: http.Header{}}
	var deps []string
	s.pages(rec, get, &deps)
	if rec.status != http.StatusOK {
		return nil, &uncached{status: rec.status, header: rec.header, body: rec.body.Bytes()}
	}
	return &cache.Page{
		Status:       http.StatusOK,
		ContentType:  rec.header.Get("Content-Type"),
		Body:         rec.body.Bytes(),
		LastModified: s.now().UTC().Truncate(time.Second),
		Deps:         deps,
		CacheControl: CacheControl,
	}, nil
}

// serveCached answers from the page cache, rendering a missing page once
// however many requests wait for it.
func (s *Site) serveCached(w http.ResponseWriter, r *http.Request) {
	key := r.URL.EscapedPath()
	p, err := s.cache.GetCoding(r.Context(), key, cache.Preferred(r), func(ctx context.Context) (*cache.Page, error) {
		return s.renderPage(ctx, r)
	})
	if err == nil {
		cache.Write(w, r, p)
		return
	}
	if u, ok := err.(*uncached); ok {
		for k, v := range u.header {
			w.Header()[k] = v
		}
		w.WriteHeader(u.status)
		if r.Method != http.MethodHead {
			_, _ = w.Write(u.body)
		}
		return
	}
	s.log.Error("page cache", "path", r.URL.Path, "err", err)
	http.Error(w, "Internal server error", http.StatusInternalServerError)
}
