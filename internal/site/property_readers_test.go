package site_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store"
)

// readerSeq names members and newsletters without drawing from the run's
// random stream, which would change every later step of a seed.
var readerSeq atomic.Int64

// idleSends takes newsletter sends and delivers nothing: no page shows a
// send, so the property test needs the write, not the mail.
type idleSends struct{}

func (idleSends) StartSend(context.Context, int64, int) error { return nil }

// readers (part of the bookkeeping step) makes every reader-side write: a member comments (held, then
// approved by a moderator: the article page must show it), replies, the
// article's comments close and reopen, a newsletter is made and the
// article sent, and the member is blocked (their comments leave the page).
func (p *propertyRun) readers() {
	var a int64
	for _, id := range p.ids {
		if art := p.article(id); art.IsPublic(p.now()) {
			a = id
			break
		}
	}
	if a == 0 {
		art := p.f.randomArticle(p.rng, 100+p.rng.IntN(1e6))
		p.must(p.ed.CreateArticle(p.ctx, art), "CreateArticle")
		p.ids = append(p.ids, art.ID)
		if !art.IsPublic(p.now()) {
			_, err := p.ed.Publish(p.ctx, art.ID, time.Time{})
			p.must(err, "Publish")
		}
		a = art.ID
	}
	m, err := p.f.svc.System("test").JoinMember(p.ctx, fmt.Sprintf("reader%d@example.org", readerSeq.Add(1)), nil)
	p.must(err, "JoinMember")
	_, err = p.ed.ImportMembers(p.ctx, []editorial.MemberImport{{Email: fmt.Sprintf("imported%d@example.org", readerSeq.Add(1)), Name: "Imported"}})
	p.must(err, "ImportMembers")
	c, err := p.f.svc.AsMember(m).PostComment(p.ctx, editorial.NewComment{ArticleID: a, Body: "A *first* comment."})
	p.must(err)
	ed := p.f.svc.As(p.user)
	p.must(ed.Moderate(p.ctx, c.ID, editorial.ModApprove), "Moderate")
	r, err := p.f.svc.AsMember(m).PostComment(p.ctx, editorial.NewComment{ArticleID: a, ParentID: c.ID, Body: "A reply."})
	p.must(err)
	if r.Status != store.CommentApproved {
		p.t.Fatalf("a member's second comment is %s", r.Status)
	}
	// Reply notices: the worker's bookkeeping and a one-click stop (no
	// page shows either).
	notices, err := p.ed.ReplyNotices()
	p.must(err, "ReplyNotices")
	_, err = notices.Claim(p.ctx, r.ID, m.Email)
	p.must(err)
	p.must(p.ed.StopReplyNotices(p.ctx, content.EmailHash(m.Email)), "StopReplyNotices")
	p.must(p.f.svc.AsMember(m).SetReplyNotices(p.ctx, true))
	p.must(ed.SetCommentMode(p.ctx, a, store.CommentsClosed), "SetCommentMode")
	p.must(ed.SetCommentMode(p.ctx, a, store.CommentsMembers), "SetCommentMode")
	p.f.svc.SetSendQueue(idleSends{})
	nl := &store.Newsletter{Name: fmt.Sprintf("Digest %d", readerSeq.Add(1))}
	p.must(p.ed.CreateNewsletter(p.ctx, nl), "CreateNewsletter")
	p.must(p.f.svc.AsMember(m).SetSubscription(p.ctx, nl.ID, true))
	p.must(p.ed.PutTier(p.ctx, &store.Tier{Name: fmt.Sprintf("Supporter %d", readerSeq.Add(1)), MonthlyCents: 500, Active: true}), "PutTier")
	_, err = p.f.svc.System("stripe").ApplyPaidEvent(p.ctx, fmt.Sprintf("evt_%d", readerSeq.Add(1)), "customer.subscription.created",
		&store.PaidSubscription{SubscriptionID: fmt.Sprintf("sub_%d", readerSeq.Add(1)), CustomerID: "cus_1", MemberID: m.ID,
			TierSlug: "supporter", Status: "active", EventAt: time.Now()})
	p.must(err, "ApplyPaidEvent")
	_, err = p.f.svc.System("scheduler").OpenDue(p.ctx, time.Now().Add(-time.Minute), time.Now())
	p.must(err, "OpenDue")
	send, err := ed.SendArticle(p.ctx, nl.ID, a)
	p.must(err, "SendArticle")
	d, err := p.ed.Deliveries()
	p.must(err, "Deliveries")
	rs, err := p.f.db.PendingRecipients(p.ctx, send.ID, 0, 10)
	p.must(err)
	for _, r := range rs {
		ok, err := d.Claim(p.ctx, send.ID, r.MemberID)
		p.must(err)
		if ok {
			p.must(d.Done(p.ctx, send.ID, r.MemberID, ""))
		}
	}
	_, _, err = d.Finish(p.ctx, send.ID, time.Minute)
	p.must(err)
	_, err = d.Track(p.ctx, send.ID, m.ID, store.TrackOpen)
	p.must(err)
	// A provider's bounce and complaint of the member, the retention
	// cleanup, and a digest's tick: none is on a page.
	hook := p.f.svc.System("mail-webhook")
	for _, reason := range []string{store.SuppressBounce, store.SuppressComplaint} {
		_, err = hook.ApplyMailEvent(p.ctx, editorial.MailEvent{ID: fmt.Sprintf("ev_%d", readerSeq.Add(1)), Provider: "test",
			Reason: reason, Email: m.Email})
		p.must(err, "ApplyMailEvent")
	}
	_, err = p.f.svc.System("scheduler").PruneSuppressions(p.ctx)
	p.must(err, "PruneSuppressions")
	// Staff lift the complaint again: the address is on no page either.
	p.must(ed.LiftSuppression(p.ctx, m.Email), "LiftSuppression")
	digest := &store.Newsletter{Name: fmt.Sprintf("Weekly %d", readerSeq.Add(1)), Schedule: "weekly:fri"}
	p.must(p.ed.CreateNewsletter(p.ctx, digest), "CreateNewsletter")
	_, err = p.f.svc.System("scheduler").SendDigests(p.ctx, p.now().Add(8*24*time.Hour))
	p.must(err, "SendDigests")
	_, err = ed.SetMemberBlocked(p.ctx, m.ID, true)
	p.must(err, "SetMemberBlocked")
}

func (p *propertyRun) now() time.Time { return fixedNow.Add(time.Duration(p.f.offset.Load())) }
