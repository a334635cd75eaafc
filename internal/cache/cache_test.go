package cache

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCache_Get(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c := New(0)
		if got := c.Stats().Budget; got != DefaultBudget {
			t.Errorf("budget = %d, want %d", got, DefaultBudget)
		}
		body := strings.Repeat("<p>hello, reader</p>\n", 100)
		p := mustGet(t, c, "/a/", static(body, "article:1", "settings", "article:1"))
		if p.Status != 200 || string(p.Bytes(Identity)) != body {
			t.Fatalf("got status %d body %.20q", p.Status, p.Bytes(Identity))
		}
		if p.Bytes(Gzip) == nil || p.Bytes(Brotli) == nil {
			t.Error("compressed variants missing")
		}
		if !strings.HasPrefix(p.ETag, `"`) || !strings.HasSuffix(p.ETag, `"`) || len(p.ETag) != 24 {
			t.Errorf("ETag = %s, want a quoted 22-char tag", p.ETag)
		}
		if p.LastModified.IsZero() || p.LastModified.Nanosecond() != 0 {
			t.Errorf("LastModified = %v, want whole seconds", p.LastModified)
		}
		if diff := cmp.Diff([]string{"article:1", "settings"}, p.Deps); diff != "" {
			t.Errorf("Deps (-want +got):\n%s", diff)
		}
		fills := 0
		for range 3 {
			q := mustGet(t, c, "/a/", func(context.Context) (*Page, error) {
				fills++
				return nil, errors.New("should not render")
			})
			if q != p {
				t.Error("hit returned a different page")
			}
		}
		if fills != 0 {
			t.Errorf("fill called %d times on hits", fills)
		}
		got := c.Stats()
		want := Stats{Hits: 3, Misses: 1, Fills: 1, Entries: 1, Bytes: got.Bytes, Budget: DefaultBudget}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Stats (-want +got):\n%s", diff)
		}
		// The page is kept compressed; both codings were asked for above.
		if stored := len(p.Bytes(Brotli)) + len(p.Bytes(Gzip)); got.Bytes < int64(stored) {
			t.Errorf("Bytes = %d, less than the %d bytes stored", got.Bytes, stored)
		}
		checkInvariants(t, c)
	})

	t.Run("SmallOrBinaryNotCompressed", func(t *testing.T) {
		c := New(0)
		p := mustGet(t, c, "/small", static("<p>tiny</p>"))
		if p.Bytes(Gzip) != nil || p.Bytes(Brotli) != nil {
			t.Error("tiny body compressed")
		}
		p = mustGet(t, c, "/img", func(context.Context) (*Page, error) {
			return &Page{ContentType: "image/png", Body: make([]byte, 4096)}, nil
		})
		if p.Bytes(Gzip) != nil || p.Bytes(Brotli) != nil {
			t.Error("image compressed")
		}
		p = mustGet(t, c, "/feed.xml", func(context.Context) (*Page, error) {
			return &Page{ContentType: "application/rss+xml; charset=utf-8", Body: articleHTML(2000)}, nil
		})
		if p.Bytes(Gzip) == nil || p.Bytes(Brotli) == nil {
			t.Error("feed not compressed")
		}
	})

	t.Run("Coalesce", func(t *testing.T) {
		c := New(0)
		release := make(chan struct{})
		var fills atomic.Int32
		fill := func(context.Context) (*Page, error) {
			fills.Add(1)
			<-release
			return &Page{ContentType: html, Body: []byte("shared")}, nil
		}
		const n = 100
		pages := make([]*Page, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				pages[i] = mustGet(t, c, "/hot/", fill)
			})
		}
		waitFor(t, "all Gets to wait", func() bool { return c.Stats().Misses == n })
		close(release)
		wg.Wait()
		if got := fills.Load(); got != 1 {
			t.Errorf("fill ran %d times, want 1", got)
		}
		for i, p := range pages {
			if p != pages[0] {
				t.Fatalf("Get %d returned a different page", i)
			}
		}
		if s := c.Stats(); s.Fills != 1 || s.Misses != n || s.Entries != 1 {
			t.Errorf("Stats = %+v", s)
		}
	})

	t.Run("ErrFill", func(t *testing.T) {
		c := New(0)
		errRender := errors.New("render failed")
		release := make(chan struct{})
		var calls atomic.Int32
		fail := func(context.Context) (*Page, error) {
			calls.Add(1)
			<-release
			return nil, errRender
		}
		var wg sync.WaitGroup
		errs := make([]error, 10)
		for i := range errs {
			wg.Go(func() { _, errs[i] = c.Get(context.Background(), "/x/", fail) })
		}
		waitFor(t, "all Gets to wait", func() bool { return c.Stats().Misses == 10 })
		close(release)
		wg.Wait()
		for i, err := range errs {
			if !errors.Is(err, errRender) {
				t.Errorf("Get %d: err = %v, want %v", i, err, errRender)
			}
		}
		if len(c.Keys()) != 0 {
			t.Error("error cached")
		}
		p := mustGet(t, c, "/x/", static("ok"))
		if string(p.Bytes(Identity)) != "ok" || calls.Load() != 1 {
			t.Errorf("after error: body %q, failing fill calls %d", p.Bytes(Identity), calls.Load())
		}
		if s := c.Stats(); s.FillErrors != 1 || s.Fills != 2 {
			t.Errorf("Stats = %+v", s)
		}
	})

	t.Run("ErrNilPage", func(t *testing.T) {
		c := New(0)
		_, err := c.Get(context.Background(), "/nil/", func(context.Context) (*Page, error) { return nil, nil })
		if !errors.Is(err, errNoPage) {
			t.Errorf("err = %v, want %v", err, errNoPage)
		}
	})

	t.Run("ErrPanic", func(t *testing.T) {
		c := New(0)
		_, err := c.Get(context.Background(), "/boom/", func(context.Context) (*Page, error) { panic("template exploded") })
		if err == nil || !strings.Contains(err.Error(), "template exploded") {
			t.Errorf("err = %v, want the panic value", err)
		}
		if len(c.Keys()) != 0 {
			t.Error("panicking render cached")
		}
	})

	t.Run("ErrContextCanceled", func(t *testing.T) {
		c := New(0)
		started := make(chan struct{})
		cancelled := make(chan struct{})
		fill := func(ctx context.Context) (*Page, error) {
			close(started)
			<-ctx.Done()
			close(cancelled)
			return nil, ctx.Err()
		}
		type key struct{}
		ctx, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "v"))
		done := make(chan error)
		go func() {
			_, err := c.Get(ctx, "/slow/", fill)
			done <- err
		}()
		<-started
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		<-cancelled // the last waiter leaving cancels the render
		// The abandoned render is detached: the next Get renders afresh.
		p := mustGet(t, c, "/slow/", static("fresh"))
		if string(p.Bytes(Identity)) != "fresh" {
			t.Errorf("body = %q", p.Bytes(Identity))
		}
	})

	t.Run("FillKeepsContextValues", func(t *testing.T) {
		c := New(0)
		type key struct{}
		ctx := context.WithValue(context.Background(), key{}, "lang=fa")
		_, err := c.Get(ctx, "/v/", func(ctx context.Context) (*Page, error) {
			if ctx.Value(key{}) != "lang=fa" {
				return nil, errors.New("context value lost")
			}
			return &Page{Body: []byte("v")}, nil
		})
		if err != nil {
			t.Error(err)
		}
	})

	t.Run("WaiterCanceledRenderContinues", func(t *testing.T) {
		c := New(0)
		release := make(chan struct{})
		fill := func(ctx context.Context) (*Page, error) {
			<-release
			return &Page{Body: []byte("done")}, ctx.Err()
		}
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error)
		go func() { _, err := c.Get(ctx, "/k/", fill); errc <- err }()
		pc := make(chan *Page)
		go func() { pc <- mustGet(t, c, "/k/", fill) }()
		waitFor(t, "two waiters", func() bool { return c.Stats().Misses == 2 })
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled waiter: err = %v", err)
		}
		close(release)
		if p := <-pc; string(p.Bytes(Identity)) != "done" {
			t.Errorf("remaining waiter got %q", p.Bytes(Identity))
		}
		if !slices.Equal(c.Keys(), []string{"/k/"}) {
			t.Errorf("Keys = %v", c.Keys())
		}
	})
}

