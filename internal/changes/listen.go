package changes

import (
	"context"
	"time"
)

// Listener announces the ID of each change event as any process appends
// it, and 0 after every (re)connection, when announcements may have been
// missed; it returns when ctx ends. PostgreSQL's LISTEN/NOTIFY provides one
// (postgres.DB.ListenChanges).
type Listener func(ctx context.Context, announce func(id int64)) error

// RunListening is Run for a database that announces its events: other
// nodes' events are read from the log as soon as they are announced, and
// in full after a reconnection (the catch-up). poll is a slow safety net
// for announcements lost in other ways.
func (r *Relay) RunListening(ctx context.Context, listen Listener, poll time.Duration) error {
	// The position is taken before listening starts: an event written in
	// between is found by the catch-up that follows the connection, while
	// one taken later could pass over an event already announced.
	last, err := r.events.LastEventID(ctx)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// One pending wake is enough: reading the log after it picks up every
	// event committed before, so further announcements may be dropped.
	wake := make(chan int64, 1)
	announce := func(id int64) {
		select {
		case wake <- id:
		default:
			if id == 0 {
				// A catch-up must not be lost behind a stale ID.
				select {
				case <-wake:
				default:
				}
				select {
				case wake <- 0:
				default:
				}
			}
		}
	}
	done := make(chan error, 1)
	go func() { done <- listen(ctx, announce) }()
	err = r.follow(ctx, last, poll, wake)
	cancel()
	if lerr := <-done; err == nil {
		err = lerr
	}
	return err
}
