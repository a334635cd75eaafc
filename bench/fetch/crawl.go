package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"html"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/andybalholm/brotli"
)

var (
	linkRE = regexp.MustCompile(`(?:href|src)="([^"]+)"`)
	locRE  = regexp.MustCompile(`<loc>([^<]+)</loc>`)
)

// crawl fetches every page reachable from the seeds and writes it in the
// export layout: /x/ → OUT/x/index.html, files under their own names, and
// .gz and .br siblings beside every text file.
func crawl(args []string) error {
	fs := flag.NewFlagSet("crawl", flag.ExitOnError)
	base := fs.String("base", "http://127.0.0.1:8080", "server to crawl")
	site := fs.String("site", "http://bench.folio.test", "the site's own base URL, as it appears in links")
	out := fs.String("out", "", "output directory")
	workers := fs.Int("workers", 8, "parallel requests")
	brLevel := fs.Int("br-level", 11, "brotli level")
	fs.Parse(args)
	if *out == "" {
		return fmt.Errorf("crawl: --out is required")
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *workers, DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var (
		mu       sync.Mutex
		seen     = map[string]bool{}
		wg       sync.WaitGroup
		sem      = make(chan struct{}, *workers)
		nPages   atomic.Int64
		nErrors  atomic.Int64
		firstErr atomic.Value
	)
	var visit func(p string)
	add := func(raw string) {
		raw = html.UnescapeString(raw)
		switch {
		case strings.HasPrefix(raw, *site+"/"):
			raw = strings.TrimPrefix(raw, *site)
		case strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, "//"):
		default:
			return
		}
		if i := strings.IndexAny(raw, "#?"); i >= 0 {
			raw = raw[:i]
		}
		if strings.HasPrefix(raw, "/api/") || strings.HasPrefix(raw, "/admin") || raw == "" {
			return
		}
		mu.Lock()
		if seen[raw] {
			mu.Unlock()
			return
		}
		seen[raw] = true
		mu.Unlock()
		wg.Add(1)
		go visit(raw)
	}
	visit = func(p string) {
		defer wg.Done()
		sem <- struct{}{}
		defer func() { <-sem }()
		res, err := client.Get(*base + p)
		if err != nil {
			nErrors.Add(1)
			firstErr.CompareAndSwap(nil, err.Error())
			return
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 {
			nErrors.Add(1)
			firstErr.CompareAndSwap(nil, fmt.Sprintf("GET %s: %d %v", p, res.StatusCode, err))
			return
		}
		if err := writeExport(*out, p, body, res.Header.Get("Content-Type"), *brLevel); err != nil {
			nErrors.Add(1)
			firstErr.CompareAndSwap(nil, err.Error())
			return
		}
		nPages.Add(1)
		ct := res.Header.Get("Content-Type")
		if strings.HasPrefix(ct, "text/html") {
			for _, m := range linkRE.FindAllSubmatch(body, -1) {
				add(string(m[1]))
			}
		} else if strings.Contains(ct, "xml") && strings.Contains(p, "sitemap") {
			for _, m := range locRE.FindAllSubmatch(body, -1) {
				add(string(m[1]))
			}
		}
	}
	t0 := time.Now()
	for _, s := range []string{"/", "/robots.txt", "/sitemap.xml", "/feed.xml", "/atom.xml", "/feed.json"} {
		add(s)
	}
	wg.Wait()
	fmt.Fprintf(os.Stderr, "crawl: %d files into %s in %v, %d errors\n", nPages.Load(), *out, time.Since(t0).Round(time.Millisecond), nErrors.Load())
	if n := nErrors.Load(); n > 0 {
		return fmt.Errorf("crawl: %d requests failed, first: %v", n, firstErr.Load())
	}
	return nil
}

func isText(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "xml") || strings.Contains(ct, "json") ||
		strings.Contains(ct, "javascript")
}

func writeExport(out, p string, body []byte, ct string, brLevel int) error {
	rel := strings.TrimPrefix(p, "/")
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	file := filepath.Join(out, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(file, body, 0o644); err != nil {
		return err
	}
	if !isText(ct) {
		return nil
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(body)
	zw.Close()
	if err := os.WriteFile(file+".gz", gz.Bytes(), 0o644); err != nil {
		return err
	}
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brLevel)
	bw.Write(body)
	bw.Close()
	return os.WriteFile(file+".br", br.Bytes(), 0o644)
}