func TestCache_Invalidate(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c := New(0)
		mustGet(t, c, "/a/", static("a", "article:1", "settings"))
		mustGet(t, c, "/b/", static("b", "article:2", "settings", "term:5"))
		mustGet(t, c, "/region/asia/", static("asia", "term:5", "list:term:5"))
		mustGet(t, c, "/about/", static("about"))

		if n := c.Invalidate("article:1"); n != 1 {
			t.Errorf("Invalidate(article:1) = %d, want 1", n)
		}
		if diff := cmp.Diff([]string{"/about/", "/b/", "/region/asia/"}, c.Keys()); diff != "" {
			t.Errorf("Keys (-want +got):\n%s", diff)
		}
		if n := c.Invalidate("nothing:1", "article:1"); n != 0 {
			t.Errorf("Invalidate of unknown deps = %d, want 0", n)
		}
		if n := c.Invalidate("term:5", "settings"); n != 2 {
			t.Errorf("Invalidate(term:5, settings) = %d, want 2", n)
		}
		if diff := cmp.Diff([]string{"/about/"}, c.Keys()); diff != "" {
			t.Errorf("Keys (-want +got):\n%s", diff)
		}
		if s := c.Stats(); s.Invalidations != 3 || s.Entries != 1 {
			t.Errorf("Stats = %+v", s)
		}
		checkInvariants(t, c)
		c.mu.RLock()
		if len(c.deps) != 0 {
			t.Errorf("dependency index keeps %d dropped deps", len(c.deps))
		}
		c.mu.RUnlock()

		// Dropped pages render again.
		if p := mustGet(t, c, "/a/", static("a2", "article:1")); string(p.Bytes(Identity)) != "a2" {
			t.Errorf("re-render body = %q", p.Bytes(Identity))
		}
	})

	t.Run("Purge", func(t *testing.T) {
		c := New(0)
		for i := range 5 {
			mustGet(t, c, fmt.Sprint(i), static("x", "settings"))
		}
		c.Purge()
		if s := c.Stats(); s.Entries != 0 || s.Bytes != 0 || s.Invalidations != 5 {
			t.Errorf("Stats = %+v", s)
		}
		checkInvariants(t, c)
		mustGet(t, c, "0", static("y", "settings"))
		checkInvariants(t, c)
	})
}

