package republish

import (
	"context"
	"hash/maphash"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

// Defaults of a Counter.
const (
	// DefaultFlushEvery is how often counts reach the database: one write
	// transaction per interval, however many hits.
	DefaultFlushEvery = 10 * time.Second
	// DefaultMaxKeys bounds the distinct (article, page, day) counts held
	// between flushes; beyond it new pages are counted under their domain
	// only, so a flood of made-up referrers cannot grow memory.
	DefaultMaxKeys = 20000
	// DefaultPerClient is how many hits one client address may count per
	// minute; the rest are answered and not counted.
	DefaultPerClient = 120
	maxPage          = 300
)

// Counter aggregates tracking-image hits in memory and flushes them to
// the store. No hit writes the database, and nothing about the reader is
// kept: the client address is hashed (with a per-process seed) for the
// rate limit only and forgotten every minute.
type Counter struct {
	// Record stores flushed counts; the store's RecordRepublishViews.
	Record func(ctx context.Context, vs []store.RepublishView) error
	// Own is the site's own host (with port); hits from its own pages,
	// such as the republish preview, are not republications.
	Own       func() string
	MaxKeys   int
	PerClient int
	Now       func() time.Time

	mu      sync.Mutex
	counts  map[viewKey]int64
	clients map[uint64]int
	window  time.Time
	seed    maphash.Seed
	once    sync.Once

	rules atomic.Pointer[domainRules]

	// Totals since start, for metrics and the benchmark.
	Hits, Counted, Bots, Limited, Refused, Flushed atomic.Int64
}

type viewKey struct {
	article int64
	domain  string
	page    string
	day     int64 // Unix day
}

type domainRules struct {
	allow map[string]bool
	block map[string]bool
}

// SetRules replaces the domain rules the counter applies.
func (c *Counter) SetRules(rs []*store.DomainRule) {
	r := &domainRules{allow: map[string]bool{}, block: map[string]bool{}}
	for _, x := range rs {
		if x.Rule == store.DomainAllow {
			r.allow[x.Domain] = true
		} else {
			r.block[x.Domain] = true
		}
	}
	c.rules.Store(r)
}

func (c *Counter) init() {
	c.once.Do(func() {
		c.seed = maphash.MakeSeed()
		c.counts = map[viewKey]int64{}
		c.clients = map[uint64]int{}
		if c.MaxKeys <= 0 {
			c.MaxKeys = DefaultMaxKeys
		}
		if c.PerClient <= 0 {
			c.PerClient = DefaultPerClient
		}
		if c.Now == nil {
			c.Now = time.Now
		}
	})
}

// Outcome says what Hit did with a hit.
type Outcome int

// Outcomes of Hit.
const (
	Counted Outcome = iota
	Bot             // a crawler or a prefetch, not a view
	Limited         // over the client's rate
	Refused         // own page, blocked or not allowed domain
)

// Hit counts one view of article seen on the page referrer, from client
// (an address, hashed and kept for a minute at most).
func (c *Counter) Hit(article int64, referrer, client string, bot bool) Outcome {
	c.init()
	c.Hits.Add(1)
	if bot {
		c.Bots.Add(1)
		return Bot
	}
	domain, page := splitReferrer(referrer)
	if own := c.Own; own != nil && domain != "" && domain == content.NormalizeDomain(own()) {
		c.Refused.Add(1)
		return Refused
	}
	if r := c.rules.Load(); r != nil {
		if r.block[domain] || (len(r.allow) > 0 && !r.allow[domain]) {
			c.Refused.Add(1)
			return Refused
		}
	}
	now := c.Now().UTC()
	h := maphash.String(c.seed, client)
	c.mu.Lock()
	defer c.mu.Unlock()
	if now.Sub(c.window) >= time.Minute {
		clear(c.clients)
		c.window = now
	}
	if c.clients[h] >= c.PerClient {
		c.Limited.Add(1)
		return Limited
	}
	c.clients[h]++
	k := viewKey{article: article, domain: domain, page: page, day: now.Unix() / 86400}
	if _, ok := c.counts[k]; !ok && len(c.counts) >= c.MaxKeys {
		k.page = ""
	}
	c.counts[k]++
	c.Counted.Add(1)
	return Counted
}

// splitReferrer returns the normalized domain of a referring page and the
// page without query or fragment (which can carry personal data).
func splitReferrer(ref string) (domain, page string) {
	if ref == "" {
		return "", ""
	}
	u, err := url.Parse(ref)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", ""
	}
	domain = content.NormalizeDomain(u.Host)
	if domain == "" {
		return "", ""
	}
	page = u.Scheme + "://" + strings.ToLower(u.Host) + u.EscapedPath()
	if len(page) > maxPage {
		page = page[:maxPage]
	}
	return domain, page
}

// Pending returns the counts not yet flushed, for the dashboard.
func (c *Counter) Pending() []store.RepublishView {
	c.init()
	c.mu.Lock()
	defer c.mu.Unlock()
	return views(c.counts)
}

func views(m map[viewKey]int64) []store.RepublishView {
	out := make([]store.RepublishView, 0, len(m))
	for k, n := range m {
		out = append(out, store.RepublishView{ArticleID: k.article, Domain: k.domain, Page: k.page,
			Day: time.Unix(k.day*86400, 0).UTC(), Views: n})
	}
	return out
}

// Flush writes the aggregated counts in one transaction. Counts that fail
// to be written are kept for the next flush.
func (c *Counter) Flush(ctx context.Context) error {
	c.init()
	c.mu.Lock()
	m := c.counts
	c.counts = make(map[viewKey]int64, len(m))
	c.mu.Unlock()
	if len(m) == 0 {
		return nil
	}
	vs := views(m)
	if err := c.Record(ctx, vs); err != nil {
		c.mu.Lock()
		for k, n := range m {
			c.counts[k] += n
		}
		c.mu.Unlock()
		return err
	}
	var n int64
	for _, v := range vs {
		n += v.Views
	}
	c.Flushed.Add(n)
	return nil
}

// Run flushes every interval until ctx ends, then once more; reload, when
// set, refreshes the domain rules at each flush.
func (c *Counter) Run(ctx context.Context, every time.Duration, reload func(context.Context) ([]*store.DomainRule, error), onErr func(error)) {
	if every <= 0 {
		every = DefaultFlushEvery
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := c.Flush(context.WithoutCancel(ctx)); err != nil && onErr != nil {
				onErr(err)
			}
			return
		case <-t.C:
			if reload != nil {
				if rs, err := reload(ctx); err == nil {
					c.SetRules(rs)
				}
			}
			// A flush under way finishes even if ctx ends meanwhile.
			if err := c.Flush(context.WithoutCancel(ctx)); err != nil && onErr != nil {
				onErr(err)
			}
		}
	}
}
