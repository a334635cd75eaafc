package cache

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestPage_CodingsEqualFreshRender checks that, whatever coding a page was
// first stored in, every coding a client can get decodes to exactly the
// bytes of a fresh render, including after its identity body is kept and
// after it is trimmed again.
func TestPage_CodingsEqualFreshRender(t *testing.T) {
	render := func(context.Context) (*Page, error) {
		return &Page{ContentType: html, Body: articleHTML(30 << 10), Deps: []string{"article:1"}}, nil
	}
	fresh, _ := render(context.Background())
	for _, want := range []Coding{Identity, Gzip, Brotli} {
		t.Run(want.String(), func(t *testing.T) {
			c := New(0)
			p, err := c.GetCoding(context.Background(), "/a/", want, render)
			if err != nil {
				t.Fatal(err)
			}
			wantPrimary := want
			if want == Identity {
				wantPrimary = Gzip
			}
			if p.v.primary != wantPrimary || p.v.b[Identity].Load() != nil {
				t.Errorf("stored primary %s (identity kept: %v), want only %s", p.v.primary, p.v.b[Identity].Load() != nil, wantPrimary)
			}
			before := c.Stats().Bytes
			for round := range 3 {
				for _, co := range []Coding{Identity, Gzip, Brotli} {
					if got := decode(t, co.String(), p.Bytes(co)); !bytes.Equal(got, fresh.Body) {
						t.Fatalf("round %d: %s coding decodes to %d bytes differing from the fresh render's %d", round, co, len(got), len(fresh.Body))
					}
					// Through Write, as a client sees it.
					accept := map[Coding]string{Gzip: "gzip", Brotli: "br"}[co]
					w := serve(p, http.MethodGet, "Accept-Encoding", accept)
					if enc := w.Header().Get("Content-Encoding"); enc != accept {
						t.Fatalf("Content-Encoding %q, want %q", enc, accept)
					}
					if !bytes.Equal(decode(t, co.String(), w.Body.Bytes()), fresh.Body) {
						t.Fatalf("round %d: %s response differs from the fresh render", round, co)
					}
				}
				checkInvariants(t, c)
			}
			// Identity was asked for six times: it is now kept, and charged.
			if p.v.b[Identity].Load() == nil {
				t.Error("identity not kept after repeated requests")
			}
			if after := c.Stats().Bytes; after < before+int64(len(fresh.Body)) {
				t.Errorf("bytes %d → %d: the kept codings are not charged", before, after)
			}
			c.mu.Lock()
			e := c.entries["/a/"]
			e.page.v.idRef.Store(false)
			if !c.trimLocked(e) {
				t.Error("unread identity body not trimmed")
			}
			c.mu.Unlock()
			checkInvariants(t, c)
			if !bytes.Equal(p.Bytes(Identity), fresh.Body) {
				t.Error("identity after trim differs from the fresh render")
			}
		})
	}
}

