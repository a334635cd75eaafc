package main

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"folio/internal/testutil"
)

// benchSetup is one way to run the demo: SQLite on one node (the
// reference), PostgreSQL on one node, or two nodes on one PostgreSQL
// database with requests alternating between them (as a load balancer
// without affinity sends them).
type benchSetup struct {
	name  string
	nodes int
	// data returns the store arguments of a fresh, demo-seeded store.
	data func(b *testing.B) []string
}

var benchSetups = []benchSetup{
	{"sqlite_one_node", 1, func(b *testing.B) []string { return []string{"--data", b.TempDir()} }},
	{"postgres_one_node", 1, func(b *testing.B) []string { return []string{"--database", testutil.PostgresDatabase(b, "")} }},
	{"postgres_two_nodes", 2, func(b *testing.B) []string { return []string{"--database", testutil.PostgresDatabase(b, "")} }},
}

// benchPaths returns the article paths of the site feed, the newest
// articles of the demo.
func benchPaths(b *testing.B, base string) []string {
	b.Helper()
	resp, err := http.Get(base + "/feed.xml")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var rss struct {
		Items []struct {
			Link string `xml:"link"`
		} `xml:"channel>item"`
	}
	if err := xml.NewDecoder(resp.Body).Decode(&rss); err != nil {
		b.Fatal(err)
	}
	var out []string
	for _, it := range rss.Items {
		u, err := url.Parse(it.Link)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, u.EscapedPath())
	}
	if len(out) == 0 {
		b.Fatal("the feed lists no articles")
	}
	return out
}

// BenchmarkNodesThroughput measures requests per second with 32 clients on
// loopback for the hot article, a mix over the feed's articles, and the
// home page, on each setup of benchSetups; the page cache is warm (each
// path fetched once before timing). One op is one GET.
//
//	go test -run '^$' -bench NodesThroughput -benchtime 20000x ./cmd/folio
func BenchmarkNodesThroughput(b *testing.B) {
	for _, s := range benchSetups {
		b.Run(s.name, func(b *testing.B) {
			store := s.data(b)
			var bases []string
			bases = append(bases, benchNode(b, append(store, "--demo")...))
			for len(bases) < s.nodes {
				bases = append(bases, benchNode(b, store...))
			}
			paths := benchPaths(b, bases[0])
			client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			fetch := func(u string) {
				req, _ := http.NewRequest("GET", u, nil)
				req.Header.Set("Accept-Encoding", "gzip")
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Errorf("GET %s: %d", u, resp.StatusCode)
				}
			}
			for _, scenario := range []struct {
				name  string
				paths []string
			}{{"hot_article", paths[:1]}, {"article_mix", paths}, {"home", []string{"/"}}} {
				b.Run(scenario.name, func(b *testing.B) {
					for _, base := range bases {
						for _, p := range scenario.paths {
							fetch(base + p)
						}
					}
					var n atomic.Int64
					b.SetParallelism(16) // 32 clients on 2 cores
					b.ResetTimer()
					start := time.Now()
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							i := n.Add(1)
							fetch(bases[int(i)%len(bases)] + scenario.paths[int(i/int64(len(bases)))%len(scenario.paths)])
						}
					})
					b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
				})
			}
		})
	}
}

// BenchmarkNodesColdStart measures the time from starting serve on an
// existing site to the first 200 for the home page, on each setup; on two
// nodes, the second node starts while the first one serves. One op is one
// start, first request and stop.
//
//	go test -run '^$' -bench NodesColdStart -benchtime 10x ./cmd/folio
func BenchmarkNodesColdStart(b *testing.B) {
	for _, s := range benchSetups {
		b.Run(s.name, func(b *testing.B) {
			store := s.data(b)
			// Seed the site, then stop that node unless it is the other
			// node of two.
			stop := startNode(b, append(store, "--demo"))
			if s.nodes == 1 {
				stop()
			} else {
				defer stop()
			}
			var total time.Duration
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				stop := startNode(b, store)
				total += time.Since(start)
				stop()
			}
			b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/first-byte")
		})
	}
}

// startNode starts serve on store, waits for its first 200 on the home
// page, and returns the function that stops it.
func startNode(b *testing.B, store []string) (stop func()) {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	args := append([]string{"--addr", "127.0.0.1:0", "--base-url", "http://folio.test", "--log-level", "error"}, store...)
	if store[0] == "--database" {
		args = append(args, "--data", b.TempDir())
	}
	go func() { errc <- cmdServe(ctx, args, env(nil), io.Discard, io.Discard, ready) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-errc:
		cancel()
		b.Fatalf("serve: %v", err)
	}
	resp, err := http.Get("http://" + addr + "/")
	if err != nil {
		cancel()
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		cancel()
		b.Fatalf("GET /: %d", resp.StatusCode)
	}
	return func() { cancel(); <-errc }
}
