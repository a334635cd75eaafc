package postgres

import (
	"context"
	"strconv"
	"strings"
	"time"

	"folio/internal/store"
)

// ChangeChannel is the NOTIFY channel on which every appended change event
// announces its ID.
const ChangeChannel = "folio_changes"

// changeLockKey is the advisory lock that orders appends (a constant of our
// own choosing, "folio" in ASCII).
const changeLockKey = 0x666f6c696f

// AppendEvent records deps as changed by origin and announces the event's
// ID on ChangeChannel when the transaction commits.
func (db *DB) AppendEvent(ctx context.Context, origin string, deps []string) error {
	if len(deps) == 0 {
		return nil
	}
	return db.inWrite(ctx, func(tx *Tx) error {
		// Sequence values are handed out before commit, so two concurrent
		// appends could commit out of ID order and a reader that has seen
		// the higher ID would skip the lower one. The transaction-scoped
		// lock makes appends commit in ID order; they are one short insert
		// each, so they barely wait.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(changeLockKey)); err != nil {
			return err
		}
		id, err := tx.insertID(ctx, `INSERT INTO change_events (at, origin, deps) VALUES (?, ?, ?)`,
			dbTime(tx.now), origin, strings.Join(deps, " "))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `SELECT pg_notify(?, ?)`, ChangeChannel, formatEventID(id))
		return err
	}, "append change event")
}

// EventsAfter returns up to limit events with ID > after, oldest first.
func (db *DB) EventsAfter(ctx context.Context, after int64, limit int) ([]*store.ChangeEvent, error) {
	out := []*store.ChangeEvent{}
	err := db.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, at, origin, deps FROM change_events WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e store.ChangeEvent
			var deps string
			if err := rows.Scan(&e.ID, timeDst(&e.At), &e.Origin, &deps); err != nil {
				return err
			}
			e.Deps = strings.Fields(deps)
			out = append(out, &e)
		}
		return rows.Err()
	}, "events after %d", after)
	return out, err
}

// LastEventID returns the newest event's ID ever written, 0 when there is
// none; the sequence keeps it after old events are pruned.
func (db *DB) LastEventID(ctx context.Context) (int64, error) {
	var id int64
	err := db.inRead(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence('change_events', 'id')), 0)`).Scan(&id)
	}, "last event id")
	return id, err
}

// PruneEvents deletes events older than before.
func (db *DB) PruneEvents(ctx context.Context, before time.Time) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM change_events WHERE at < ?`, dbTime(before))
		return err
	}, "prune events")
}

// formatEventID and parseEventID encode an event ID as a NOTIFY payload.
func formatEventID(id int64) string { return strconv.FormatInt(id, 10) }

func parseEventID(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) }
