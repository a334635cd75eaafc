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

// staleLocked reports whether a render that started at seq start and read
// deps saw data that has since been invalidated. Only called for renders
// still registered in inflight (or those that just left it), whose start is
// at least the seq at which depSeq was last pruned.
func (c *Cache) staleLocked(start uint64, deps []string) bool {
	if c.purgedAt > start {
		return true
	}
	if len(c.depSeq) == 0 {
		return false
	}
	for _, d := range deps {
		if c.depSeq[d] > start {
			return true
		}
	}
	return false
}

// insertLocked stores p under key, evicting as needed to stay in budget.
// When the cache is full, the page is admitted only if it is asked for at
// least as often as the page CLOCK would evict for it; otherwise it is
// served to those waiting for it but not stored.
func (c *Cache) insertLocked(key string, h uint64, p *Page) {
	if old := c.entries[key]; old != nil {
		c.removeLocked(old)
	}
	e := &entry{key: key, hash: h, page: p}
	size := p.size(key)
	if size > c.budget {
		c.tooLarge.Add(1)
		return
	}
	for c.bytes+size > c.budget && c.hand != nil {
		v := c.victimLocked()
		if v == nil {
			continue // trimmed an identity body; look again
		}
		if c.admit && c.freq.estimate(h) < c.freq.estimate(v.hash) {
			c.rejected.Add(1)
			return
		}
		c.removeLocked(v)
		c.evictions.Add(1)
	}
	p.v.owner, p.v.entry = c, e
	e.size = size
	c.entries[key] = e
	c.bytes += size
	// Insert just behind the hand: the last place the next sweep looks.
	if c.hand == nil {
		e.prev, e.next = e, e
		c.hand = e
	} else {
		e.next, e.prev = c.hand, c.hand.prev
		e.prev.next, e.next.prev = e, e
	}
	for _, d := range p.Deps {
		set := c.deps[d]
		if set == nil {
			set = make(map[*entry]struct{}, 1)
			c.deps[d] = set
		}
		set[e] = struct{}{}
	}
}

// victimLocked advances the CLOCK hand to the page to evict next and
// returns it, still stored: pages read since the hand last passed get a
// second chance. New pages start unreferenced, so a page rendered once and
// never read again goes before pages in use. On the way, an identity body
// not read since the last pass is dropped (it is cheap to decode again);
// when that happens victimLocked returns nil, as room was made.
func (c *Cache) victimLocked() *entry {
	for {
		e := c.hand
		if c.trimLocked(e) {
			c.hand = e.next
			return nil
		}
		if e.ref.Load() {
			e.ref.Store(false)
			c.hand = e.next
			continue
		}
		return e
	}
}

// trimLocked drops e's identity body if it keeps one beside a compressed
// coding and it was not read since the hand last passed.
func (c *Cache) trimLocked(e *entry) bool {
	v := e.page.v
	if !v.compressed {
		return false
	}
	b := v.b[Identity].Load()
	if b == nil {
		return false
	}
	if v.idRef.Swap(false) {
		return false
	}
	v.b[Identity].Store(nil)
	v.idHits.Store(0)
	n := blobSize(b)
	e.size -= n
	c.bytes -= n
	c.trimmed.Add(1)
	return true
}

// maxTrimScan bounds how many pages trimForLocked looks at for one
// identity body, so a full cache of pages without identity bodies costs a
// reader little.
const maxTrimScan = 64

// trimForLocked makes room for an optional n bytes by dropping identity
// bodies not read since the hand last passed, never whole pages. It moves
// the CLOCK hand as eviction does and reports whether room was made.
func (c *Cache) trimForLocked(n int64) bool {
	for i := 0; i < maxTrimScan && c.hand != nil && c.bytes+n > c.budget; i++ {
		e := c.hand
		c.trimLocked(e)
		c.hand = e.next
	}
	return c.bytes+n <= c.budget
}

// attach stores coding co of the page whose variants are v, which c holds
// or held. If the page is still stored, the bytes are charged to it; need
// says whether other pages may be evicted to make room, otherwise the coding
// is kept only if it fits.
func (c *Cache) attach(v *variants, co Coding, b *blob, need bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := v.entry
	if e == nil || c.entries[e.key] != e {
		// Evicted or invalidated meanwhile: nothing to charge.
		v.b[co].Store(b)
		return
	}
	n := blobSize(b) - blobSize(v.b[co].Load())
	if !need && c.bytes+n > c.budget && !c.trimForLocked(n) {
		return
	}
	v.b[co].Store(b)
	e.size += n
	c.bytes += n
	for c.bytes > c.budget && c.hand != nil {
		if victim := c.victimLocked(); victim != nil {
			c.removeLocked(victim)
			c.evictions.Add(1)
		}
	}
}

