package store

import (
	"context"
	"time"

	"folio/internal/cache/key"
)

// ChangeEvent is one committed write's change event as kept in the log.
type ChangeEvent struct {
	ID int64
	key.Event
}

// EventStore is the log through which processes sharing a database tell
// each other what their writes changed.
type EventStore interface {
	// AppendEvent records ev (its Origin names the writing process).
	AppendEvent(ctx context.Context, ev key.Event) error
	// EventsAfter returns up to limit events with ID > after, oldest first.
	EventsAfter(ctx context.Context, after int64, limit int) ([]*ChangeEvent, error)
	// LastEventID returns the newest event's ID, 0 when there is none.
	LastEventID(ctx context.Context) (int64, error)
	// PruneEvents deletes events older than before.
	PruneEvents(ctx context.Context, before time.Time) error
}
