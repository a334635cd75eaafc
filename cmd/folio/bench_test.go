package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"folio/internal/config"
)

// discardWriter is a ResponseWriter that keeps nothing, so the benchmark
// measures the handler chain rather than a recorder.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(int)             {}

// BenchmarkServeCachedPage measures the full handler chain of folio serve
// answering a page from the page cache: the path every reader request takes.
func BenchmarkServeCachedPage(b *testing.B) {
	cfg := config.Default()
	cfg.DataDir = b.TempDir()
	cfg.Demo = true
	cfg.BaseURL = "http://folio.test"
	a, err := newApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	defer a.db.Close()
	for _, enc := range []string{"", "gzip, br"} {
		name := "identity"
		if enc != "" {
			name = "br"
		}
		b.Run(name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/the-canal-that-rewrites-a-river/", nil)
			if enc != "" {
				req.Header.Set("Accept-Encoding", enc)
			}
			a.h.ServeHTTP(&discardWriter{h: http.Header{}}, req) // warm the cache
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				w := &discardWriter{h: http.Header{}}
				for pb.Next() {
					clear(w.h)
					a.h.ServeHTTP(w, req)
				}
			})
		})
	}
}

// BenchmarkRenderUncached renders pages of an existing data directory
// without the page cache: FOLIO_BENCH_DATA=DIR names it (a bench/ corpus),
// FOLIO_BENCH_PATHS the comma-separated paths (default "/").
func BenchmarkRenderUncached(b *testing.B) {
	dir := os.Getenv("FOLIO_BENCH_DATA")
	if dir == "" {
		b.Skip("FOLIO_BENCH_DATA is not set")
	}
	cfg := config.Default()
	cfg.DataDir = dir
	cfg.CacheBytes = 0
	a, err := newApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	defer a.db.Close()
	paths := strings.Split(cmpOr(os.Getenv("FOLIO_BENCH_PATHS"), "/"), ",")
	for _, p := range paths {
		b.Run(p, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, p, nil)
			w := &discardWriter{h: http.Header{}}
			for b.Loop() {
				clear(w.h)
				a.h.ServeHTTP(w, req)
			}
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
