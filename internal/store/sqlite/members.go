package sqlite

import (
	"context"
	"crypto/subtle"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

var _ store.MemberStore = (*DB)(nil)

const memberColumns = `id, email, name, languages, status, created_at, updated_at`

func scanMember(sc interface{ Scan(...any) error }) (*store.Member, error) {
	var m store.Member
	var langs string
	if err := sc.Scan(&m.ID, &m.Email, &m.Name, &langs, &m.Status, timeDst(&m.CreatedAt), timeDst(&m.UpdatedAt)); err != nil {
		return nil, err
	}
	m.Languages = strings.Fields(langs)
	return &m, nil
}

// CreateMember inserts m; conflict when the email is taken.
func (db *DB) CreateMember(ctx context.Context, m *store.Member) error {
	m.Email = strings.ToLower(strings.TrimSpace(m.Email))
	if m.Status == "" {
		m.Status = store.MemberActive
	}
	return db.inWrite(ctx, func(tx *Tx) error {
		m.CreatedAt, m.UpdatedAt = tx.now, tx.now
		res, err := tx.ExecContext(ctx, `INSERT INTO members (email, name, languages, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, m.Email, m.Name, strings.Join(m.Languages, " "), m.Status,
			formatTime(tx.now), formatTime(tx.now))
		if isUnique(err) {
			return conflict("email", "a member with this email exists")
		}
		if err != nil {
			return err
		}
		if m.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		return putSubscriptions(ctx, tx, m.ID, m.Newsletters)
	}, "create member")
}

// FindMemberByID returns the member with their subscriptions.
func (db *DB) FindMemberByID(ctx context.Context, id int64) (*store.Member, error) {
	return db.findMember(ctx, `id = ?`, id)
}

// FindMemberByEmail returns the member with email, in lower case.
func (db *DB) FindMemberByEmail(ctx context.Context, email string) (*store.Member, error) {
	return db.findMember(ctx, `email = ?`, strings.ToLower(strings.TrimSpace(email)))
}

func (db *DB) findMember(ctx context.Context, where string, arg any) (*store.Member, error) {
	var m *store.Member
	err := db.inRead(ctx, func(tx *Tx) error {
		var err error
		m, err = scanMember(tx.QueryRowContext(ctx, `SELECT `+memberColumns+` FROM members WHERE `+where, arg))
		if err != nil {
			return mapError(err, func() error { return content.Errorf(content.ENOTFOUND, "member not found") })
		}
		m.Newsletters, err = subscriptionsOf(ctx, tx, m.ID)
		return err
	}, "find member")
	if err != nil {
		return nil, err
	}
	return m, nil
}

func subscriptionsOf(ctx context.Context, tx *Tx, memberID int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT newsletter_id FROM subscriptions WHERE member_id = ? ORDER BY newsletter_id`, memberID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// FindMembers returns one page of members matching f, newest first.
func (db *DB) FindMembers(ctx context.Context, f store.MemberFilter) ([]*store.Member, int, error) {
	var where []string
	var args []any
	if s := strings.TrimSpace(f.Search); s != "" {
		where = append(where, `(instr(folio_fold(email), folio_fold(?)) > 0 OR instr(folio_fold(name), folio_fold(?)) > 0)`)
		args = append(args, s, s)
	}
	if f.NewsletterID != 0 {
		where = append(where, `id IN (SELECT member_id FROM subscriptions WHERE newsletter_id = ?)`)
		args = append(args, f.NewsletterID)
	}
	if f.Language != "" {
		where = append(where, `(' ' || languages || ' ') LIKE ?`)
		args = append(args, "% "+f.Language+" %")
	}
	if f.Status != "" {
		where = append(where, `status = ?`)
		args = append(args, f.Status)
	}
	cond := "1"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	var out []*store.Member
	var total int
	err := db.inRead(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM members WHERE `+cond, args...).Scan(&total); err != nil {
			return err
		}
		q := `SELECT ` + memberColumns + ` FROM members WHERE ` + cond + ` ORDER BY created_at DESC, id DESC`
		la := append([]any{}, args...)
		if f.Limit > 0 {
			q += ` LIMIT ? OFFSET ?`
			la = append(la, f.Limit, f.Offset)
		}
		rows, err := tx.QueryContext(ctx, q, la...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanMember(rows)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, m := range out {
			if m.Newsletters, err = subscriptionsOf(ctx, tx, m.ID); err != nil {
				return err
			}
		}
		return nil
	}, "find members")
	return out, total, err
}

// UpdateMember stores m's profile and status and replaces their subscriptions.
func (db *DB) UpdateMember(ctx context.Context, m *store.Member) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE members SET name = ?, languages = ?, status = ?, updated_at = ? WHERE id = ?`,
			m.Name, strings.Join(m.Languages, " "), m.Status, formatTime(tx.now), m.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return content.Errorf(content.ENOTFOUND, "member %d not found", m.ID)
		}
		m.UpdatedAt = tx.now
		if _, err := tx.ExecContext(ctx, `DELETE FROM subscriptions WHERE member_id = ?`, m.ID); err != nil {
			return err
		}
		return putSubscriptions(ctx, tx, m.ID, m.Newsletters)
	}, "update member %d", m.ID)
}

func putSubscriptions(ctx context.Context, tx *Tx, memberID int64, ids []int64) error {
	for _, id := range ids {
		_, err := tx.ExecContext(ctx, `INSERT INTO subscriptions (member_id, newsletter_id, created_at) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, memberID, id, formatTime(tx.now))
		if isForeignKey(err) {
			return content.Errorf(content.EINVALID, "newsletter %d does not exist", id)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// DeleteMember removes the member and everything of theirs.
func (db *DB) DeleteMember(ctx context.Context, id int64) ([]int64, error) {
	var arts []int64
	err := db.inWrite(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT article_id FROM comments WHERE member_id = ? ORDER BY article_id`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var a int64
			if err := rows.Scan(&a); err != nil {
				rows.Close()
				return err
			}
			arts = append(arts, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// Replies to their comments stay, moved up to the deleted comment's parent.
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET parent_id = (SELECT p.parent_id FROM comments p WHERE p.id = comments.parent_id)
			WHERE parent_id IN (SELECT id FROM comments WHERE member_id = ?) AND member_id <> ?`, id, id); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM mail_suppressions WHERE email = (SELECT email FROM members WHERE id = ?)`,
			`DELETE FROM comments WHERE member_id = ?`,
			`DELETE FROM newsletter_recipients WHERE member_id = ?`,
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM members WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return content.Errorf(content.ENOTFOUND, "member %d not found", id)
		}
		return nil
	}, "delete member %d", id)
	return arts, err
}

const memberSessionColumns = `id, member_id, csrf_token, created_at, last_seen_at, expires_at`

// CreateMemberSession inserts s.
func (db *DB) CreateMemberSession(ctx context.Context, s *store.MemberSession) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO member_sessions (`+memberSessionColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
			s.ID, s.MemberID, s.CSRFToken, formatTime(s.CreatedAt), formatTime(s.LastSeenAt), formatTime(s.ExpiresAt))
		return mapError(err, nil)
	}, "create member session for member %d", s.MemberID)
}

// FindMemberSession returns the session, or not_found.
func (db *DB) FindMemberSession(ctx context.Context, id string) (*store.MemberSession, error) {
	var s store.MemberSession
	err := db.db.QueryRowContext(ctx, `SELECT `+memberSessionColumns+` FROM member_sessions WHERE id = ?`, id).Scan(
		&s.ID, &s.MemberID, &s.CSRFToken, timeDst(&s.CreatedAt), timeDst(&s.LastSeenAt), timeDst(&s.ExpiresAt))
	if err != nil {
		return nil, store.Wrap(mapError(err, func() error { return content.Errorf(content.ENOTFOUND, "session not found") }), "find member session")
	}
	return &s, nil
}

// TouchMemberSession sets last_seen_at.
func (db *DB) TouchMemberSession(ctx context.Context, id string, at time.Time) error {
	_, err := db.db.ExecContext(ctx, `UPDATE member_sessions SET last_seen_at = ? WHERE id = ?`, formatTime(at), id)
	return store.Wrap(err, "touch member session")
}

// DeleteMemberSession removes one session.
func (db *DB) DeleteMemberSession(ctx context.Context, id string) error {
	_, err := db.db.ExecContext(ctx, `DELETE FROM member_sessions WHERE id = ?`, id)
	return store.Wrap(err, "delete member session")
}

// DeleteMemberSessions removes every session of the member.
func (db *DB) DeleteMemberSessions(ctx context.Context, memberID int64) error {
	_, err := db.db.ExecContext(ctx, `DELETE FROM member_sessions WHERE member_id = ?`, memberID)
	return store.Wrap(err, "delete sessions of member %d", memberID)
}

// CreateMagicLink inserts l.
func (db *DB) CreateMagicLink(ctx context.Context, l *store.MagicLink) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		if l.CreatedAt.IsZero() {
			l.CreatedAt = tx.now
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO member_links (hash, email, nonce_hash, next, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`, l.Hash, strings.ToLower(l.Email), l.NonceHash, l.Next, formatTime(l.CreatedAt), formatTime(l.ExpiresAt))
		return mapError(err, nil)
	}, "create sign-in link")
}

