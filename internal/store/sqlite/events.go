package sqlite

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"folio/internal/cache/key"
	"folio/internal/store"
)

// AppendEvent records ev. An event that changed nothing is not recorded.
func (db *DB) AppendEvent(ctx context.Context, ev key.Event) error {
	if len(ev.Keys) == 0 && len(ev.Changes) == 0 {
		return nil
	}
	changes, err := json.Marshal(ev.Changes)
	if err != nil {
		return store.Wrap(err, "append change event")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "append change event")
	}
	defer tx.rollback()
	at := ev.At
	if at.IsZero() {
		at = tx.now
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO change_events (at, origin, deps, changes) VALUES (?, ?, ?, ?)`,
		formatTime(at), ev.Origin, strings.Join(ev.Keys, " "), string(changes)); err != nil {
		return store.Wrap(err, "append change event")
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "append change event")
	}
	return nil
}

// EventsAfter returns up to limit events with ID > after, oldest first.
func (db *DB) EventsAfter(ctx context.Context, after int64, limit int) ([]*store.ChangeEvent, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, store.Wrap(err, "events after %d", after)
	}
	defer tx.rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, at, origin, deps, changes FROM change_events WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, store.Wrap(err, "events after %d", after)
	}
	defer rows.Close()
	out := []*store.ChangeEvent{}
	for rows.Next() {
		var e store.ChangeEvent
		var deps, changes string
		if err := rows.Scan(&e.ID, timeDst(&e.At), &e.Origin, &deps, &changes); err != nil {
			return nil, store.Wrap(err, "events after %d", after)
		}
		e.Keys = strings.Fields(deps)
		if err := json.Unmarshal([]byte(changes), &e.Changes); err != nil {
			return nil, store.Wrap(err, "event %d: changes", e.ID)
		}
		out = append(out, &e)
	}
	return out, store.Wrap(rows.Err(), "events after %d", after)
}

// LastEventID returns the newest event's ID ever written, 0 when there is
// none; AUTOINCREMENT keeps it after old events are pruned.
func (db *DB) LastEventID(ctx context.Context) (int64, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return 0, store.Wrap(err, "last event id")
	}
	defer tx.rollback()
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'change_events'), 0)`).Scan(&id); err != nil {
		return 0, store.Wrap(err, "last event id")
	}
	return id, nil
}

// PruneEvents deletes events older than before.
func (db *DB) PruneEvents(ctx context.Context, before time.Time) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "prune events")
	}
	defer tx.rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM change_events WHERE at < ?`, formatTime(before)); err != nil {
		return store.Wrap(err, "prune events")
	}
	return store.Wrap(tx.Commit(), "prune events")
}
