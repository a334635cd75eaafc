package store

import (
	"context"
	"time"
)

// ReplyNoticeStore keeps what mail about replies and new comments needs:
// who asked for none, and who was mailed about which comment. Addresses
// are given by their SHA-256 (auth.HashToken of the lower-case address),
// never in the clear.
type ReplyNoticeStore interface {
	// ReplyNoticesOff reports whether the address asked for no reply notices.
	ReplyNoticesOff(ctx context.Context, emailHash string) (bool, error)
	// SetReplyNoticesOff records the address's choice: off stops the
	// notices, !off lets them come again.
	SetReplyNoticesOff(ctx context.Context, emailHash string, off bool, at time.Time) error
	// ClaimReplyNotice records that the recipient is mailed about the
	// comment; false when they were already (the caller then sends nothing).
	ClaimReplyNotice(ctx context.Context, commentID int64, recipientHash string, at time.Time) (bool, error)
	// ReleaseReplyNotice forgets a claim whose message could not be
	// handed to the mail server, so the job's retry sends it.
	ReleaseReplyNotice(ctx context.Context, commentID int64, recipientHash string) error
	// CountReplyNotices counts the notices the recipient got since since,
	// for the per-recipient rate limit.
	CountReplyNotices(ctx context.Context, recipientHash string, since time.Time) (int, error)
}
