package editorial

import (
	"context"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/store"
)

// MailEvent is a verified report from a mail provider's webhook.
type MailEvent struct {
	// ID names the event uniquely across providers ("postmark:Bounce:42"),
	// so a replayed delivery is recognized.
	ID       string
	Provider string // "postmark", "ses"
	// Reason is store.SuppressBounce or store.SuppressComplaint, or empty
	// for an event that is recorded and changes nothing (a soft bounce).
	Reason string
	Email  string
	Detail string // the provider's description, kept for staff
}

// Retention of suppressions and of the provider events seen (docs/readers.md).
const (
	SuppressionRetention = 365 * 24 * time.Hour
	MailEventRetention   = 30 * 24 * time.Hour
)

func (e *Editor) suppressionsFor(what string) (store.SuppressionStore, error) {
	if err := e.outsideBatch(what); err != nil {
		return nil, err
	}
	ss, ok := e.s.store.(store.SuppressionStore)
	if !ok {
		return nil, content.Errorf(content.EINTERNAL, "this store keeps no mail suppressions")
	}
	return ss, nil
}

// ApplyMailEvent records a provider's bounce or complaint once and
// suppresses the address, so later newsletter sends leave it out. A
// complaint also unsubscribes the member who has the address from every
// newsletter: they said they do not want it. Only the system (the
// webhooks) may call it; it reports whether anything changed, and a
// replayed event changes nothing.
func (e *Editor) ApplyMailEvent(ctx context.Context, ev MailEvent) (bool, error) {
	if e.system == "" {
		return false, content.Errorf(content.EFORBIDDEN, "only a mail provider's webhook records bounces and complaints")
	}
	ss, err := e.suppressionsFor("a mail event")
	if err != nil {
		return false, err
	}
	ev.Email = strings.ToLower(strings.TrimSpace(ev.Email))
	p := content.Problems{}
	if ev.ID == "" || len(ev.ID) > 255 {
		p.Add("id", "an event needs an ID of at most 255 bytes")
	}
	switch ev.Reason {
	case "", store.SuppressBounce, store.SuppressComplaint:
	default:
		p.Add("reason", "%q is not bounce or complaint", ev.Reason)
	}
	if ev.Reason != "" {
		if a, err := mail.ParseAddress(ev.Email); err != nil || a.Address != ev.Email || len(ev.Email) > 254 {
			p.Add("email", "is not one address")
		}
	}
	if err := p.Err("mail event"); err != nil {
		return false, err
	}
	if len(ev.Detail) > 500 {
		ev.Detail = ev.Detail[:500]
	}
	var member *store.Member
	if ev.Reason != "" {
		if rs, err := e.s.readers(); err == nil {
			if m, err := rs.FindMemberByEmail(ctx, ev.Email); err == nil {
				member = m
			} else if content.ErrorCode(err) != content.ENOTFOUND {
				return false, wrap(err, "mail event")
			}
		}
	}
	// The unsubscribing comes first and touches only what is subscribed:
	// should the event fail to record, the provider's retry does the rest,
	// and a replay finds nothing left to change.
	if ev.Reason == store.SuppressComplaint && member != nil {
		for _, id := range member.Newsletters {
			if err := e.s.AsMember(member).SetSubscription(ctx, id, false); err != nil {
				return false, wrap(err, "unsubscribe after a complaint")
			}
		}
	}
	var s *store.MailSuppression
	if ev.Reason != "" {
		s = &store.MailSuppression{Email: ev.Email, Reason: ev.Reason, Provider: ev.Provider, Detail: ev.Detail}
	}
	applied, err := ss.ApplyMailEvent(ctx, ev.ID, s)
	if err != nil {
		return false, wrap(err, "apply mail event")
	}
	if applied {
		c := key.Change{Entity: key.EntitySuppression, Ref: ev.Provider, Op: key.OpUpdate}
		if member != nil {
			c.ID = member.ID
		}
		e.s.readerChanged(c)
	}
	return applied, nil
}

// PruneSuppressions deletes suppressions older than SuppressionRetention
// and provider events older than MailEventRetention (the system's daily
// cleanup); it reports how many suppressions went.
func (e *Editor) PruneSuppressions(ctx context.Context) (int, error) {
	if e.system == "" {
		return 0, content.Errorf(content.EFORBIDDEN, "only the system prunes mail suppressions")
	}
	ss, err := e.suppressionsFor("pruning suppressions")
	if err != nil {
		return 0, err
	}
	now := e.s.now().UTC()
	n, err := ss.PruneSuppressions(ctx, now.Add(-SuppressionRetention), now.Add(-MailEventRetention))
	if err != nil {
		return 0, wrap(err, "prune suppressions")
	}
	if n > 0 {
		e.s.readerChanged(key.Change{Entity: key.EntitySuppression, Ref: "retention:" + strconv.Itoa(n), Op: key.OpDelete})
	}
	return n, nil
}

// LiftSuppression lets newsletter sends reach a suppressed address again:
// staff who manage members lift it when a reader says their mailbox works
// once more. The change event names the member (if any), never the address.
func (e *Editor) LiftSuppression(ctx context.Context, email string) error {
	if err := e.require(content.ActManageMembers, "lift mail suppressions"); err != nil {
		return err
	}
	ss, err := e.suppressionsFor("a mail suppression")
	if err != nil {
		return err
	}
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" || len(email) > 254 {
		p := content.Problems{}
		p.Add("email", "give the suppressed address to lift")
		return p.Err("lift suppression")
	}
	if err := ss.DeleteSuppression(ctx, email); err != nil {
		return wrap(err, "lift suppression")
	}
	c := key.Change{Entity: key.EntitySuppression, Ref: "lift", Op: key.OpDelete}
	if rs, err := e.s.readers(); err == nil {
		if m, err := rs.FindMemberByEmail(ctx, email); err == nil {
			c.ID = m.ID
		}
	}
	e.s.readerChanged(c)
	return nil
}
