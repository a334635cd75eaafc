package postgres

import (
	"context"
	"fmt"
	"time"
)

// ListenChanges announces, until ctx ends, the ID of every change event any
// process appends (NOTIFY on ChangeChannel), through announce. After each
// (re)connection it calls announce(0) first: notifications sent while no
// connection was listening are lost, so the caller must then catch up from
// the change_events table. A broken connection is reported to onError (if
// not nil) and replaced, with a backoff of up to five seconds.
func (db *DB) ListenChanges(ctx context.Context, announce func(id int64), onError func(error)) error {
	backoff := 50 * time.Millisecond
	for {
		listening, err := db.listenOnce(ctx, announce)
		if ctx.Err() != nil {
			return nil
		}
		if onError != nil {
			onError(err)
		}
		if listening {
			backoff = 50 * time.Millisecond
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

// listenOnce holds one connection listening until it fails, and reports
// whether it got as far as listening.
func (db *DB) listenOnce(ctx context.Context, announce func(id int64)) (bool, error) {
	pc, err := db.pool.Acquire(ctx)
	if err != nil {
		return false, fmt.Errorf("store: listen for changes: %w", err)
	}
	// The connection leaves the pool for good: it carries LISTEN state that
	// no other user of the pool should inherit.
	conn := pc.Hijack()
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+ChangeChannel); err != nil {
		return false, fmt.Errorf("store: listen for changes: %w", err)
	}
	announce(0)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true, fmt.Errorf("store: wait for changes: %w", err)
		}
		id, err := parseEventID(n.Payload)
		if err != nil {
			// Not ours to understand; a catch-up finds whatever it was.
			announce(0)
			continue
		}
		announce(id)
	}
}