// blockedFill returns a fill that signals started, waits for proceed, then
// renders body with deps.
func blockedFill(body string, deps ...string) (fill func(context.Context) (*Page, error), started, proceed chan struct{}) {
	started, proceed = make(chan struct{}), make(chan struct{})
	fill = func(context.Context) (*Page, error) {
		close(started)
		<-proceed
		return &Page{ContentType: html, Body: []byte(body), Deps: deps}, nil
	}
	return fill, started, proceed
}

// TestCache_StaleRender covers the race the cache exists to get right: a
// render reads old data, the data changes and is invalidated, and the render
// finishes afterwards.
func TestCache_StaleRender(t *testing.T) {
	t.Run("NotStored", func(t *testing.T) {
		c := New(0)
		fill, started, proceed := blockedFill("v1", "article:1", "settings")
		got := make(chan *Page)
		go func() { got <- mustGet(t, c, "/a/", fill) }()
		<-started // the render has read version 1
		if n := c.Invalidate("article:1"); n != 0 {
			t.Errorf("Invalidate = %d, want 0 (nothing stored yet)", n)
		}
		close(proceed)
		// The Get that started before Invalidate may see v1: it overlapped.
		if p := <-got; string(p.Bytes(Identity)) != "v1" {
			t.Errorf("initiator got %q", p.Bytes(Identity))
		}
		if keys := c.Keys(); len(keys) != 0 {
			t.Fatalf("stale render stored: %v", keys)
		}
		if s := c.Stats(); s.Discarded != 1 {
			t.Errorf("Discarded = %d, want 1", s.Discarded)
		}
		if p := mustGet(t, c, "/a/", static("v2", "article:1")); string(p.Bytes(Identity)) != "v2" {
			t.Errorf("after invalidation got %q, want v2", p.Bytes(Identity))
		}
	})

	t.Run("LateWaiterRerenders", func(t *testing.T) {
		// A Get that starts after Invalidate returned joins the render in
		// flight; it must not be handed that render's stale page.
		c := New(0)
		var version atomic.Int32
		version.Store(1)
		started, proceed := make(chan struct{}, 2), make(chan struct{})
		var renders atomic.Int32
		fill := func(context.Context) (*Page, error) {
			v := version.Load() // read the data first, like a renderer
			started <- struct{}{}
			if renders.Add(1) == 1 {
				<-proceed
			}
			return &Page{Body: fmt.Appendf(nil, "v%d", v), Deps: []string{"article:1"}}, nil
		}
		first := make(chan *Page)
		go func() { first <- mustGet(t, c, "/a/", fill) }()
		<-started

		version.Store(2) // the write ...
		c.Invalidate("article:1")

		late := make(chan *Page)
		go func() { late <- mustGet(t, c, "/a/", fill) }()
		waitFor(t, "the late Get to join", func() bool { return c.Stats().Misses == 2 })
		close(proceed)

		if p := <-first; string(p.Bytes(Identity)) != "v1" {
			t.Errorf("first got %q, want v1", p.Bytes(Identity))
		}
		if p := <-late; string(p.Bytes(Identity)) != "v2" {
			t.Errorf("late Get got %q, want v2", p.Bytes(Identity))
		}
		p := mustGet(t, c, "/a/", static("unused"))
		if string(p.Bytes(Identity)) != "v2" {
			t.Errorf("cached %q, want v2", p.Bytes(Identity))
		}
		if s := c.Stats(); s.Fills != 2 || s.Discarded != 1 {
			t.Errorf("Stats = %+v", s)
		}
	})

	t.Run("UnrelatedInvalidationStores", func(t *testing.T) {
		c := New(0)
		fill, started, proceed := blockedFill("v1", "article:1")
		done := make(chan *Page)
		go func() { done <- mustGet(t, c, "/a/", fill) }()
		<-started
		c.Invalidate("article:2", "term:9")
		late := make(chan *Page)
		go func() { late <- mustGet(t, c, "/a/", fill) }()
		waitFor(t, "the late Get to join", func() bool { return c.Stats().Misses == 2 })
		close(proceed)
		p1, p2 := <-done, <-late
		if p1 != p2 {
			t.Error("late waiter did not share the render")
		}
		if !slices.Equal(c.Keys(), []string{"/a/"}) {
			t.Errorf("Keys = %v, want the page stored", c.Keys())
		}
	})

	t.Run("PurgeDuringRender", func(t *testing.T) {
		c := New(0)
		fill, started, proceed := blockedFill("v1", "article:1")
		done := make(chan struct{})
		go func() { mustGet(t, c, "/a/", fill); close(done) }()
		<-started
		c.Purge()
		close(proceed)
		<-done
		if keys := c.Keys(); len(keys) != 0 {
			t.Errorf("render from before Purge stored: %v", keys)
		}
	})

	t.Run("InvalidateBetweenRenders", func(t *testing.T) {
		// An invalidation that finished before a render started must not
		// discard it, even while another render is in flight.
		c := New(0)
		slow, started, proceed := blockedFill("other", "settings")
		go func() { mustGet(t, c, "/other/", slow) }()
		<-started
		c.Invalidate("article:1")
		mustGet(t, c, "/a/", static("v2", "article:1"))
		if !slices.Contains(c.Keys(), "/a/") {
			t.Error("fresh render discarded")
		}
		close(proceed)
		waitFor(t, "the slow render", func() bool { return len(c.Keys()) == 2 })
	})
}

