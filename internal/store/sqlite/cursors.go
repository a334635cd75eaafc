package sqlite

import (
	"context"

	"folio/internal/store"
)

// EventCursor returns the position consumer name saved; not_found when none.
func (db *DB) EventCursor(ctx context.Context, name string) (int64, error) {
	var pos int64
	err := db.inRead(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT position FROM event_cursors WHERE name = ?`, name).Scan(&pos)
		return mapError(err, func() error { return store.NotFound("event cursor", name) })
	}, "event cursor %s", name)
	return pos, err
}

// SaveEventCursor moves name's position forward to pos, never back.
func (db *DB) SaveEventCursor(ctx context.Context, name string, pos int64) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO event_cursors (name, position, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET position = MAX(event_cursors.position, excluded.position), updated_at = excluded.updated_at`,
			name, pos, formatTime(tx.now))
		return err
	}, "save event cursor %s", name)
}
