package cache

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultBudget is the byte budget New uses when given 0.
const DefaultBudget = 256 << 20

// Cache holds rendered pages under a byte budget. It is safe for concurrent
// use. The zero value is not usable; call New.
//
// Invalidation is linearizable with respect to Get: once Invalidate(d)
// returns, no Get that starts afterwards returns a page depending on d whose
// render started before Invalidate did. Every state change (store, remove,
// invalidate) happens under one write lock and is numbered by seq; a render
// remembers the seq it started at and, when it finishes, is checked against
// the seq at which each of its deps was last invalidated.
type Cache struct {
	budget int64
	now    func() time.Time

	mu      sync.RWMutex
	entries map[string]*entry
	deps    map[string]map[*entry]struct{} // entity key → pages that read it
	hand    *entry                         // CLOCK hand; nil when empty
	bytes   int64

	// Invalidation bookkeeping for renders in flight.
	inflight  map[string]*call
	seq       uint64            // bumped by every Invalidate and Purge
	depSeq    map[string]uint64 // dep → seq of its last invalidation while renders were in flight
	purgedAt  uint64            // seq of the last Purge
	pruneSize int               // len(depSeq) that triggers pruning

	// freq estimates how often each key is asked for; when the cache is
	// full, a new page is stored only if it is asked for at least as often
	// as the page it would evict (admit false: plain CLOCK).
	freq  *sketch
	admit bool

	// onDrop, if set, hears of the hot pages each Invalidate dropped.
	onDrop func([]Dropped)

	hits, misses, fills, fillErrors, discarded atomic.Uint64
	evictions, invalidations, tooLarge         atomic.Uint64
	rejected, trimmed                          atomic.Uint64
}

// entry is one cached page, linked into the CLOCK ring.
type entry struct {
	key        string
	hash       uint64 // of key, in freq
	page       *Page
	size       int64       // bytes charged; guarded by Cache.mu
	ref        atomic.Bool // CLOCK reference bit, set on hit under the read lock
	prev, next *entry
}

// call is one render in flight and the requests waiting for it.
type call struct {
	done    chan struct{} // closed when page/err are set
	start   uint64        // Cache.seq when the render started
	waiters int           // requests still waiting; guarded by Cache.mu
	cancel  context.CancelFunc
	want    Coding // the coding the request that started the render asked for
	hash    uint64 // of the key, in freq

	// detached is set when every waiter gave up: the render is cancelled and
	// no longer findable, so a later Get starts a fresh one.
	detached bool

	// Set before done is closed.
	page  *Page
	err   error
	stale bool // a dependency was invalidated during the render; not stored
}

// Stats is a snapshot of cache counters.
type Stats struct {
	Hits   uint64 // Gets answered from a stored page
	Misses uint64 // Gets that had to wait for a render (their own or a shared one)
	Fills  uint64 // renders started
	// FillErrors counts renders that failed; errors are not cached.
	FillErrors uint64
	// Discarded counts renders not stored because their dependencies were
	// invalidated (or the cache purged) while they ran, or because every
	// waiter gave up.
	Discarded     uint64
	Evictions     uint64 // pages dropped to stay within the budget
	Invalidations uint64 // pages dropped by Invalidate and Purge
	TooLarge      uint64 // rendered pages bigger than the whole budget, served but not stored
	// Rejected counts renders not stored because the cache was full and the
	// page is asked for less often than the one it would have evicted.
	Rejected uint64
	// Trimmed counts identity bodies dropped from stored pages to make
	// room; those pages are then decoded again per identity request.
	Trimmed uint64
	Entries int
	Bytes   int64 // bytes charged against the budget
	Budget  int64
}

// New returns a cache that keeps at most budgetBytes of pages (their bytes
// in the codings kept, and bookkeeping); 0 or less means DefaultBudget.
func New(budgetBytes int64) *Cache {
	if budgetBytes <= 0 {
		budgetBytes = DefaultBudget
	}
	return &Cache{
		budget: budgetBytes,
		// Sized for the pages the budget holds at about 4 KiB each (a
		// compressed article is 7-10 KiB): 128 KiB of counters per 256 MiB.
		freq:      newSketch(int(min(budgetBytes/4096, 1<<22))),
		admit:     true,
		now:       time.Now,
		entries:   make(map[string]*entry),
		deps:      make(map[string]map[*entry]struct{}),
		inflight:  make(map[string]*call),
		depSeq:    make(map[string]uint64),
		pruneSize: 1024,
	}
}

// Get is GetCoding for a client that accepts brotli.
func (c *Cache) Get(ctx context.Context, key string, fill func(ctx context.Context) (*Page, error)) (*Page, error) {
	return c.GetCoding(ctx, key, Brotli, fill)
}