func TestCache_Eviction(t *testing.T) {
	t.Run("LeastRecentlyUsed", func(t *testing.T) {
		blob := func(context.Context) (*Page, error) {
			return &Page{ContentType: "application/octet-stream", Body: make([]byte, 1000), Deps: []string{"media:1"}}, nil
		}
		probe, _ := blob(context.Background())
		_ = prepare(probe, Brotli, time.Now())
		size := probe.size("/a")
		c := New(3*size + size/2)

		for _, k := range []string{"/a", "/b", "/c"} {
			mustGet(t, c, k, blob)
		}
		mustGet(t, c, "/a", blob) // hit: /a is used, /b is now the oldest unused
		mustGet(t, c, "/d", blob)
		if diff := cmp.Diff([]string{"/a", "/c", "/d"}, c.Keys()); diff != "" {
			t.Errorf("Keys (-want +got):\n%s", diff)
		}
		mustGet(t, c, "/d", blob)
		mustGet(t, c, "/e", blob) // /a's second chance was spent; /c unused
		if diff := cmp.Diff([]string{"/a", "/d", "/e"}, c.Keys()); diff != "" {
			t.Errorf("Keys (-want +got):\n%s", diff)
		}
		if s := c.Stats(); s.Evictions != 2 || s.Bytes > s.Budget {
			t.Errorf("Stats = %+v", s)
		}
		checkInvariants(t, c)
		// Invalidate after evictions leaves a consistent index.
		if n := c.Invalidate("media:1"); n != 3 {
			t.Errorf("Invalidate = %d, want 3", n)
		}
		checkInvariants(t, c)
	})

	t.Run("TooLarge", func(t *testing.T) {
		c := New(4096)
		mustGet(t, c, "/small", static("s"))
		p := mustGet(t, c, "/huge", func(context.Context) (*Page, error) {
			return &Page{ContentType: "image/png", Body: make([]byte, 8192)}, nil
		})
		if len(p.Bytes(Identity)) != 8192 {
			t.Error("huge page not served")
		}
		if diff := cmp.Diff([]string{"/small"}, c.Keys()); diff != "" {
			t.Errorf("Keys (-want +got):\n%s", diff)
		}
		if s := c.Stats(); s.TooLarge != 1 {
			t.Errorf("TooLarge = %d", s.TooLarge)
		}
	})

	t.Run("Budget", func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		c := New(64 << 10)
		for i := range 2000 {
			key := fmt.Sprint("/p/", r.IntN(300))
			n := 100 + r.IntN(6000)
			mustGet(t, c, key, func(context.Context) (*Page, error) {
				return &Page{ContentType: "application/octet-stream", Body: make([]byte, n), Deps: []string{fmt.Sprint("article:", r.IntN(20))}}, nil
			})
			if i%7 == 0 {
				c.Invalidate(fmt.Sprint("article:", r.IntN(20)))
			}
			if s := c.Stats(); s.Bytes > s.Budget {
				t.Fatalf("step %d: %d bytes over budget %d", i, s.Bytes, s.Budget)
			}
		}
		checkInvariants(t, c)
		if c.Stats().Evictions == 0 {
			t.Error("no evictions: budget not exercised")
		}
	})
}

