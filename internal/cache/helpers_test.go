package cache

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

const html = "text/html; charset=utf-8"

// static returns a fill that renders a fresh page with body and deps.
func static(body string, deps ...string) func(context.Context) (*Page, error) {
	return func(context.Context) (*Page, error) {
		return &Page{ContentType: html, Body: []byte(body), Deps: deps}, nil
	}
}

// mustGet calls c.Get and fails the test on error.
func mustGet(tb testing.TB, c *Cache, key string, fill func(context.Context) (*Page, error)) *Page {
	tb.Helper()
	p, err := c.Get(context.Background(), key, fill)
	if err != nil {
		tb.Fatalf("Get(%q): %v", key, err)
	}
	return p
}

// waitFor polls cond until it holds; tests use it to reach a known
// interleaving (a goroutine parked in Get), never to measure time.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// checkInvariants verifies the cache's internal bookkeeping: byte total,
// CLOCK ring, dependency index, budget.
func checkInvariants(tb testing.TB, c *Cache) {
	tb.Helper()
	c.mu.RLock()
	defer c.mu.RUnlock()
	var sum int64
	for k, e := range c.entries {
		if e.key != k {
			tb.Errorf("entry %q stored under %q", e.key, k)
		}
		if e.size != e.page.size(k) {
			tb.Errorf("entry %q: size %d, recomputed %d", k, e.size, e.page.size(k))
		}
		sum += e.size
		for _, d := range e.page.Deps {
			if _, ok := c.deps[d][e]; !ok {
				tb.Errorf("entry %q missing from index of %q", k, d)
			}
		}
	}
	if sum != c.bytes {
		tb.Errorf("bytes = %d, sum of entries = %d", c.bytes, sum)
	}
	if c.bytes > c.budget {
		tb.Errorf("bytes %d over budget %d", c.bytes, c.budget)
	}
	n := 0
	if c.hand != nil {
		e := c.hand
		for {
			if c.entries[e.key] != e {
				tb.Errorf("ring holds dropped entry %q", e.key)
			}
			if e.next.prev != e {
				tb.Errorf("ring broken at %q", e.key)
			}
			n++
			if e = e.next; e == c.hand || n > len(c.entries) {
				break
			}
		}
	}
	if n != len(c.entries) {
		tb.Errorf("ring has %d entries, map %d", n, len(c.entries))
	}
	for d, set := range c.deps {
		if len(set) == 0 {
			tb.Errorf("empty index set for %q", d)
		}
		for e := range set {
			if c.entries[e.key] != e {
				tb.Errorf("index of %q holds dropped entry %q", d, e.key)
			}
		}
	}
}

// articleHTML returns a deterministic article page of about size bytes:
// markup around prose drawn from a Zipf-distributed vocabulary, so that it
// compresses roughly like real long-form HTML.
func articleHTML(size int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	syll := []string{"ta", "ri", "on", "es", "al", "mo", "ke", "in", "ur", "se", "po", "li", "ca", "de", "ver", "ment", "tion", "an", "gre", "sto"}
	vocab := make([]string, 3000)
	for i := range vocab {
		var w strings.Builder
		for range 1 + r.IntN(4) {
			w.WriteString(syll[r.IntN(len(syll))])
		}
		vocab[i] = w.String()
	}
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1))
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Folio</title>` +
		`<link rel="stylesheet" href="/static/site.3f9a1c.css"></head><body><header class="site-header">` +
		`<nav><a href="/">Home</a> <a href="/region/asia/">Asia</a> <a href="/theme/energy/">Energy</a></nav></header>` +
		`<main><article class="article"><h1 class="article-title">`)
	for b.Len() < size {
		b.WriteString("<p>")
		for range 40 + r.IntN(80) {
			b.WriteString(vocab[zipf.Uint64()])
			if r.IntN(12) == 0 {
				b.WriteString(".")
			}
			b.WriteByte(' ')
		}
		if r.IntN(4) == 0 {
			fmt.Fprintf(&b, `<a href="/%s-%d/">%s</a>`, vocab[r.IntN(200)], r.IntN(9000), vocab[r.IntN(200)])
		}
		b.WriteString("</p>\n")
	}
	b.WriteString(`</article></main><footer class="site-footer">Copyright © Folio</footer></body></html>`)
	return []byte(b.String())
}
