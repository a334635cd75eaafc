package store

import (
	"context"
	"strconv"
	"time"
)

// ChangeEvent is one write's invalidation, as recorded for other processes.
type ChangeEvent struct {
	ID     int64
	At     time.Time
	Origin string
	Deps   []string
}

// EventStore is the log through which processes sharing a database tell
// each other which cached pages their writes made stale.
type EventStore interface {
	// AppendEvent records deps as changed by origin.
	AppendEvent(ctx context.Context, origin string, deps []string) error
	// EventsAfter returns up to limit events with ID > after, oldest first.
	EventsAfter(ctx context.Context, after int64, limit int) ([]*ChangeEvent, error)
	// LastEventID returns the newest event's ID, 0 when there is none.
	LastEventID(ctx context.Context) (int64, error)
	// PruneEvents deletes events older than before.
	PruneEvents(ctx context.Context, before time.Time) error
}

// FormatEventID and ParseEventID encode an event ID for a notification
// payload, so the writer and the listeners agree on one form.
func FormatEventID(id int64) string { return strconv.FormatInt(id, 10) }

// ParseEventID decodes a payload made by FormatEventID.
func ParseEventID(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) }
