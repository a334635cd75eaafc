package sqlite

import (
	"context"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

var _ store.SuppressionStore = (*DB)(nil)

// ApplyMailEvent records the event and suppresses the address; see
// store.SuppressionStore.
func (db *DB) ApplyMailEvent(ctx context.Context, eventID string, s *store.MailSuppression) (bool, error) {
	applied := false
	err := db.inWrite(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO mail_events (id, received_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`,
			eventID, formatTime(tx.now))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 || s == nil {
			return err // a replay, or an event that suppresses nothing
		}
		s.Email, s.CreatedAt = strings.ToLower(s.Email), tx.now
		// A complaint replaces a bounce; nothing replaces a complaint.
		res, err = tx.ExecContext(ctx, `INSERT INTO mail_suppressions (email, reason, provider, detail, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (email) DO UPDATE SET reason = excluded.reason, provider = excluded.provider, detail = excluded.detail,
			created_at = excluded.created_at WHERE mail_suppressions.reason <> 'complaint' AND excluded.reason = 'complaint'`,
			s.Email, s.Reason, s.Provider, s.Detail, formatTime(tx.now))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		applied = n > 0
		return err
	}, "apply mail event %q", eventID)
	return applied, err
}

// FindSuppression returns the address's suppression, or not_found.
func (db *DB) FindSuppression(ctx context.Context, email string) (*store.MailSuppression, error) {
	var s store.MailSuppression
	err := db.db.QueryRowContext(ctx, `SELECT email, reason, provider, detail, created_at FROM mail_suppressions WHERE email = ?`,
		strings.ToLower(email)).Scan(&s.Email, &s.Reason, &s.Provider, &s.Detail, timeDst(&s.CreatedAt))
	if err != nil {
		return nil, store.Wrap(mapError(err, func() error { return content.Errorf(content.ENOTFOUND, "that address is not suppressed") }), "find suppression")
	}
	return &s, nil
}

// PruneSuppressions deletes old suppressions and provider events.
func (db *DB) PruneSuppressions(ctx context.Context, before, eventsBefore time.Time) (int, error) {
	var n int64
	err := db.inWrite(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM mail_suppressions WHERE created_at < ?`, formatTime(before))
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM mail_events WHERE received_at < ?`, formatTime(eventsBefore))
		return err
	}, "prune mail suppressions")
	return int(n), err
}

// FindSuppressions returns suppressions newest first; see
// store.SuppressionStore.
func (db *DB) FindSuppressions(ctx context.Context, search string, limit int) ([]*store.MailSuppression, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT email, reason, provider, detail, created_at FROM mail_suppressions
		WHERE ? = '' OR instr(email, ?) > 0 ORDER BY created_at DESC, email LIMIT ?`, strings.ToLower(search), strings.ToLower(search), limitArg(limit))
	if err != nil {
		return nil, store.Wrap(err, "find suppressions")
	}
	defer rows.Close()
	var out []*store.MailSuppression
	for rows.Next() {
		var s store.MailSuppression
		if err := rows.Scan(&s.Email, &s.Reason, &s.Provider, &s.Detail, timeDst(&s.CreatedAt)); err != nil {
			return nil, store.Wrap(err, "find suppressions")
		}
		out = append(out, &s)
	}
	return out, store.Wrap(rows.Err(), "find suppressions")
}

// DeleteSuppression lifts one address's suppression.
func (db *DB) DeleteSuppression(ctx context.Context, email string) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM mail_suppressions WHERE email = ?`, strings.ToLower(email))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = content.Errorf(content.ENOTFOUND, "that address is not suppressed")
			}
			return err
		}
		return nil
	}, "lift suppression")
}
