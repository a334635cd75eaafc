package cache

// Keeping the cache within its budget: inserting an entry, choosing a CLOCK
// victim that admission may refuse, trimming kept codings before evicting
// whole pages, and removing entries.

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
