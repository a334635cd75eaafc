package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"folio/internal/cache/key"
	"folio/internal/store"
)

// ChangeChannel is the NOTIFY channel on which every appended change event
// announces its ID.
const ChangeChannel = "folio_changes"

// changeLockKey is the advisory lock that orders appends (a constant of our
// own choosing, "folio" in ASCII).
const changeLockKey = 0x666f6c696f

// AppendEvent records ev and announces its ID on ChangeChannel when the
// transaction commits. An event that changed nothing is not recorded.
func (db *DB) AppendEvent(ctx context.Context, ev key.Event) error {
	if len(ev.Keys) == 0 && len(ev.Changes) == 0 {
		return nil
	}
	changes, err := json.Marshal(ev.Changes)
	if err != nil {
		return store.Wrap(err, "append change event")
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
		at := ev.At
		if at.IsZero() {
			at = tx.now
		}
		id, err := tx.insertID(ctx, `INSERT INTO change_events (at, origin, deps, changes) VALUES (?, ?, ?, ?)`,
			dbTime(at), ev.Origin, strings.Join(ev.Keys, " "), string(changes))
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
		rows, err := tx.QueryContext(ctx, `SELECT id, at, origin, deps, changes FROM change_events WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e store.ChangeEvent
			var deps, changes string
			if err := rows.Scan(&e.ID, timeDst(&e.At), &e.Origin, &deps, &changes); err != nil {
				return err
			}
			e.Keys = strings.Fields(deps)
			if err := json.Unmarshal([]byte(changes), &e.Changes); err != nil {
				return fmt.Errorf("event %d: changes: %w", e.ID, err)
			}
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
