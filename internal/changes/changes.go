// Package changes carries change events between the processes that share one
// database. The editorial service publishes one key.Event per committed
// write; the relay hands it at once to this process's subscribers (the page
// cache, the search index) and appends it to the change log. Every serving
// process polls the log and hands its subscribers the events other processes
// (an import, a translation run, another node) wrote.
//
// It imports store and cache/key; subscribers are plain functions.
package changes

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"strings"
	"sync"
	"time"

	"folio/internal/cache/key"
	"folio/internal/store"
)

// Relay fans change events out locally and through the event log.
type Relay struct {
	events store.EventStore
	origin string
	log    *slog.Logger
	now    func() time.Time

	mu   sync.RWMutex
	subs []func(key.Event)
}

// Keep is how long events stay in the log: long enough for any poller to
// see them and for consumers that resume from a saved position (webhook
// delivery, the search index) to catch up after days down, short enough
// that the table stays small (one short row per write).
const Keep = 7 * 24 * time.Hour

// New returns a Relay whose subscribers receive every event: this process's
// at once, before the writer regains control, and other processes' when Run
// reads them from the log.
func New(events store.EventStore, log *slog.Logger, subscribers ...func(key.Event)) *Relay {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &Relay{events: events, origin: hex.EncodeToString(b[:]), log: log, now: time.Now, subs: subscribers}
}

// cliPrefix starts the origin of a command-line process (NewCLI), so
// serving nodes can tell its writes from another node's.
const cliPrefix = "cli-"

// NewCLI is New for a command that writes and exits (import, translate):
// its origin says so, so that serving nodes act for it on what only the
// writing process does, such as purging a CDN (FromCLI).
func NewCLI(events store.EventStore, log *slog.Logger, subscribers ...func(key.Event)) *Relay {
	r := New(events, log, subscribers...)
	r.origin = cliPrefix + r.origin
	return r
}

// FromCLI reports whether origin is a command-line process's (NewCLI).
func FromCLI(origin string) bool { return strings.HasPrefix(origin, cliPrefix) }

// Subscribe adds fn to the subscribers. Register before writes start; fn runs
// in the writer's (or the poller's) goroutine and must not block for long.
func (r *Relay) Subscribe(fn func(key.Event)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.subs = append(r.subs, fn)
}

// Origin names this process in the events it writes.
func (r *Relay) Origin() string { return r.origin }

func (r *Relay) deliver(ev key.Event) {
	r.mu.RLock()
	subs := r.subs
	r.mu.RUnlock()
	for _, fn := range subs {
		fn(ev)
	}
}

// Publish applies ev locally and records it for other processes. A failed
// append is logged: the local cache is already correct, and other processes
// only miss this invalidation.
func (r *Relay) Publish(ev key.Event) {
	ev.Origin = r.origin
	if ev.At.IsZero() {
		ev.At = r.now().UTC()
	}
	r.deliver(ev)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.events.AppendEvent(ctx, ev); err != nil {
		r.log.Error("record change event", "err", err)
	}
}

// Run polls the log every interval until ctx ends, handing other processes'
// events to the subscribers, and prunes old events now and then. Events
// written before Run started are ignored: a fresh cache holds nothing stale.
func (r *Relay) Run(ctx context.Context, interval time.Duration) error {
	last, err := r.events.LastEventID(ctx)
	if err != nil {
		return err
	}
	return r.follow(ctx, last, interval, nil)
}

// follow reads the log after last every interval, and whenever wake says
// an event after last was written (0: something may have been missed, read
// anyway), until ctx ends.
func (r *Relay) follow(ctx context.Context, last int64, interval time.Duration, wake <-chan int64) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	var lastPrune time.Time // the first pass prunes: a node may run for less than Keep/4
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case id := <-wake:
			if id != 0 && id <= last {
				continue // already read, by a poll or an earlier wake
			}
		}
		last = r.apply(ctx, last)
		if r.now().Sub(lastPrune) > Keep/4 {
			lastPrune = r.now()
			if err := r.events.PruneEvents(ctx, r.now().Add(-Keep)); err != nil && ctx.Err() == nil {
				r.log.Warn("prune change events", "err", err)
			}
		}
	}
}

// apply drains the events after last and returns the new position.
func (r *Relay) apply(ctx context.Context, last int64) int64 {
	for {
		evs, err := r.events.EventsAfter(ctx, last, 500)
		if err != nil {
			if ctx.Err() == nil {
				r.log.Warn("read change events", "err", err)
			}
			return last
		}
		for _, e := range evs {
			if e.Origin != r.origin {
				r.deliver(e.Event)
			}
			last = e.ID
		}
		if len(evs) < 500 {
			return last
		}
	}
}