func (c *Cache) removeLocked(e *entry) {
	delete(c.entries, e.key)
	c.bytes -= e.size
	if e.next == e {
		c.hand = nil
	} else {
		e.prev.next, e.next.prev = e.next, e.prev
		if c.hand == e {
			c.hand = e.next
		}
	}
	e.prev, e.next = nil, nil
	for _, d := range e.page.Deps {
		if set := c.deps[d]; set != nil {
			delete(set, e)
			if len(set) == 0 {
				delete(c.deps, d)
			}
		}
	}
}

// Invalidate drops every page whose Deps include any of deps and returns how
// many it dropped. Renders in flight that read any of deps are not stored
// when they finish, and Gets that start after Invalidate returns do not
// receive them. The cost is proportional to the pages dropped.
func (c *Cache) Invalidate(deps ...string) int {
	c.mu.Lock()
	c.seq++
	n := 0
	var hot []Dropped
	for _, d := range deps {
		for e := range c.deps[d] {
			if c.onDrop != nil && len(hot) < maxRefresh && c.hotLocked(e) {
				hot = append(hot, dropped(e))
			}
			c.removeLocked(e)
			n++
		}
		if len(c.inflight) > 0 {
			c.depSeq[d] = c.seq
		}
	}
	if len(c.depSeq) > c.pruneSize {
		c.pruneLocked()
	}
	c.invalidations.Add(uint64(n))
	onDrop := c.onDrop
	c.mu.Unlock()
	if onDrop != nil && len(hot) > 0 {
		onDrop(hot)
	}
	return n
}

// maxRefresh bounds the hot pages one Invalidate reports to OnDrop: a
// site-wide change (settings) drops every page, and re-rendering them all
// at once would compete with readers for the same cores.
const maxRefresh = 64

// hotThreshold is the request count estimate from which a dropped page is
// hot enough to re-render before anyone asks.
const hotThreshold = 3

// hotLocked reports whether e is read often enough to re-render eagerly.
func (c *Cache) hotLocked(e *entry) bool {
	return c.freq.estimate(e.hash) >= hotThreshold
}

// Dropped is a hot page an invalidation dropped: its key and the codings it
// was kept in, the one it was first stored in first.
type Dropped struct {
	Key     string
	Codings []Coding
}

func dropped(e *entry) Dropped {
	v := e.page.v
	d := Dropped{Key: e.key, Codings: []Coding{v.primary}}
	for _, c := range []Coding{Brotli, Gzip} {
		if c != v.primary && v.b[c].Load() != nil {
			d.Codings = append(d.Codings, c)
		}
	}
	return d
}

// OnDrop registers fn to hear, after each Invalidate, of the hot pages it
// dropped (those asked for often lately, at most 64), so that they can be
// rendered again before the next reader asks. fn runs on the invalidating
// goroutine with no lock held and must not block; a render it starts
// through Get after Invalidate returned is never stale. Call it before the
// cache is used.
func (c *Cache) OnDrop(fn func([]Dropped)) {
	c.mu.Lock()
	c.onDrop = fn
	c.mu.Unlock()
}

// pruneLocked forgets invalidations older than every render in flight; they
// can no longer make a render stale. depSeq is also cleared whenever no
// render is in flight, so this only runs under a steady stream of misses.
func (c *Cache) pruneLocked() {
	oldest := c.seq
	for _, cl := range c.inflight {
		oldest = min(oldest, cl.start)
	}
	for d, s := range c.depSeq {
		if s <= oldest {
			delete(c.depSeq, d)
		}
	}
	c.pruneSize = max(1024, 2*len(c.depSeq))
}

// Purge drops every page. Renders in flight are not stored.
func (c *Cache) Purge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	c.purgedAt = c.seq
	c.invalidations.Add(uint64(len(c.entries)))
	clear(c.entries)
	clear(c.deps)
	clear(c.depSeq)
	c.hand = nil
	c.bytes = 0
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
