package editorial

import (
	"context"
	"strconv"
	"time"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/store"
)

// SendQueue starts the delivery of a send created by SendArticle; the
// newsletter package's Queue is one. It must be durable: once it returns
// nil the send goes out even if the process stops.
type SendQueue interface {
	StartSend(ctx context.Context, sendID int64, total int) error
}

// SetSendQueue sets where sends are handed for delivery. Call before serving.
func (s *Service) SetSendQueue(q SendQueue) { s.sendQueue = q }

// SendArticle mails a published article to every active subscriber of a
// newsletter. The recipient list is fixed now, in one transaction with the
// send, and delivery runs as durable jobs. A send whose jobs were lost
// (the process stopped between the two) is picked up again by
// newsletter.Resume at the next start, so nothing accepted is dropped.
func (e *Editor) SendArticle(ctx context.Context, newsletterID, articleID int64) (*store.NewsletterSend, error) {
	if err := e.require(content.ActSendNewsletter, "send newsletters"); err != nil {
		return nil, err
	}
	rs, err := e.readersFor("a newsletter send")
	if err != nil {
		return nil, err
	}
	if e.s.sendQueue == nil {
		return nil, content.Errorf(content.EINTERNAL, "newsletter sending is not configured")
	}
	a, err := e.s.store.FindArticleByID(ctx, articleID)
	if err != nil {
		return nil, wrap(err, "send article %d", articleID)
	}
	if !a.IsPublic(e.s.now()) {
		return nil, content.Errorf(content.EINVALID, "only a published article can be sent; article %d is %s", a.ID, a.Status)
	}
	if _, err := rs.FindNewsletterByID(ctx, newsletterID); err != nil {
		return nil, wrap(err, "send article %d", articleID)
	}
	send := &store.NewsletterSend{NewsletterID: newsletterID, ArticleID: a.ID, Subject: a.Title}
	if e.u != nil {
		send.CreatedBy = e.u.ID
	}
	if err := rs.CreateSend(ctx, send); err != nil {
		return nil, wrap(err, "send article %d", articleID)
	}
	e.changed(key.Change{Entity: key.EntitySend, ID: send.ID, Op: key.OpCreate})
	if err := e.s.sendQueue.StartSend(ctx, send.ID, send.Total); err != nil {
		return send, wrap(err, "queue send %d (it resumes at the next start)", send.ID)
	}
	return send, nil
}

// Delivery is the bookkeeping of a send in progress, for the workers that
// mail it. Recipient states are seen only in the admin, so these writes
// publish nothing but the end of the send.
type Delivery struct{ s *Service }

// Deliveries returns the delivery bookkeeping of sends, for the system's
// sending workers (and editors).
func (e *Editor) Deliveries() (*Delivery, error) {
	if err := e.require(content.ActSendNewsletter, "send newsletters"); err != nil {
		return nil, err
	}
	return &Delivery{s: e.s}, nil
}

// Claim takes a pending recipient for sending; false means it was already
// taken (by another worker or a run that stopped), and must not be mailed.
func (d *Delivery) Claim(ctx context.Context, sendID, memberID int64) (bool, error) {
	rs, err := d.s.readers()
	if err != nil {
		return false, err
	}
	ok, err := rs.ClaimRecipient(ctx, sendID, memberID, d.s.now().UTC())
	return ok, wrap(err, "claim recipient")
}

// Done records a recipient's outcome: sent when errText is empty, else failed.
func (d *Delivery) Done(ctx context.Context, sendID, memberID int64, errText string) error {
	rs, err := d.s.readers()
	if err != nil {
		return err
	}
	state := store.RecipientSent
	if errText != "" {
		state = store.RecipientFailed
	}
	return wrap(rs.MarkRecipient(ctx, sendID, memberID, state, errText, d.s.now().UTC()), "mark recipient")
}

// Inactive records a provider's refusal of an address it holds inactive
// (Postmark's 406: the address bounced, complained or was suppressed at
// Postmark) as a bounce suppression here too, so later sends leave the
// address out instead of asking the provider again. The event ID names the
// send and member, so a retried batch records it once.
func (d *Delivery) Inactive(ctx context.Context, provider string, sendID, memberID int64, email, detail string) error {
	_, err := d.s.System(provider).ApplyMailEvent(ctx, MailEvent{
		ID:       provider + ":inactive:" + strconv.FormatInt(sendID, 10) + ":" + strconv.FormatInt(memberID, 10),
		Provider: provider, Reason: store.SuppressBounce, Email: email, Detail: detail})
	return err
}

// Release puts a claimed recipient back to pending after the server
// refused the message for now, so a later attempt mails them.
func (d *Delivery) Release(ctx context.Context, sendID, memberID int64, errText string) error {
	rs, err := d.s.readers()
	if err != nil {
		return err
	}
	return wrap(rs.MarkRecipient(ctx, sendID, memberID, store.RecipientPending, errText, d.s.now().UTC()), "release recipient")
}

// Finish marks the send done when no recipient is pending and none was
// claimed within inFlight (longer than one message can take: such a claim
// may be a message another worker is sending). It reports whether the
// send is done and, when not, how many recent claims hold it open; an
// older claim is one a killed process left, and does not.
func (d *Delivery) Finish(ctx context.Context, sendID int64, inFlight time.Duration) (bool, int, error) {
	rs, err := d.s.readers()
	if err != nil {
		return false, 0, err
	}
	now := d.s.now().UTC()
	done, n, err := rs.FinishSend(ctx, sendID, now.Truncate(time.Second), now.Add(-inFlight))
	if err != nil {
		return false, 0, wrap(err, "finish send %d", sendID)
	}
	if done {
		d.s.readerChanged(key.Change{Entity: key.EntitySend, ID: sendID, Op: key.OpUpdate})
	}
	return done, n, nil
}
