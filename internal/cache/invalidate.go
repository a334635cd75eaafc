package cache

// Dropping pages: by dependency key when a write commits (renders that
// started before are not stored), reporting the hot pages dropped so they
// can be rendered again, and purging everything.

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
