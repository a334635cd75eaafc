package storetest

import (
	"context"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

// ReadersStore is what the reader contract needs.
type ReadersStore interface {
	store.Store
	store.MemberStore
	store.CommentStore
	store.NewsletterStore
	store.PaidStore
	store.SuppressionStore
	store.ReplyNoticeStore
}

// RunReaders runs the contract of MemberStore, CommentStore and
// NewsletterStore: the paths the reader pages and newsletter sends take.
func RunReaders(t *testing.T, newStore func(t *testing.T) ReadersStore) {
	ctx := context.Background()
	t.Run("Paid", func(t *testing.T) { testPaid(t, newStore) })
	t.Run("ReplyNotices", func(t *testing.T) { testReplyNotices(t, newStore) })
	t.Run("Members", func(t *testing.T) {
		s := newStore(t)
		nl := &store.Newsletter{Slug: "weekly", Name: "Weekly"}
		ok(t, s.CreateNewsletter(ctx, nl))
		m := &store.Member{Email: "Reader@Example.org", Name: "Rea Der", Languages: []string{"fa", "en"}, Newsletters: []int64{nl.ID}}
		ok(t, s.CreateMember(ctx, m))
		got, err := s.FindMemberByEmail(ctx, "reader@example.org")
		ok(t, err)
		if got.ID != m.ID || len(got.Newsletters) != 1 || got.Newsletters[0] != nl.ID || len(got.Languages) != 2 {
			t.Fatalf("found %+v", got)
		}
		wantCode(t, s.CreateMember(ctx, &store.Member{Email: "reader@example.org"}), content.ECONFLICT)
		ok(t, s.CreateMember(ctx, &store.Member{Email: "other@example.org", Name: "Ωmega"}))
		for _, tt := range []struct {
			f    store.MemberFilter
			want int
		}{{store.MemberFilter{}, 2}, {store.MemberFilter{Search: "ωMEGA"}, 1}, {store.MemberFilter{Search: "der"}, 1},
			{store.MemberFilter{NewsletterID: nl.ID}, 1}, {store.MemberFilter{Language: "fa"}, 1}} {
			_, n, err := s.FindMembers(ctx, tt.f)
			ok(t, err)
			if n != tt.want {
				t.Errorf("FindMembers(%+v) total %d, want %d", tt.f, n, tt.want)
			}
		}
		now := time.Now().UTC()
		ok(t, s.CreateMagicLink(ctx, &store.MagicLink{Hash: "h1", Email: m.Email, NonceHash: "n1", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))
		_, err = s.UseMagicLink(ctx, "h1", "other-browser", now)
		wantCode(t, err, content.EFORBIDDEN)
		_, err = s.UseMagicLink(ctx, "h1", "n1", now)
		ok(t, err)
		_, err = s.UseMagicLink(ctx, "h1", "n1", now)
		wantCode(t, err, content.ENOTFOUND)
		for range 3 {
			ok(t, s.RecordReaderAttempt(ctx, "signin_ip", "192.0.2.1", now))
		}
		if n, err := s.CountReaderAttempts(ctx, "signin_ip", "192.0.2.1", now.Add(-time.Minute)); err != nil || n != 3 {
			t.Fatalf("attempts %d, %v", n, err)
		}
	})
	t.Run("Comments", func(t *testing.T) {
		s := newStore(t)
		a := MustCreateArticle(t, s, &content.Article{Status: content.StatusPublished, PublishedAt: base})
		m := &store.Member{Email: "c@example.org"}
		ok(t, s.CreateMember(ctx, m))
		c1 := &store.Comment{ArticleID: a.ID, MemberID: m.ID, AuthorName: "C", BodyHTML: "<p>first</p>", Status: store.CommentPending}
		ok(t, s.CreateComment(ctx, c1))
		c2 := &store.Comment{ArticleID: a.ID, ParentID: c1.ID, AuthorName: "D", BodyHTML: "<p>reply</p>", Status: store.CommentApproved}
		ok(t, s.CreateComment(ctx, c2))
		wantCode(t, s.CreateComment(ctx, &store.Comment{ArticleID: a.ID + 1000, BodyHTML: "x", Status: store.CommentApproved}), content.EINVALID)
		if _, n, err := s.FindCommentQueue(ctx, store.CommentFilter{}); err != nil || n != 2 {
			t.Fatalf("queue without filter: %d, %v", n, err)
		}
		if _, n, err := s.FindCommentQueue(ctx, store.CommentFilter{Statuses: []string{store.CommentPending}}); err != nil || n != 1 {
			t.Fatalf("pending queue: %d, %v", n, err)
		}
		ids, err := s.SetMemberCommentsStatus(ctx, m.ID, store.CommentPending, store.CommentApproved)
		if err != nil || len(ids) != 1 || ids[0] != a.ID {
			t.Fatalf("approve member's comments: %v, %v", ids, err)
		}
		if cs, err := s.ApprovedComments(ctx, a.ID); err != nil || len(cs) != 2 || cs[0].ID != c1.ID {
			t.Fatalf("approved: %d, %v", len(cs), err)
		}
		mode, err := s.CommentMode(ctx, a.ID)
		ok(t, err)
		if mode != store.CommentsMembers {
			t.Fatalf("default mode %q", mode)
		}
		ok(t, s.SetCommentMode(ctx, a.ID, store.CommentsClosed))
		ok(t, s.SetCommentMode(ctx, a.ID, store.CommentsOpen))
		if mode, _ := s.CommentMode(ctx, a.ID); mode != store.CommentsOpen {
			t.Fatalf("mode %q after setting open", mode)
		}
	})
	t.Run("Sends", func(t *testing.T) {
		s := newStore(t)
		a := MustCreateArticle(t, s, &content.Article{Status: content.StatusPublished, PublishedAt: base})
		nl := &store.Newsletter{Slug: "daily", Name: "Daily"}
		ok(t, s.CreateNewsletter(ctx, nl))
		var members []int64
		for _, e := range []string{"a@example.org", "b@example.org", "c@example.org"} {
			m := &store.Member{Email: e, Newsletters: []int64{nl.ID}}
			ok(t, s.CreateMember(ctx, m))
			members = append(members, m.ID)
		}
		send := &store.NewsletterSend{NewsletterID: nl.ID, ArticleID: a.ID, Subject: "Today"}
		ok(t, s.CreateSend(ctx, send))
		if send.Total != 3 || send.Pending != 3 {
			t.Fatalf("send %+v", send)
		}
		won, err := s.ClaimRecipient(ctx, send.ID, members[0], time.Now())
		ok(t, err)
		again, err := s.ClaimRecipient(ctx, send.ID, members[0], time.Now())
		ok(t, err)
		if !won || again {
			t.Fatalf("claims: first %v, second %v; want only the first", won, again)
		}
		ok(t, s.MarkRecipient(ctx, send.ID, members[0], store.RecipientSent, "", time.Now()))
		rs, err := s.PendingRecipients(ctx, send.ID, 0, 10)
		ok(t, err)
		if len(rs) != 2 {
			t.Fatalf("%d pending after one sent, want 2", len(rs))
		}
		got, err := s.FindSend(ctx, send.ID)
		ok(t, err)
		if got.Sent != 1 || got.Pending != 2 || got.Status != store.SendSending {
			t.Fatalf("send %+v", got)
		}
	})
	t.Run("Digests", func(t *testing.T) {
		s := newStore(t)
		a := MustCreateArticle(t, s, &content.Article{Status: content.StatusPublished, PublishedAt: base})
		b := MustCreateArticle(t, s, &content.Article{Status: content.StatusPublished, PublishedAt: base})
		nl := &store.Newsletter{Slug: "week", Name: "Week", Schedule: "weekly:fri"}
		ok(t, s.CreateNewsletter(ctx, nl))
		if got, err := s.FindNewsletterByID(ctx, nl.ID); err != nil || got.Schedule != "weekly:fri" {
			t.Fatalf("newsletter %+v, %v", got, err)
		}
		last, err := s.LastPeriodEnd(ctx, nl.ID)
		ok(t, err)
		if !last.IsZero() {
			t.Fatalf("last period end %v before any digest", last)
		}
		end := base.Add(72 * time.Hour)
		d := &store.NewsletterSend{NewsletterID: nl.ID, ArticleID: b.ID, ArticleIDs: []int64{b.ID, a.ID}, PeriodEnd: end, Subject: "Week"}
		ok(t, s.CreateSend(ctx, d))
		got, err := s.FindSend(ctx, d.ID)
		ok(t, err)
		if len(got.ArticleIDs) != 2 || got.ArticleIDs[0] != b.ID || got.ArticleIDs[1] != a.ID || !got.PeriodEnd.Equal(end) {
			t.Fatalf("digest %+v", got)
		}
		wantCode(t, s.CreateSend(ctx, &store.NewsletterSend{NewsletterID: nl.ID, ArticleID: a.ID, PeriodEnd: end, Subject: "Again"}), content.ECONFLICT)
		ok(t, s.CreateSend(ctx, &store.NewsletterSend{NewsletterID: nl.ID, ArticleID: a.ID, Subject: "One article"}))
		if last, err = s.LastPeriodEnd(ctx, nl.ID); err != nil || !last.Equal(end) {
			t.Fatalf("last period end %v, %v; want %v", last, err, end)
		}
	})
	t.Run("Suppressions", func(t *testing.T) {
		s := newStore(t)
		a := MustCreateArticle(t, s, &content.Article{Status: content.StatusPublished, PublishedAt: base})
		nl := &store.Newsletter{Slug: "news", Name: "News"}
		ok(t, s.CreateNewsletter(ctx, nl))
		for _, e := range []string{"a@example.org", "b@example.org", "c@example.org"} {
			ok(t, s.CreateMember(ctx, &store.Member{Email: e, Newsletters: []int64{nl.ID}}))
		}
		apply := func(id, email, reason string) bool {
			t.Helper()
			var sup *store.MailSuppression
			if reason != "" {
				sup = &store.MailSuppression{Email: email, Reason: reason, Provider: "test"}
			}
			changed, err := s.ApplyMailEvent(ctx, id, sup)
			ok(t, err)
			return changed
		}
		if !apply("e1", "A@Example.org", store.SuppressBounce) || apply("e1", "A@Example.org", store.SuppressBounce) {
			t.Fatal("a bounce changed nothing, or its replay changed something")
		}
		if apply("e2", "a@example.org", store.SuppressBounce) || !apply("e3", "a@example.org", store.SuppressComplaint) ||
			apply("e4", "a@example.org", store.SuppressBounce) || apply("e5", "", "") {
			t.Fatal("a second bounce or a record-only event changed something, or a complaint did not replace a bounce")
		}
		got, err := s.FindSuppression(ctx, "a@example.org")
		ok(t, err)
		if got.Reason != store.SuppressComplaint {
			t.Fatalf("suppression %+v", got)
		}
		_, err = s.FindSuppression(ctx, "b@example.org")
		wantCode(t, err, content.ENOTFOUND)
		if !apply("e6", "b@example.org", store.SuppressBounce) {
			t.Fatal("a bounce of b changed nothing")
		}
		for search, want := range map[string]int{"": 2, "B@EXAMPLE": 1, "example.org": 2, "nobody": 0} {
			list, err := s.FindSuppressions(ctx, search, 10)
			ok(t, err)
			if len(list) != want {
				t.Fatalf("search %q: %d suppressions, want %d", search, len(list), want)
			}
		}
		if list, err := s.FindSuppressions(ctx, "", 1); err != nil || len(list) != 1 {
			t.Fatalf("limit 1: %v, %v", list, err)
		}
		ok(t, s.DeleteSuppression(ctx, "B@example.org"))
		wantCode(t, s.DeleteSuppression(ctx, "b@example.org"), content.ENOTFOUND)
		_, err = s.FindSuppression(ctx, "b@example.org")
		wantCode(t, err, content.ENOTFOUND)
		send := &store.NewsletterSend{NewsletterID: nl.ID, ArticleID: a.ID, Subject: "Today"}
		ok(t, s.CreateSend(ctx, send))
		if send.Total != 2 {
			t.Fatalf("send to %d, want 2 (the suppressed address left out)", send.Total)
		}
		n, err := s.PruneSuppressions(ctx, time.Now().Add(-time.Hour), time.Now().Add(-time.Hour))
		ok(t, err)
		if n != 0 {
			t.Fatalf("pruned %d fresh suppressions", n)
		}
		n, err = s.PruneSuppressions(ctx, time.Now().Add(time.Hour), time.Now().Add(time.Hour))
		ok(t, err)
		if n != 1 {
			t.Fatalf("pruned %d suppressions, want 1", n)
		}
		_, err = s.FindSuppression(ctx, "a@example.org")
		wantCode(t, err, content.ENOTFOUND)
	})
}

// testReplyNotices: an opt-out holds until cleared; a notice is claimed
// once per comment and recipient; counts see only the recipient's own.
func testReplyNotices(t *testing.T, newStore func(t *testing.T) ReadersStore) {
	ctx := context.Background()
	s := newStore(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	off, err := s.ReplyNoticesOff(ctx, "h1")
	ok(t, err)
	if off {
		t.Fatal("a new address is opted out")
	}
	ok(t, s.SetReplyNoticesOff(ctx, "h1", true, now))
	ok(t, s.SetReplyNoticesOff(ctx, "h1", true, now)) // twice is fine
	if off, err = s.ReplyNoticesOff(ctx, "h1"); err != nil || !off {
		t.Fatalf("opted out: %v %v", off, err)
	}
	if off, _ = s.ReplyNoticesOff(ctx, "h2"); off {
		t.Fatal("another address is opted out too")
	}
	ok(t, s.SetReplyNoticesOff(ctx, "h1", false, now))
	if off, _ = s.ReplyNoticesOff(ctx, "h1"); off {
		t.Fatal("cleared opt-out still holds")
	}
	first, err := s.ClaimReplyNotice(ctx, 7, "h1", now)
	ok(t, err)
	again, err := s.ClaimReplyNotice(ctx, 7, "h1", now.Add(time.Hour))
	ok(t, err)
	other, err := s.ClaimReplyNotice(ctx, 7, "h2", now)
	ok(t, err)
	if !first || again || !other {
		t.Fatalf("claims: first %v, again %v, other recipient %v", first, again, other)
	}
	ok(t, s.ReleaseReplyNotice(ctx, 7, "h2"))
	if again, _ = s.ClaimReplyNotice(ctx, 7, "h2", now); !again {
		t.Fatal("a released claim cannot be made again")
	}
	_, _ = s.ClaimReplyNotice(ctx, 8, "h1", now.Add(2*time.Hour))
	n, err := s.CountReplyNotices(ctx, "h1", now.Add(time.Minute))
	ok(t, err)
	if n != 1 {
		t.Fatalf("h1 got %d notices since then, want 1", n)
	}
}
