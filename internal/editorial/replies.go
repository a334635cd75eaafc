package editorial

import (
	"context"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/store"
)

// Mail about replies: when a comment appears, its article's authors and
// the commenter it answers are told (the readers package's worker sends
// it). A reader's choice to get none is kept by the hash of their address,
// so it holds for imported commenters and staff authors too, and outlives
// a deleted account. None of it is on a page: the events carry no keys.

func (s *Service) replyStore() (store.ReplyNoticeStore, error) {
	rs, ok := s.store.(store.ReplyNoticeStore)
	if !ok {
		return nil, content.Errorf(content.EINTERNAL, "this store keeps no reply notices")
	}
	return rs, nil
}

// SetReplyNotices turns mail about replies to the member's comments on or
// off (the profile's checkbox). A blocked member may still turn it off.
func (a *Member) SetReplyNotices(ctx context.Context, on bool) error {
	if _, err := a.check("change reply notices"); err != nil && (on || content.ErrorCode(err) != content.EFORBIDDEN) {
		return err
	}
	rs, err := a.s.replyStore()
	if err != nil {
		return err
	}
	if err := rs.SetReplyNoticesOff(ctx, content.EmailHash(a.m.Email), !on, a.s.now().UTC()); err != nil {
		return wrap(err, "reply notices of member %d", a.m.ID)
	}
	a.s.readerChanged(key.Change{Entity: key.EntityMember, ID: a.m.ID, Op: key.OpUpdate})
	return nil
}

// StopReplyNotices turns reply notices off for the address whose hash a
// signed one-click link names; the system (the link's page) or staff who
// manage members call it.
func (e *Editor) StopReplyNotices(ctx context.Context, emailHash string) error {
	if err := e.require(content.ActManageMembers, "change members' mail"); err != nil {
		return err
	}
	if len(emailHash) != 64 {
		return content.Errorf(content.EINVALID, "address hash %q is not a SHA-256", emailHash)
	}
	rs, err := e.s.replyStore()
	if err != nil {
		return err
	}
	if err := rs.SetReplyNoticesOff(ctx, emailHash, true, e.s.now().UTC()); err != nil {
		return wrap(err, "stop reply notices")
	}
	e.s.readerChanged(key.Change{Entity: key.EntityMember, Op: key.OpUpdate})
	return nil
}

// ReplyNotices is the bookkeeping of the reply-notice worker: which
// comment it mailed whom about.
type ReplyNotices struct {
	s  *Service
	rs store.ReplyNoticeStore
}

// ReplyNotices returns the notice bookkeeping, for the system's worker.
func (e *Editor) ReplyNotices() (*ReplyNotices, error) {
	if err := e.require(content.ActModerateComments, "send comment notices"); err != nil {
		return nil, err
	}
	rs, err := e.s.replyStore()
	if err != nil {
		return nil, err
	}
	return &ReplyNotices{s: e.s, rs: rs}, nil
}

// Claim records that email is mailed about comment id; false when it was
// already, and must not be mailed again.
func (r *ReplyNotices) Claim(ctx context.Context, commentID int64, email string) (bool, error) {
	ok, err := r.rs.ClaimReplyNotice(ctx, commentID, content.EmailHash(email), r.s.now().UTC())
	return ok, wrap(err, "claim reply notice")
}

// Release forgets a claim whose message did not reach the mail server.
func (r *ReplyNotices) Release(ctx context.Context, commentID int64, email string) error {
	return wrap(r.rs.ReleaseReplyNotice(ctx, commentID, content.EmailHash(email)), "release reply notice")
}