// UseMagicLink consumes the link with hash if nonceHash matches.
func (db *DB) UseMagicLink(ctx context.Context, hash, nonceHash string, now time.Time) (*store.MagicLink, error) {
	var l store.MagicLink
	err := db.inWrite(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT hash, email, nonce_hash, next, created_at, expires_at FROM member_links
			WHERE hash = ? AND used_at IS NULL AND expires_at > ?`, hash, formatTime(now)).Scan(
			&l.Hash, &l.Email, &l.NonceHash, &l.Next, timeDst(&l.CreatedAt), timeDst(&l.ExpiresAt))
		if err != nil {
			return mapError(err, func() error { return content.Errorf(content.ENOTFOUND, "sign-in link not found") })
		}
		if subtle.ConstantTimeCompare([]byte(l.NonceHash), []byte(nonceHash)) != 1 {
			return content.Errorf(content.EFORBIDDEN, "sign-in link opened in another browser")
		}
		l.UsedAt = now
		_, err = tx.ExecContext(ctx, `UPDATE member_links SET used_at = ? WHERE hash = ?`, formatTime(now), hash)
		return err
	}, "use sign-in link")
	if err != nil {
		return nil, err
	}
	return &l, nil
}

// RecordReaderAttempt counts one action.
func (db *DB) RecordReaderAttempt(ctx context.Context, kind, key string, at time.Time) error {
	_, err := db.db.ExecContext(ctx, `INSERT INTO reader_attempts (kind, key, at) VALUES (?, ?, ?)`, kind, key, formatTime(at))
	return store.Wrap(err, "record %s attempt", kind)
}

// CountReaderAttempts counts actions of kind by key since since.
func (db *DB) CountReaderAttempts(ctx context.Context, kind, key string, since time.Time) (int, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM reader_attempts WHERE kind = ? AND key = ? AND at >= ?`,
		kind, key, formatTime(since)).Scan(&n)
	return n, store.Wrap(err, "count %s attempts", kind)
}

// PruneReaders deletes expired sessions and links and old attempts.
func (db *DB) PruneReaders(ctx context.Context, before time.Time) error {
	b := formatTime(before)
	return db.inWrite(ctx, func(tx *Tx) error {
		for _, q := range []string{
			`DELETE FROM member_sessions WHERE expires_at < ?`,
			`DELETE FROM member_links WHERE expires_at < ? OR used_at < ?`,
			`DELETE FROM reader_attempts WHERE at < ?`,
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
	}, "prune reader records")
}
