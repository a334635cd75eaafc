package sqlite

import (
	"context"
	"strings"
	"time"

	"folio/internal/store"
)

// AppendEvent records deps as changed by origin.
func (db *DB) AppendEvent(ctx context.Context, origin string, deps []string) error {
	if len(deps) == 0 {
		return nil
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "append change event")
	}
	defer tx.rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO change_events (at, origin, deps) VALUES (?, ?, ?)`,
		formatTime(tx.now), origin, strings.Join(deps, " ")); err != nil {
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
	rows, err := tx.QueryContext(ctx, `SELECT id, at, origin, deps FROM change_events WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, store.Wrap(err, "events after %d", after)
	}
	defer rows.Close()
	out := []*store.ChangeEvent{}
	for rows.Next() {
		var e store.ChangeEvent
		var deps string
		if err := rows.Scan(&e.ID, timeDst(&e.At), &e.Origin, &deps); err != nil {
			return nil, store.Wrap(err, "events after %d", after)
		}
		e.Deps = strings.Fields(deps)
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
