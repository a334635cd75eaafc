// Package changes relays cache invalidations between the processes that share
// one database. A write's dependency keys drop the local cache at once and go
// to the event log; every serving process polls the log and drops the pages
// that other processes (an import, a translation run, another node) made
// stale.
//
// It imports store; the cache is reached through a function.
package changes

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"time"

	"folio/internal/store"
)

// Relay fans change notices out locally and through the event log.
type Relay struct {
	events store.EventStore
	origin string
	local  func(deps ...string)
	log    *slog.Logger
	now    func() time.Time
}

// Keep is how long events stay in the log: long enough for any poller to
// see them, short enough that the table stays small.
const Keep = time.Hour

// New returns a Relay. local, when not nil, receives every change at once,
// in the writing process, before the write's caller regains control.
func New(events store.EventStore, local func(deps ...string), log *slog.Logger) *Relay {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &Relay{events: events, origin: hex.EncodeToString(b[:]), local: local, log: log, now: time.Now}
}

// Notify applies deps locally and records them for other processes. A failed
// append is logged: the local cache is already correct, and other processes
// only miss this invalidation.
func (r *Relay) Notify(deps ...string) {
	if r.local != nil {
		r.local(deps...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.events.AppendEvent(ctx, r.origin, deps); err != nil {
		r.log.Error("record change event", "err", err)
	}
}

// Run polls the log every interval until ctx ends, applying other
// processes' events locally, and prunes old events now and then. Events
// written before Run started are ignored: a fresh cache holds nothing stale.
func (r *Relay) Run(ctx context.Context, interval time.Duration) error {
	last, err := r.events.LastEventID(ctx)
	if err != nil {
		return err
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	lastPrune := r.now()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
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
			if e.Origin != r.origin && r.local != nil {
				r.local(e.Deps...)
			}
			last = e.ID
		}
		if len(evs) < 500 {
			return last
		}
	}
}
