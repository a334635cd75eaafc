package cache

import (
	"compress/gzip"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

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

// BenchmarkAdmission compares the hit ratio of CLOCK with TinyLFU admission
// against plain CLOCK (the cache before admission) on the two ways an
// archive is read: a Zipf (s=1.0) long tail over 100k pages, and the same
// with a crawler reading every page once mixed in (one request in four).
// The cache holds 10% of the pages. Run with -bench=Admission -benchtime=1x;
// hit-% is the figure. On 2026-12-03 (8 KiB pages): Zipf 73.97% CLOCK,
// 76.06% TinyLFU; Zipf+crawl 51.29% and 54.64% (of a possible 75%, the
// crawl's requests never repeating).
func BenchmarkAdmission(b *testing.B) {
	const pages, requests = 100_000, 400_000
	blob := func(context.Context) (*Page, error) {
		return &Page{ContentType: "application/octet-stream", Body: make([]byte, 8<<10)}, nil
	}
	probe, _ := blob(context.Background())
	_ = prepare(probe, Brotli, time.Now())
	size := probe.size("/article-00000/")
	for _, crawl := range []bool{false, true} {
		for _, admit := range []bool{false, true} {
			name := map[bool]string{false: "clock", true: "tinylfu"}[admit]
			name = map[bool]string{false: "zipf/", true: "zipf+crawl/"}[crawl] + name
			b.Run(name, func(b *testing.B) {
				var hits, total uint64
				for b.Loop() {
					c := New(pages / 10 * size)
					c.admit = admit
					r := rand.New(rand.NewPCG(1, 2))
					z := rand.NewZipf(r, 1.0001, 1, pages-1)
					next := 0
					for i := range requests {
						k := int(z.Uint64())
						if crawl && i%4 == 0 {
							k = pages + next // a page nobody else reads
							next++
						}
						mustGet(b, c, fmt.Sprintf("/article-%05d/", k), blob)
					}
					s := c.Stats()
					hits, total = s.Hits, s.Hits+s.Misses
				}
				b.ReportMetric(100*float64(hits)/float64(total), "hit-%")
			})
		}
	}
}
