package postgres

import (
	"context"
	"time"

	"folio/internal/store"
)

var _ store.ReplyNoticeStore = (*DB)(nil)

// ReplyNoticesOff reports whether the address asked for no reply notices.
func (db *DB) ReplyNoticesOff(ctx context.Context, emailHash string) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM reply_notice_optouts WHERE email_hash = ?`, emailHash).Scan(&n)
	return n > 0, store.Wrap(err, "find reply notice choice")
}

// SetReplyNoticesOff records or clears the address's opt-out.
func (db *DB) SetReplyNoticesOff(ctx context.Context, emailHash string, off bool, at time.Time) error {
	var err error
	if off {
		_, err = db.exec(ctx, `INSERT INTO reply_notice_optouts (email_hash, created_at) VALUES (?, ?)
			ON CONFLICT (email_hash) DO NOTHING`, emailHash, dbTime(at))
	} else {
		_, err = db.exec(ctx, `DELETE FROM reply_notice_optouts WHERE email_hash = ?`, emailHash)
	}
	return store.Wrap(err, "set reply notice choice")
}

// ClaimReplyNotice records one notice; false when it was recorded before.
func (db *DB) ClaimReplyNotice(ctx context.Context, commentID int64, recipientHash string, at time.Time) (bool, error) {
	res, err := db.exec(ctx, `INSERT INTO reply_notices (comment_id, recipient_hash, sent_at) VALUES (?, ?, ?)
		ON CONFLICT (comment_id, recipient_hash) DO NOTHING`, commentID, recipientHash, dbTime(at))
	if err != nil {
		return false, store.Wrap(err, "claim reply notice of comment %d", commentID)
	}
	n, err := res.RowsAffected()
	return n == 1, store.Wrap(err, "claim reply notice of comment %d", commentID)
}

// ReleaseReplyNotice deletes one claim.
func (db *DB) ReleaseReplyNotice(ctx context.Context, commentID int64, recipientHash string) error {
	_, err := db.exec(ctx, `DELETE FROM reply_notices WHERE comment_id = ? AND recipient_hash = ?`, commentID, recipientHash)
	return store.Wrap(err, "release reply notice of comment %d", commentID)
}

// CountReplyNotices counts the recipient's notices since since.
func (db *DB) CountReplyNotices(ctx context.Context, recipientHash string, since time.Time) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM reply_notices WHERE recipient_hash = ? AND sent_at >= ?`,
		recipientHash, dbTime(since)).Scan(&n)
	return n, store.Wrap(err, "count reply notices")
}
