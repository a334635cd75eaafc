package sqlite

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

var _ store.NewsletterStore = (*DB)(nil)

// CreateNewsletter inserts n; conflict when the slug is taken.
func (db *DB) CreateNewsletter(ctx context.Context, n *store.Newsletter) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		n.CreatedAt = tx.now
		res, err := tx.ExecContext(ctx, `INSERT INTO newsletters (slug, name, description, language, schedule, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			n.Slug, n.Name, n.Description, n.Language, n.Schedule, formatTime(tx.now))
		if isUnique(err) {
			return conflict("slug", "a newsletter with slug %q exists", n.Slug)
		}
		if err != nil {
			return err
		}
		n.ID, err = res.LastInsertId()
		return err
	}, "create newsletter %q", n.Slug)
}

const newsletterSelect = `SELECT n.id, n.slug, n.name, n.description, n.language, n.schedule, n.created_at,
	(SELECT COUNT(*) FROM subscriptions s JOIN members m ON m.id = s.member_id WHERE s.newsletter_id = n.id AND m.status = 'active')
	FROM newsletters n`

func scanNewsletter(sc interface{ Scan(...any) error }) (*store.Newsletter, error) {
	var n store.Newsletter
	err := sc.Scan(&n.ID, &n.Slug, &n.Name, &n.Description, &n.Language, &n.Schedule, timeDst(&n.CreatedAt), &n.Subscribers)
	return &n, err
}

// FindNewsletters returns every newsletter by name.
func (db *DB) FindNewsletters(ctx context.Context) ([]*store.Newsletter, error) {
	rows, err := db.db.QueryContext(ctx, newsletterSelect+` ORDER BY n.name, n.id`)
	if err != nil {
		return nil, store.Wrap(err, "find newsletters")
	}
	defer rows.Close()
	var out []*store.Newsletter
	for rows.Next() {
		n, err := scanNewsletter(rows)
		if err != nil {
			return nil, store.Wrap(err, "find newsletters")
		}
		out = append(out, n)
	}
	return out, store.Wrap(rows.Err(), "find newsletters")
}

// FindNewsletterByID returns the newsletter, or not_found.
func (db *DB) FindNewsletterByID(ctx context.Context, id int64) (*store.Newsletter, error) {
	n, err := scanNewsletter(db.db.QueryRowContext(ctx, newsletterSelect+` WHERE n.id = ?`, id))
	if err != nil {
		return nil, store.Wrap(mapError(err, func() error { return store.NotFound("newsletter", id) }), "find newsletter %d", id)
	}
	return n, nil
}

// SetSubscription subscribes or unsubscribes a member.
func (db *DB) SetSubscription(ctx context.Context, memberID, newsletterID int64, on bool) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		if !on {
			_, err := tx.ExecContext(ctx, `DELETE FROM subscriptions WHERE member_id = ? AND newsletter_id = ?`, memberID, newsletterID)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO subscriptions (member_id, newsletter_id, created_at) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, memberID, newsletterID, formatTime(tx.now))
		if isForeignKey(err) {
			return content.Errorf(content.EINVALID, "member %d or newsletter %d does not exist", memberID, newsletterID)
		}
		return err
	}, "set subscription of member %d to newsletter %d", memberID, newsletterID)
}

// CreateSend inserts the send and fixes its recipient list.
func (db *DB) CreateSend(ctx context.Context, s *store.NewsletterSend) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		s.CreatedAt, s.Status = tx.now, store.SendSending
		res, err := tx.ExecContext(ctx, `INSERT INTO newsletter_sends (newsletter_id, article_id, subject, status, created_by, created_at,
			article_ids, period_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, s.NewsletterID, s.ArticleID, s.Subject, s.Status, s.CreatedBy, formatTime(tx.now),
			joinIDs(s.ArticleIDs), nullTime(s.PeriodEnd))
		if isForeignKey(err) {
			return content.Errorf(content.EINVALID, "newsletter %d or article %d does not exist", s.NewsletterID, s.ArticleID)
		}
		if isUnique(err) {
			return content.Errorf(content.ECONFLICT, "newsletter %d has a send for the period ending %s", s.NewsletterID, s.PeriodEnd.Format(time.RFC3339))
		}
		if err != nil {
			return err
		}
		if s.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, `INSERT INTO newsletter_recipients (send_id, member_id, email, state)
			SELECT ?, m.id, m.email, 'pending' FROM subscriptions sub JOIN members m ON m.id = sub.member_id
			WHERE sub.newsletter_id = ? AND m.status = 'active'
			AND m.email NOT IN (SELECT email FROM mail_suppressions) ORDER BY m.id`, s.ID, s.NewsletterID)
		if err != nil {
			return err
		}
		n, _ := r.RowsAffected()
		s.Total, s.Pending = int(n), int(n)
		return nil
	}, "create send of article %d to newsletter %d", s.ArticleID, s.NewsletterID)
}