// data is a fake versioned store: entities and their versions.
type data struct {
	mu sync.Mutex
	v  map[string]int
}

func (d *data) read(e string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.v[e]
}

func (d *data) bump(e string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.v[e]++
	return d.v[e]
}

// pageDeps is which entities the page at key i reads.
func pageDeps(i int) []string {
	deps := []string{fmt.Sprint("article:", i%7), fmt.Sprint("term:", i%3)}
	if i%2 == 0 {
		deps = append(deps, "settings")
	}
	if i%5 == 0 {
		deps = append(deps, fmt.Sprint("list:term:", i%3))
	}
	return deps
}

var entities = []string{
	"article:0", "article:1", "article:2", "article:3", "article:4", "article:5", "article:6",
	"term:0", "term:1", "term:2", "list:term:0", "list:term:1", "list:term:2", "settings",
}

// render is the fake renderer: it reads each dependency in turn (yielding
// between reads so concurrent writes interleave) and records what it read.
func (d *data) render(i int, yield func()) func(context.Context) (*Page, error) {
	return func(context.Context) (*Page, error) {
		var b strings.Builder
		deps := pageDeps(i)
		for _, e := range deps {
			fmt.Fprintf(&b, "%s=%d;", e, d.read(e))
			yield()
		}
		return &Page{ContentType: html, Body: []byte(b.String()), Deps: deps}, nil
	}
}

