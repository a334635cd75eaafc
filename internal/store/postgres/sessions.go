package postgres

import (
	"context"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

const sessionColumns = `id, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent, totp_ok`

// CreateSession inserts s; conflict when its ID exists, invalid when the
// user does not.
func (db *DB) CreateSession(ctx context.Context, s *store.Session) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (`+sessionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.ID, s.UserID, s.CSRFToken, dbTime(s.CreatedAt), dbTime(s.LastSeenAt), dbTime(s.ExpiresAt),
			s.IP, s.UserAgent, s.TOTPOK)
		return mapError(err, nil)
	}, "create session for user %d", s.UserID)
}

// FindSession returns the session, or not_found. The ID is a credential
// hash, so it stays out of messages.
func (db *DB) FindSession(ctx context.Context, id string) (*store.Session, error) {
	var s store.Session
	err := db.inRead(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = ?`, id).Scan(
			&s.ID, &s.UserID, &s.CSRFToken, timeDst(&s.CreatedAt), timeDst(&s.LastSeenAt), timeDst(&s.ExpiresAt),
			&s.IP, &s.UserAgent, &s.TOTPOK)
		return mapError(err, func() error { return content.Errorf(content.ENOTFOUND, "session not found") })
	}, "find session")
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// TouchSession records activity at at.
func (db *DB) TouchSession(ctx context.Context, id string, at time.Time) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, dbTime(at), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return content.Errorf(content.ENOTFOUND, "session not found")
		}
		return nil
	}, "touch session")
}

// DeleteSession removes the session if it exists.
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id)
		return err
	}, "delete session")
}

// DeleteUserSessions removes the user's sessions except keep.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64, keep string) (int, error) {
	var n int64
	err := db.inWrite(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND id != ?`, userID, keep)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	}, "delete sessions of user %d", userID)
	return int(n), err
}

// RecordAttempt stores a sign-in or reset attempt.
func (db *DB) RecordAttempt(ctx context.Context, a *store.LoginAttempt) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO login_attempts (kind, email, ip, at, ok) VALUES (?, ?, ?, ?, ?)`,
			a.Kind, a.Email, a.IP, dbTime(a.At), a.OK)
		return err
	}, "record %s attempt", a.Kind)
}

// FindAttemptTimes returns the matching attempt times, oldest first.
func (db *DB) FindAttemptTimes(ctx context.Context, f store.AttemptFilter) ([]time.Time, error) {
	q := `SELECT at FROM login_attempts WHERE kind = ? AND at >= ?`
	args := []any{f.Kind, dbTime(f.Since)}
	if f.Email != "" {
		q += ` AND email = ?`
		args = append(args, f.Email)
	}
	if f.IP != "" {
		q += ` AND ip = ?`
		args = append(args, f.IP)
	}
	if f.FailuresOnly {
		q += ` AND NOT ok`
	}
	if f.AfterSuccess && f.Email != "" {
		q += ` AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE kind = ? AND email = ? AND ok), '-infinity'::timestamptz)`
		args = append(args, f.Kind, f.Email)
	}
	q += ` ORDER BY at, id`
	ts := []time.Time{}
	err := db.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var t time.Time
			if err := rows.Scan(timeDst(&t)); err != nil {
				return err
			}
			ts = append(ts, t)
		}
		return rows.Err()
	}, "find %s attempts", f.Kind)
	return ts, err
}

// CreateOneTimeToken inserts t.
func (db *DB) CreateOneTimeToken(ctx context.Context, t *store.OneTimeToken) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		if t.CreatedAt.IsZero() {
			t.CreatedAt = tx.now
		}
		id, err := tx.insertID(ctx, `INSERT INTO one_time_tokens (purpose, hash, user_id, created_at, expires_at, used_at)
			VALUES (?, ?, ?, ?, ?, ?)`, t.Purpose, t.Hash, t.UserID, dbTime(t.CreatedAt), dbTime(t.ExpiresAt), nullTime(t.UsedAt))
		if isUnique(err) {
			return content.Errorf(content.ECONFLICT, "a token with this secret already exists")
		} else if err != nil {
			return mapError(err, nil)
		}
		t.ID = id
		return nil
	}, "create %s token for user %d", t.Purpose, t.UserID)
}

// UseOneTimeToken marks a live token used and returns it.
func (db *DB) UseOneTimeToken(ctx context.Context, purpose, hash string, now time.Time) (*store.OneTimeToken, error) {
	var t store.OneTimeToken
	err := db.inWrite(ctx, func(tx *Tx) error {
		// One UPDATE both checks and consumes, so two concurrent uses of a
		// token cannot both succeed.
		err := tx.QueryRowContext(ctx, `UPDATE one_time_tokens SET used_at = ?
			WHERE purpose = ? AND hash = ? AND used_at IS NULL AND expires_at > ?
			RETURNING id, purpose, hash, user_id, created_at, expires_at, used_at`,
			dbTime(now), purpose, hash, dbTime(now)).Scan(
			&t.ID, &t.Purpose, &t.Hash, &t.UserID, timeDst(&t.CreatedAt), timeDst(&t.ExpiresAt), timeDst(&t.UsedAt))
		return mapError(err, func() error {
			return content.Errorf(content.ENOTFOUND, "this link is invalid, used or expired")
		})
	}, "use %s token", purpose)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// RevokeOneTimeTokens marks the user's unused tokens for purpose used.
func (db *DB) RevokeOneTimeTokens(ctx context.Context, userID int64, purpose string, now time.Time) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE one_time_tokens SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL`,
			dbTime(now), userID, purpose)
		return err
	}, "revoke %s tokens of user %d", purpose, userID)
}

// PruneAccounts drops rows that can no longer matter.
func (db *DB) PruneAccounts(ctx context.Context, before time.Time) error {
	b := dbTime(before)
	return db.inWrite(ctx, func(tx *Tx) error {
		for _, q := range []string{
			`DELETE FROM sessions WHERE expires_at < ?`,
			`DELETE FROM login_attempts WHERE at < ?`,
			`DELETE FROM one_time_tokens WHERE expires_at < ? OR used_at < ?`,
		} {
			args := []any{b}
			if strings.Count(q, "?") == 2 {
				args = append(args, b)
			}
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
		return nil
	}, "prune accounts")
}