// GetCoding returns the page stored under key. On a miss it calls fill to render
// it, once however many goroutines ask for key concurrently; they all get the
// same page or the same error. Errors are not cached. A render whose
// dependencies are invalidated while it runs is not stored, and Gets that
// joined it after the invalidation render again rather than take its page.
//
// fill returns a fresh page with Body, ContentType and Deps set; Get
// compresses it in the coding want (what the asking client prefers, from
// Preferred) and adds ETag and Last-Modified before storing it, so fill must
// not keep or modify the page. The page's other codings are made when first
// asked for (Page.Bytes). fill runs in its own goroutine with no lock
// held, under a context that carries ctx's values but is cancelled only when
// every waiting Get has given up. A fill that panics fails with an error.
//
// If ctx is done before the page is ready, Get returns ctx.Err().
func (c *Cache) GetCoding(ctx context.Context, key string, want Coding, fill func(ctx context.Context) (*Page, error)) (*Page, error) {
	// Fast path: read lock, map lookup, atomic counters and reference bit.
	c.mu.RLock()
	e := c.entries[key]
	c.mu.RUnlock()
	if e != nil {
		c.touch(e)
		return e.page, nil
	}
	h := c.freq.hash(key)
	c.freq.add(h)
	for {
		c.mu.Lock()
		if e := c.entries[key]; e != nil {
			c.mu.Unlock()
			c.touch(e)
			return e.page, nil
		}
		c.misses.Add(1)
		joined := c.seq
		cl := c.inflight[key]
		if cl == nil {
			cl = c.startLocked(ctx, key, h, want, fill)
		}
		cl.waiters++
		c.mu.Unlock()

		select {
		case <-cl.done:
		case <-ctx.Done():
			if c.leave(key, cl) {
				return nil, ctx.Err()
			}
			// The render finished meanwhile: use it.
		}
		if cl.err != nil {
			return nil, cl.err
		}
		// A waiter that joined after an invalidation must not get a render
		// that started before it and read a dependency it invalidated. We
		// do not know when exactly that dependency was invalidated, so any
		// waiter that joined after the render started tries again.
		if cl.stale && joined > cl.start {
			continue
		}
		return cl.page, nil
	}
}

func (c *Cache) touch(e *entry) {
	// Only write the shared cache line when the bit changes.
	if !e.ref.Load() {
		e.ref.Store(true)
	}
	c.freq.add(e.hash)
	c.hits.Add(1)
}

// startLocked registers and starts a render for key.
func (c *Cache) startLocked(ctx context.Context, key string, h uint64, want Coding, fill func(context.Context) (*Page, error)) *call {
	fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	cl := &call{done: make(chan struct{}), start: c.seq, cancel: cancel, want: want, hash: h}
	c.inflight[key] = cl
	c.fills.Add(1)
	go c.run(fctx, key, cl, fill)
	return cl
}

// leave records that a waiter gave up. The last one to leave cancels the
// render and detaches it so the next Get starts afresh. It reports false if
// the render had already finished.
func (c *Cache) leave(key string, cl *call) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case <-cl.done:
		return false
	default:
	}
	cl.waiters--
	if cl.waiters == 0 {
		cl.detached = true
		cl.cancel()
		if c.inflight[key] == cl {
			delete(c.inflight, key)
		}
	}
	return true
}

// run renders and compresses with no lock held, then stores the page unless
// it went stale meanwhile, and wakes the waiters.
func (c *Cache) run(ctx context.Context, key string, cl *call, fill func(context.Context) (*Page, error)) {
	defer cl.cancel()
	p, err := safeFill(ctx, key, fill)
	if err == nil {
		err = prepare(p, cl.want, c.now())
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inflight[key] == cl {
		delete(c.inflight, key)
	}
	switch {
	case err != nil:
		c.fillErrors.Add(1)
		cl.err = err
	default:
		cl.page = p
		cl.stale = c.staleLocked(cl.start, p.Deps)
		if cl.stale || cl.detached {
			c.discarded.Add(1)
		} else {
			c.insertLocked(key, cl.hash, p)
		}
	}
	if len(c.inflight) == 0 {
		// No render in flight is older than now, so past invalidations can
		// no longer make one stale.
		clear(c.depSeq)
	}
	close(cl.done)
}

func safeFill(ctx context.Context, key string, fill func(context.Context) (*Page, error)) (p *Page, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("cache: render %q panicked: %v\n%s", key, v, debug.Stack())
		}
	}()
	p, err = fill(ctx)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Stats returns a snapshot of the counters.
func (c *Cache) Stats() Stats {
	c.mu.RLock()
	entries, bytes := len(c.entries), c.bytes
	c.mu.RUnlock()
	return Stats{
		Hits:          c.hits.Load(),
		Misses:        c.misses.Load(),
		Fills:         c.fills.Load(),
		FillErrors:    c.fillErrors.Load(),
		Discarded:     c.discarded.Load(),
		Evictions:     c.evictions.Load(),
		Invalidations: c.invalidations.Load(),
		TooLarge:      c.tooLarge.Load(),
		Rejected:      c.rejected.Load(),
		Trimmed:       c.trimmed.Load(),
		Entries:       entries,
		Bytes:         bytes,
		Budget:        c.budget,
	}
}

// Keys returns the keys of the stored pages, sorted.
func (c *Cache) Keys() []string {
	c.mu.RLock()
	keys := make([]string, 0, len(c.entries))
	for k := range c.entries {
		keys = append(keys, k)
	}
	c.mu.RUnlock()
	slices.Sort(keys)
	return keys
}