// TestCache_Property runs random sequences of renders, data writes and
// invalidations of the written entities. After every step each cached page
// must equal a fresh render of the current data.
func TestCache_Property(t *testing.T) {
	for seed := range uint64(20) {
		t.Run(fmt.Sprint("Seed", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 99))
			d := &data{v: map[string]int{}}
			budget := int64(1 << 30)
			if seed%2 == 1 {
				budget = 4096 // also exercise eviction
			}
			c := New(budget)
			const pages = 40
			for step := range 300 {
				switch r.IntN(3) {
				case 0, 1:
					i := r.IntN(pages)
					mustGet(t, c, fmt.Sprint("/", i), d.render(i, func() {}))
				case 2:
					n := 1 + r.IntN(3)
					touched := make([]string, n)
					for j := range touched {
						touched[j] = entities[r.IntN(len(entities))]
						d.bump(touched[j])
					}
					c.Invalidate(touched...)
				}
				for _, k := range c.Keys() {
					var i int
					fmt.Sscanf(k, "/%d", &i)
					want, _ := d.render(i, func() {})(context.Background())
					got := mustGet(t, c, k, func(context.Context) (*Page, error) {
						return nil, errors.New("cached key went missing")
					})
					if string(got.Bytes(Identity)) != string(want.Bytes(Identity)) {
						t.Fatalf("step %d: page %s = %q, fresh render %q", step, k, got.Bytes(Identity), want.Bytes(Identity))
					}
				}
			}
			checkInvariants(t, c)
		})
	}
}

// TestCache_ConcurrentProperty races renders against writes. A writer bumps
// an entity, invalidates it, and then checks that a new Get of a page that
// reads the entity sees at least the version it wrote; at the end every
// cached page equals a fresh render.
func TestCache_ConcurrentProperty(t *testing.T) {
	d := &data{v: map[string]int{}}
	c := New(8 << 10)
	const pages = 30
	var stop atomic.Bool
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 1))
			for !stop.Load() {
				i := r.IntN(pages)
				if _, err := c.Get(context.Background(), fmt.Sprint("/", i), d.render(i, yield)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	r := rand.New(rand.NewPCG(7, 7))
	for range 2000 {
		e := entities[r.IntN(len(entities))]
		v := d.bump(e)
		c.Invalidate(e)
		// Any page that reads e, fetched now, must show version ≥ v.
		for i := range pages {
			if !slices.Contains(pageDeps(i), e) || r.IntN(4) != 0 {
				continue
			}
			p, err := c.Get(context.Background(), fmt.Sprint("/", i), d.render(i, yield))
			if err != nil {
				t.Fatal(err)
			}
			var got int
			for f := range strings.SplitSeq(string(p.Bytes(Identity)), ";") {
				if name, val, _ := strings.Cut(f, "="); name == e {
					fmt.Sscan(val, &got)
				}
			}
			if got < v {
				t.Fatalf("after Invalidate(%s) at version %d, page /%d shows version %d: %s", e, v, i, got, p.Bytes(Identity))
			}
		}
	}
	stop.Store(true)
	wg.Wait()
	for _, k := range c.Keys() {
		var i int
		fmt.Sscanf(k, "/%d", &i)
		want, _ := d.render(i, func() {})(context.Background())
		c.mu.RLock()
		got := c.entries[k].page
		c.mu.RUnlock()
		if string(got.Bytes(Identity)) != string(want.Bytes(Identity)) {
			t.Errorf("page %s = %q, fresh render %q", k, got.Bytes(Identity), want.Bytes(Identity))
		}
	}
	checkInvariants(t, c)
	t.Logf("%+v", c.Stats())
}

func yield() { runtime.Gosched() }
