package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// cold GETs every path exactly once with workers connections, as the first
// readers of each page after a start would, and prints the same BENCH line
// as wrk's report.lua: requests, duration, bytes, latency percentiles and
// errors.
func cold(args []string) error {
	fs := flag.NewFlagSet("cold", flag.ExitOnError)
	base := fs.String("base", "http://127.0.0.1:8080", "server")
	paths := fs.String("paths", "", "file of paths, one a line")
	workers := fs.Int("workers", 64, "parallel connections (wrk's -c)")
	gzip := fs.Bool("gzip", false, "send Accept-Encoding: gzip")
	fs.Parse(args)
	list, err := readPaths(*paths)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *workers, DisableCompression: true}}
	var (
		next                atomic.Int64
		errs, status, bytes atomic.Int64
		mu                  sync.Mutex
		lat                 = make([]time.Duration, 0, len(list))
		wg                  sync.WaitGroup
	)
	t0 := time.Now()
	for range *workers {
		wg.Go(func() {
			var mine []time.Duration
			for {
				i := int(next.Add(1)) - 1
				if i >= len(list) {
					break
				}
				req, _ := http.NewRequest("GET", *base+list[i], nil)
				if *gzip {
					req.Header.Set("Accept-Encoding", "gzip")
				}
				start := time.Now()
				res, err := client.Do(req)
				if err != nil {
					errs.Add(1)
					continue
				}
				n, _ := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				mine = append(mine, time.Since(start))
				bytes.Add(n)
				if res.StatusCode != 200 {
					status.Add(1)
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	d := time.Since(t0)
	slices.Sort(lat)
	pct := func(p float64) int64 {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()
	}
	fmt.Fprintf(os.Stdout, "BENCH requests=%d duration_us=%d bytes=%d p50_us=%d p99_us=%d max_us=%d errors=%d status_errors=%d\n",
		len(lat), d.Microseconds(), bytes.Load(), pct(0.50), pct(0.99), pct(1), errs.Load(), status.Load())
	return nil
}