const sendSelect = `SELECT s.id, s.newsletter_id, s.article_id, s.subject, s.status, s.created_by, s.created_at, s.finished_at,
	s.article_ids, s.period_end,
	(SELECT COUNT(*) FROM newsletter_recipients r WHERE r.send_id = s.id),
	(SELECT COUNT(*) FROM newsletter_recipients r WHERE r.send_id = s.id AND r.state = 'pending'),
	(SELECT COUNT(*) FROM newsletter_recipients r WHERE r.send_id = s.id AND r.state = 'sending'),
	(SELECT COUNT(*) FROM newsletter_recipients r WHERE r.send_id = s.id AND r.state = 'sent'),
	(SELECT COUNT(*) FROM newsletter_recipients r WHERE r.send_id = s.id AND r.state = 'failed'),
	(SELECT COUNT(*) FROM newsletter_recipients r WHERE r.send_id = s.id AND r.opened_at IS NOT NULL),
	(SELECT COUNT(*) FROM newsletter_recipients r WHERE r.send_id = s.id AND r.clicked_at IS NOT NULL)
	FROM newsletter_sends s`

func scanSend(sc interface{ Scan(...any) error }) (*store.NewsletterSend, error) {
	var s store.NewsletterSend
	var ids string
	err := sc.Scan(&s.ID, &s.NewsletterID, &s.ArticleID, &s.Subject, &s.Status, &s.CreatedBy, timeDst(&s.CreatedAt),
		timeDst(&s.FinishedAt), &ids, timeDst(&s.PeriodEnd), &s.Total, &s.Pending, &s.Sending, &s.Sent, &s.Failed,
		&s.Opened, &s.Clicked)
	if err == nil {
		s.ArticleIDs, err = splitIDs(ids)
	}
	return &s, err
}

// FindSend returns the send with its counts.
func (db *DB) FindSend(ctx context.Context, id int64) (*store.NewsletterSend, error) {
	s, err := scanSend(db.db.QueryRowContext(ctx, sendSelect+` WHERE s.id = ?`, id))
	if err != nil {
		return nil, store.Wrap(mapError(err, func() error { return store.NotFound("newsletter send", id) }), "find send %d", id)
	}
	return s, nil
}

// FindSends returns the sends of an article (all when 0), newest first.
func (db *DB) FindSends(ctx context.Context, articleID int64) ([]*store.NewsletterSend, error) {
	q, args := sendSelect, []any{}
	if articleID != 0 {
		q, args = q+` WHERE s.article_id = ?`, append(args, articleID)
	}
	rows, err := db.db.QueryContext(ctx, q+` ORDER BY s.id DESC LIMIT 100`, args...)
	if err != nil {
		return nil, store.Wrap(err, "find sends")
	}
	defer rows.Close()
	var out []*store.NewsletterSend
	for rows.Next() {
		s, err := scanSend(rows)
		if err != nil {
			return nil, store.Wrap(err, "find sends")
		}
		out = append(out, s)
	}
	return out, store.Wrap(rows.Err(), "find sends")
}

// UnfinishedSends returns the IDs of sends not done.
func (db *DB) UnfinishedSends(ctx context.Context) ([]int64, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id FROM newsletter_sends WHERE status <> 'done' ORDER BY id`)
	if err != nil {
		return nil, store.Wrap(err, "unfinished sends")
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, store.Wrap(err, "unfinished sends")
		}
		ids = append(ids, id)
	}
	return ids, store.Wrap(rows.Err(), "unfinished sends")
}

// PendingRecipients returns pending recipients after a member ID.
func (db *DB) PendingRecipients(ctx context.Context, sendID, after int64, limit int) ([]*store.Recipient, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT r.send_id, r.member_id, r.email, r.state, r.sent_at, COALESCE(m.languages, '')
		FROM newsletter_recipients r LEFT JOIN members m ON m.id = r.member_id
		WHERE r.send_id = ? AND r.member_id > ? AND r.state = 'pending' ORDER BY r.member_id LIMIT ?`, sendID, after, limitArg(limit))
	if err != nil {
		return nil, store.Wrap(err, "pending recipients of send %d", sendID)
	}
	defer rows.Close()
	var out []*store.Recipient
	for rows.Next() {
		var r store.Recipient
		var langs string
		if err := rows.Scan(&r.SendID, &r.MemberID, &r.Email, &r.State, timeDst(&r.SentAt), &langs); err != nil {
			return nil, store.Wrap(err, "pending recipients of send %d", sendID)
		}
		r.Languages = strings.Fields(langs)
		out = append(out, &r)
	}
	return out, store.Wrap(rows.Err(), "pending recipients of send %d", sendID)
}

