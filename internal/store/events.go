package store

import (
	"context"
	"strconv"
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

// CursorStore keeps named positions in the event log, for consumers that
// must handle every event across restarts and nodes (webhook delivery).
type CursorStore interface {
	// EventCursor returns the ID of the last event the consumer name has
	// handled; not_found when it has saved none.
	EventCursor(ctx context.Context, name string) (int64, error)
	// SaveEventCursor moves name's position forward to pos. It never moves
	// back, so nodes that read the same events may save in any order.
	SaveEventCursor(ctx context.Context, name string, pos int64) error
}

// FormatEventID and ParseEventID encode an event ID for a notification
// payload, so the writer and the listeners agree on one form.
func FormatEventID(id int64) string { return strconv.FormatInt(id, 10) }

// ParseEventID decodes a payload made by FormatEventID.
func ParseEventID(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) }