// TestCache_LazyCodingsRespectBudget fills a small cache through every
// coding, so that codings made after a page is stored must evict to fit.
func TestCache_LazyCodingsRespectBudget(t *testing.T) {
	c := New(120 << 10)
	codings := []Coding{Identity, Gzip, Brotli}
	for i := range 200 {
		key := fmt.Sprint("/p/", i%60)
		p, err := c.GetCoding(context.Background(), key, codings[i%3], func(context.Context) (*Page, error) {
			return &Page{ContentType: html, Body: articleHTML(8<<10 + 97*i%4096), Deps: []string{fmt.Sprint("article:", i%9), "settings"}}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		p.Bytes(Identity) // asked for twice: kept, and trimmed under pressure
		for _, co := range codings {
			if len(p.Bytes(co)) == 0 {
				t.Fatalf("step %d: no %s coding", i, co)
			}
		}
		if i%17 == 0 {
			c.Invalidate(fmt.Sprint("article:", i%9))
		}
		if s := c.Stats(); s.Bytes > s.Budget {
			t.Fatalf("step %d: %d bytes over budget %d", i, s.Bytes, s.Budget)
		}
	}
	checkInvariants(t, c)
	if s := c.Stats(); s.Evictions == 0 || s.Trimmed == 0 {
		t.Errorf("budget not exercised: %+v", s)
	}
}

// TestCache_AdmissionKeepsHotPages reads a set of hot pages, then crawls
// many pages once each, as a search engine walking the archive does. The
// hot pages must survive the crawl; with plain CLOCK they do not, which is
// what the admission is for.
func TestCache_AdmissionKeepsHotPages(t *testing.T) {
	blob := func(context.Context) (*Page, error) {
		return &Page{ContentType: "application/octet-stream", Body: make([]byte, 4096)}, nil
	}
	probe, _ := blob(context.Background())
	_ = prepare(probe, Brotli, time.Now())
	size := probe.size("/hot/00")
	for _, admit := range []bool{true, false} {
		t.Run(fmt.Sprint("admit=", admit), func(t *testing.T) {
			c := New(50 * size)
			c.admit = admit
			hot := make([]string, 10)
			for i := range hot {
				hot[i] = fmt.Sprintf("/hot/%02d", i)
			}
			for range 5 {
				for _, k := range hot {
					mustGet(t, c, k, blob)
				}
			}
			// The crawl: 2,000 pages once each, hot pages read now and then.
			for i := range 2000 {
				mustGet(t, c, fmt.Sprint("/archive/", i), blob)
				if i%500 == 0 {
					mustGet(t, c, hot[i/500], blob)
				}
			}
			kept := 0
			for _, k := range hot {
				if _, ok := c.entries[k]; ok {
					kept++
				}
			}
			checkInvariants(t, c)
			s := c.Stats()
			t.Logf("hot pages kept %d/%d; %+v", kept, len(hot), s)
			if s.Bytes > s.Budget {
				t.Errorf("over budget: %+v", s)
			}
			switch {
			case admit && kept != len(hot):
				t.Errorf("admission kept %d of %d hot pages through a one-hit crawl", kept, len(hot))
			case !admit && kept == len(hot):
				t.Error("plain CLOCK kept every hot page: the crawl does not exercise admission")
			case admit && s.Rejected == 0:
				t.Error("no crawled page was rejected")
			}
		})
	}
}

// TestCache_OnDropReportsHotPages checks that Invalidate hands the hot pages
// it dropped, and only those, to the OnDrop hook, and that a Get started
// from the hook renders afresh.
func TestCache_OnDropReportsHotPages(t *testing.T) {
	c := New(0)
	var dropped []Dropped
	c.OnDrop(func(d []Dropped) { dropped = append(dropped, d...) })
	for range 5 {
		p := mustGet(t, c, "/", static(string(articleHTML(2000)), "list:lang:en"))
		p.Bytes(Gzip)
	}
	mustGet(t, c, "/old/", static("old page", "list:lang:en"))
	if n := c.Invalidate("list:lang:en"); n != 2 {
		t.Fatalf("Invalidate dropped %d pages, want 2", n)
	}
	want := []Dropped{{Key: "/", Codings: []Coding{Brotli, Gzip}}}
	if diff := cmp.Diff(want, dropped); diff != "" {
		t.Errorf("OnDrop heard (-want +got):\n%s", diff)
	}
	if p := mustGet(t, c, "/", static("home v2", "list:lang:en")); string(p.Bytes(Identity)) != "home v2" {
		t.Errorf("re-render got %q", p.Bytes(Identity))
	}
}

// TestSize_MatchesHeap stores realistic pages and compares what the cache
// charges with what the Go heap grew by: the budget must bound real memory.
func TestSize_MatchesHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates ~10 MB")
	}
	const n = 500
	bodies := make([][]byte, 16)
	for i := range bodies {
		bodies[i] = articleHTML(20<<10 + i*1500)
	}
	deps := func(i int) []string {
		return []string{fmt.Sprint("article:", i), fmt.Sprint("author:", i%200), fmt.Sprint("term:", i%30),
			fmt.Sprint("term:", 30+i%8), "settings", "terms"}
	}
	c := New(1 << 30)
	// Compress once up front so pools and the sketch are allocated before
	// the measurement.
	mustGet(t, c, "/warm", static(string(bodies[0])))
	c.Purge()
	var before, after runtime.MemStats
	// Two collections empty the sync.Pools of compressors (a pool's
	// contents survive one), so that neither reading counts them.
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range n {
		key := fmt.Sprintf("/article-number-%d-of-the-archive/", i)
		p, err := c.GetCoding(context.Background(), key, Gzip, func(context.Context) (*Page, error) {
			return &Page{ContentType: html, Body: bytes.Clone(bodies[i%len(bodies)]), Deps: deps(i)}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			// Half the pages also keep their identity body (asked twice).
			p.Bytes(Identity)
			p.Bytes(Identity)
		}
	}
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	grew := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	charged := c.Stats().Bytes
	ratio := float64(charged) / float64(grew)
	t.Logf("%d pages: heap grew %d bytes, cache charged %d (%.2f×), %d bytes/page", n, grew, charged, ratio, grew/n)
	if ratio < 0.85 || ratio > 1.15 {
		t.Errorf("charged %d bytes for %d bytes of heap (%.2f×), want within 15%%", charged, grew, ratio)
	}
	runtime.KeepAlive(c)
}

// TestCache_HotIdentityDisplacesColdIdentity fills a cache with pages and
// their identity bodies, then has a client without Accept-Encoding read one
// more page over and over: its identity body must be kept, in place of
// identity bodies nobody reads, without evicting any page.
func TestCache_HotIdentityDisplacesColdIdentity(t *testing.T) {
	fill := func(context.Context) (*Page, error) {
		return &Page{ContentType: html, Body: articleHTML(16 << 10)}, nil
	}
	probe, _ := fill(context.Background())
	_ = prepare(probe, Gzip, time.Now())
	c := New(30 * probe.size("/p/00"))
	for i := range 10 {
		p := mustGet(t, c, fmt.Sprintf("/p/%02d", i), fill)
		p.Bytes(Identity)
		p.Bytes(Identity) // kept
	}
	hot := mustGet(t, c, "/hot", fill)
	for range 3 {
		hot.Bytes(Identity)
	}
	checkInvariants(t, c)
	if hot.v.b[Identity].Load() == nil {
		t.Errorf("hot identity body not kept: %+v", c.Stats())
	}
	if s := c.Stats(); s.Evictions != 0 || s.Entries != 11 || s.Trimmed == 0 {
		t.Errorf("want cold identity bodies trimmed and no page evicted: %+v", s)
	}
}
