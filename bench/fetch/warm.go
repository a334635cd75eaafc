package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func readPaths(file string) ([]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			out = append(out, s)
		}
	}
	return out, sc.Err()
}

// getAll GETs every path with workers in parallel and returns how many
// did not answer 200.
func getAll(base string, paths []string, workers int, gzip bool) (bad int64, firstBad string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers, DisableCompression: true}}
	var (
		next atomic.Int64
		nBad atomic.Int64
		once sync.Once
		wg   sync.WaitGroup
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(paths) {
					return
				}
				req, _ := http.NewRequest("GET", base+paths[i], nil)
				if gzip {
					req.Header.Set("Accept-Encoding", "gzip")
				}
				res, err := client.Do(req)
				if err != nil {
					nBad.Add(1)
					once.Do(func() { firstBad = paths[i] + ": " + err.Error() })
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					nBad.Add(1)
					once.Do(func() { firstBad = fmt.Sprintf("%s: %d", paths[i], res.StatusCode) })
				}
			}
		}()
	}
	wg.Wait()
	return nBad.Load(), firstBad
}

func warm(args []string) error {
	fs := flag.NewFlagSet("warm", flag.ExitOnError)
	base := fs.String("base", "http://127.0.0.1:8080", "server")
	paths := fs.String("paths", "", "file of paths, one a line")
	extra := fs.String("extra", "/,/feed.xml", "comma-separated paths fetched too")
	workers := fs.Int("workers", 8, "parallel requests")
	fs.Parse(args)
	list, err := readPaths(*paths)
	if err != nil {
		return err
	}
	for _, p := range strings.Split(*extra, ",") {
		if p != "" {
			list = append(list, p)
		}
	}
	t0 := time.Now()
	var bad int64
	var first string
	for _, gz := range []bool{false, true} {
		n, f := getAll(*base, list, *workers, gz)
		bad += n
		if first == "" {
			first = f
		}
	}
	fmt.Fprintf(os.Stderr, "warm: %d paths x 2 encodings on %s in %v\n", len(list), *base, time.Since(t0).Round(time.Millisecond))
	if bad > 0 {
		return fmt.Errorf("warm: %d requests did not answer 200, first: %s", bad, first)
	}
	return nil
}
