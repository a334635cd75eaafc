package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
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