// ClaimRecipient moves a pending recipient to sending.
func (db *DB) ClaimRecipient(ctx context.Context, sendID, memberID int64, at time.Time) (bool, error) {
	res, err := db.db.ExecContext(ctx, `UPDATE newsletter_recipients SET state = 'sending', claimed_at = ?
		WHERE send_id = ? AND member_id = ? AND state = 'pending'`, formatTime(at), sendID, memberID)
	if err != nil {
		return false, store.Wrap(err, "claim recipient %d of send %d", memberID, sendID)
	}
	n, err := res.RowsAffected()
	return n == 1, store.Wrap(err, "claim recipient %d of send %d", memberID, sendID)
}

// MarkRecipient records a recipient's outcome.
func (db *DB) MarkRecipient(ctx context.Context, sendID, memberID int64, state, errText string, at time.Time) error {
	_, err := db.db.ExecContext(ctx, `UPDATE newsletter_recipients SET state = ?, error = ?, sent_at = ? WHERE send_id = ? AND member_id = ?`,
		state, errText, formatTime(at), sendID, memberID)
	return store.Wrap(err, "mark recipient %d of send %d", memberID, sendID)
}

// FinishSend marks the send done when nothing is pending or in flight.
func (db *DB) FinishSend(ctx context.Context, sendID int64, at, inFlightSince time.Time) (bool, int, error) {
	var done bool
	var inFlight int
	err := db.inWrite(ctx, func(tx *Tx) error {
		var pending int
		if err := tx.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM newsletter_recipients WHERE send_id = ? AND state = 'pending'),
			(SELECT COUNT(*) FROM newsletter_recipients WHERE send_id = ? AND state = 'sending' AND claimed_at > ?)`,
			sendID, sendID, formatTime(inFlightSince)).Scan(&pending, &inFlight); err != nil {
			return err
		}
		if pending > 0 || inFlight > 0 {
			return nil
		}
		done = true
		_, err := tx.ExecContext(ctx, `UPDATE newsletter_sends SET status = 'done', finished_at = COALESCE(finished_at, ?) WHERE id = ?`,
			formatTime(at), sendID)
		return err
	}, "finish send %d", sendID)
	return done, inFlight, err
}

// LastPeriodEnd returns the end of the newsletter's latest digest period.
func (db *DB) LastPeriodEnd(ctx context.Context, newsletterID int64) (time.Time, error) {
	var t time.Time
	err := db.db.QueryRowContext(ctx, `SELECT MAX(period_end) FROM newsletter_sends WHERE newsletter_id = ?`, newsletterID).Scan(timeDst(&t))
	return t, store.Wrap(err, "last digest of newsletter %d", newsletterID)
}

// joinIDs and splitIDs store a digest's article IDs as "3,1,2".
func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

func splitIDs(v string) ([]int64, error) {
	if v == "" {
		return nil, nil
	}
	var out []int64
	for f := range strings.SplitSeq(v, ",") {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("article IDs %q: %w", v, err)
		}
		out = append(out, id)
	}
	return out, nil
}

// MarkTracked records the recipient's first open or click.
func (db *DB) MarkTracked(ctx context.Context, sendID, memberID int64, kind string, at time.Time) (bool, error) {
	col := "opened_at"
	switch kind {
	case store.TrackOpen:
	case store.TrackClick:
		col = "clicked_at"
	default:
		return false, content.Errorf(content.EINVALID, "%q is not open or click", kind)
	}
	res, err := db.db.ExecContext(ctx, `UPDATE newsletter_recipients SET `+col+` = ? WHERE send_id = ? AND member_id = ? AND `+col+` IS NULL`,
		formatTime(at), sendID, memberID)
	if err != nil {
		return false, store.Wrap(err, "track %s of send %d", kind, sendID)
	}
	n, err := res.RowsAffected()
	return n == 1, store.Wrap(err, "track %s of send %d", kind, sendID)
}
