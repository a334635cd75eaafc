package cache

import (
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/andybalholm/brotli"
)

// BenchmarkGetHit measures the hit path from all cores at once.
func BenchmarkGetHit(b *testing.B) {
	c := New(0)
	const n = 1024
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprint("/article-", i, "/")
		mustGet(b, c, keys[i], static("<p>body</p>", "article:1", "settings"))
	}
	ctx := context.Background()
	fill := static("miss")
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := c.Get(ctx, keys[i%n], fill); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	if s := c.Stats(); s.Fills != n {
		b.Errorf("%d fills, want %d: hits missed", s.Fills, n)
	}
}

// discardWriter is a ResponseWriter with no output cost, so the benchmark
// measures Write itself.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}

// BenchmarkWrite measures writing a cached page: negotiation, headers and
// the conditional check.
func BenchmarkWrite(b *testing.B) {
	p := testPage(b)
	for _, bc := range []struct{ name, header, value string }{
		{"Brotli", "Accept-Encoding", "gzip, deflate, br, zstd"},
		{"Identity", "", ""},
		{"NotModified", "If-None-Match", p.meta.etag[Brotli]},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := httptest.NewRequest(http.MethodGet, "/a/", nil)
			if bc.header != "" {
				r.Header.Set(bc.header, bc.value)
			}
			w := &discardWriter{h: make(http.Header)}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				Write(w, r, p)
			}
		})
	}
}

// BenchmarkCompress compares compression levels on a ~100 KB article page;
// it is how gzipLevel and brotliLevel were chosen. Run with
// -bench=Compress -benchtime=5x; the ratio is reported as out/in.
func BenchmarkCompress(b *testing.B) {
	body := articleHTML(100 << 10)
	for _, level := range []int{gzip.DefaultCompression, gzip.BestCompression} {
		b.Run(fmt.Sprint("gzip", level), func(b *testing.B) {
			var out int
			for b.Loop() {
				var buf discardCounter
				zw, _ := gzip.NewWriterLevel(&buf, level)
				_, _ = zw.Write(body)
				_ = zw.Close()
				out = int(buf)
			}
			b.ReportMetric(float64(out)/float64(len(body)), "ratio")
		})
	}
	for _, level := range []int{4, 5, 6, 7, 8, 9, 10, 11} {
		b.Run(fmt.Sprint("brotli", level), func(b *testing.B) {
			var out int
			for b.Loop() {
				var buf discardCounter
				bw := brotli.NewWriterLevel(&buf, level)
				_, _ = bw.Write(body)
				_ = bw.Close()
				out = int(buf)
			}
			b.ReportMetric(float64(out)/float64(len(body)), "ratio")
		})
	}
}

type discardCounter int

func (d *discardCounter) Write(b []byte) (int, error) {
	*d += discardCounter(len(b))
	return len(b), nil
}
