package editorial_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store"
)

func readerSetup(t *testing.T) (*editorial.Service, *recorder, store.Store, *content.Article) {
	t.Helper()
	svc, rec := setup(t, now)
	a := &content.Article{Language: "en", Title: "Water Rights", BodyMarkdown: "Text.", Status: content.StatusPublished}
	if err := svc.System("test").CreateArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	rec.take()
	return svc, rec, svc.Store(), a
}

var editor = &content.User{ID: 7, Email: "ed@example.org", Role: content.RoleEditor}

func TestMembers_Join(t *testing.T) {
	ctx := context.Background()
	svc, rec, _, _ := readerSetup(t)
	m, err := svc.System("test").JoinMember(ctx, "  Reader@Example.ORG ", []string{"fa", "xx-!!"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Email != "reader@example.org" || !slices.Equal(m.Languages, []string{"fa"}) {
		t.Fatalf("member %+v", m)
	}
	// Member data is on no public page: the event carries no key.
	if got := rec.take(); len(got) != 0 {
		t.Fatalf("notified %v", got)
	}
	again, err := svc.System("test").JoinMember(ctx, "reader@example.org", nil)
	if err != nil || again.ID != m.ID {
		t.Fatalf("second join: %v, %+v", err, again)
	}
	for _, bad := range []string{"", "not-an-address", "a@b", "Someone <x@example.org>", "x@mailinator.com", "x@example.org\r\nBcc: y@example.org"} {
		_, err := svc.System("test").JoinMember(ctx, bad, nil)
		var ce *content.Error
		if content.ErrorCode(err) != content.EINVALID || !asError(err, &ce) || ce.Fields["email"] == "" {
			t.Errorf("JoinMember(%q) = %v, want invalid naming email", bad, err)
		}
	}
}

func asError(err error, target **content.Error) bool {
	e, ok := err.(*content.Error)
	if ok {
		*target = e
	}
	return ok
}

func TestMembers_ProfileAndDelete(t *testing.T) {
	ctx := context.Background()
	svc, rec, st, a := readerSetup(t)
	nl := &store.Newsletter{Name: "Weekly digest"}
	if err := svc.As(editor).CreateNewsletter(ctx, nl); content.ErrorCode(err) != content.EFORBIDDEN {
		t.Fatalf("editor creating a newsletter: %v, want forbidden (admins only)", err)
	}
	if err := svc.As(&content.User{ID: 1, Role: content.RoleAdmin}).CreateNewsletter(ctx, nl); err != nil {
		t.Fatal(err)
	}
	if nl.Slug != "weekly-digest" {
		t.Fatalf("slug %q", nl.Slug)
	}
	m, _ := svc.System("test").JoinMember(ctx, "r@example.org", nil)
	rec.take()
	m, err := svc.AsMember(m).UpdateProfile(ctx, editorial.Profile{Name: " Ana ", Languages: []string{"en", "fa"}, Newsletters: []int64{nl.ID}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := st.(store.MemberStore).FindMemberByID(ctx, m.ID)
	if got.Name != "Ana" || !slices.Equal(got.Newsletters, []int64{nl.ID}) || !slices.Equal(got.Languages, []string{"en", "fa"}) {
		t.Fatalf("stored %+v", got)
	}
	if _, err := svc.AsMember(m).UpdateProfile(ctx, editorial.Profile{Name: "<b>x</b>"}); content.ErrorCode(err) != content.EINVALID {
		t.Fatalf("bad name: %v", err)
	}
	if _, err := svc.AsMember(m).UpdateProfile(ctx, editorial.Profile{Newsletters: []int64{999}}); content.ErrorCode(err) != content.EINVALID {
		t.Fatalf("unknown newsletter: %v", err)
	}
	if _, err := svc.AsMember(nil).UpdateProfile(ctx, editorial.Profile{}); content.ErrorCode(err) != content.EUNAUTHORIZED {
		t.Fatalf("nil member: %v", err)
	}
	// Two comments, one approved by moderation: deleting the account
	// removes both and drops the article's page.
	c1, err := svc.AsMember(m).PostComment(ctx, editorial.NewComment{ArticleID: a.ID, Body: "First."})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.As(editor).Moderate(ctx, c1.ID, editorial.ModApprove); err != nil {
		t.Fatal(err)
	}
	rec.take()
	if err := svc.AsMember(m).DeleteAccount(ctx); err != nil {
		t.Fatal(err)
	}
	if got := rec.take(); !slices.Contains(got, key.Comments(a.ID)) {
		t.Fatalf("delete notified %v", got)
	}
	if _, err := st.(store.MemberStore).FindMemberByID(ctx, m.ID); content.ErrorCode(err) != content.ENOTFOUND {
		t.Fatalf("member still there: %v", err)
	}
	if cs, _ := st.(store.CommentStore).ApprovedComments(ctx, a.ID); len(cs) != 0 {
		t.Fatalf("comments left: %d", len(cs))
	}
}

func TestComments_PostAndModerate(t *testing.T) {
	ctx := context.Background()
	svc, rec, st, a := readerSetup(t)
	cs := st.(store.CommentStore)
	m, _ := svc.System("test").JoinMember(ctx, "c@example.org", nil)
	rec.take()
	me := svc.AsMember(m)

	t.Run("FirstHeld", func(t *testing.T) {
		c, err := me.PostComment(ctx, editorial.NewComment{ArticleID: a.ID, Body: "Good *piece*.<script>alert(1)</script><img src=x onerror=alert(2)>"})
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != store.CommentPending {
			t.Fatalf("first comment %s, want held", c.Status)
		}
		if strings.Contains(c.BodyHTML, "script") || strings.Contains(c.BodyHTML, "img") || !strings.Contains(c.BodyHTML, "<em>piece</em>") {
			t.Fatalf("body %q", c.BodyHTML)
		}
		// Held comments are on no public page.
		if got := rec.take(); len(got) != 0 {
			t.Fatalf("held comment notified %v", got)
		}
		if err := svc.As(&content.User{ID: 2, Role: content.RoleAuthor}).Moderate(ctx, c.ID, editorial.ModApprove); content.ErrorCode(err) != content.EFORBIDDEN {
			t.Fatalf("author moderating: %v", err)
		}
		if err := svc.As(editor).Moderate(ctx, c.ID, editorial.ModApprove); err != nil {
			t.Fatal(err)
		}
		// Exactly the article's comment key: no listing, no ArticleDep.
		if got := rec.take(); !slices.Equal(got, []string{key.Comments(a.ID)}) {
			t.Fatalf("approve notified %v", got)
		}
	})
	t.Run("LaterApprovedAtOnce", func(t *testing.T) {
		approved, _ := cs.ApprovedComments(ctx, a.ID)
		c, err := me.PostComment(ctx, editorial.NewComment{ArticleID: a.ID, ParentID: approved[0].ID, Body: "A reply, see <https://example.org/a>."})
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != store.CommentApproved || c.ParentID != approved[0].ID || !strings.Contains(c.BodyHTML, `rel="nofollow ugc"`) {
			t.Fatalf("reply %+v", c)
		}
		if got := rec.take(); !slices.Equal(got, []string{key.Comments(a.ID)}) {
			t.Fatalf("notified %v", got)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for name, nc := range map[string]editorial.NewComment{
			"empty":       {ArticleID: a.ID, Body: "  "},
			"only script": {ArticleID: a.ID, Body: "<script>x</script>"},
			"links":       {ArticleID: a.ID, Body: "<https://a.example> <https://b.example> <https://c.example>"},
			"long":        {ArticleID: a.ID, Body: strings.Repeat("x", content.MaxCommentBytes+1)},
			"bad parent":  {ArticleID: a.ID, ParentID: 9999, Body: "hi"},
		} {
			if _, err := me.PostComment(ctx, nc); content.ErrorCode(err) != content.EINVALID {
				t.Errorf("%s: %v, want invalid", name, err)
			}
		}
	})
	t.Run("Modes", func(t *testing.T) {
		if _, err := svc.PostAnonymousComment(ctx, editorial.NewComment{ArticleID: a.ID, Name: "Guest", Body: "hi"}); content.ErrorCode(err) != content.EUNAUTHORIZED {
			t.Fatalf("anonymous on members-only: %v", err)
		}
		if err := svc.As(editor).SetCommentMode(ctx, a.ID, store.CommentsOpen); err != nil {
			t.Fatal(err)
		}
		c, err := svc.PostAnonymousComment(ctx, editorial.NewComment{ArticleID: a.ID, Name: "Guest", Body: "hi"})
		if err != nil || c.Status != store.CommentPending || c.MemberID != 0 {
			t.Fatalf("anonymous on open: %v %+v", err, c)
		}
		if err := svc.As(editor).SetCommentMode(ctx, a.ID, store.CommentsClosed); err != nil {
			t.Fatal(err)
		}
		if _, err := me.PostComment(ctx, editorial.NewComment{ArticleID: a.ID, Body: "late"}); content.ErrorCode(err) != content.EFORBIDDEN {
			t.Fatalf("closed: %v", err)
		}
		if err := svc.As(editor).SetCommentMode(ctx, a.ID, "sometimes"); content.ErrorCode(err) != content.EINVALID {
			t.Fatalf("bad mode: %v", err)
		}
		_ = svc.As(editor).SetCommentMode(ctx, a.ID, store.CommentsMembers)
	})
	t.Run("Ban", func(t *testing.T) {
		rec.take()
		approved, _ := cs.ApprovedComments(ctx, a.ID)
		if err := svc.As(editor).Moderate(ctx, approved[0].ID, editorial.ModBan); err != nil {
			t.Fatal(err)
		}
		if left, _ := cs.ApprovedComments(ctx, a.ID); len(left) != 0 {
			t.Fatalf("banned member's comments still shown: %d", len(left))
		}
		got, _ := st.(store.MemberStore).FindMemberByID(ctx, m.ID)
		if got.Status != store.MemberBlocked {
			t.Fatalf("status %s", got.Status)
		}
		if _, err := svc.AsMember(got).PostComment(ctx, editorial.NewComment{ArticleID: a.ID, Body: "again"}); content.ErrorCode(err) != content.EFORBIDDEN {
			t.Fatalf("blocked member comments: %v", err)
		}
		if _, err := svc.System("test").JoinMember(ctx, m.Email, nil); content.ErrorCode(err) != content.EFORBIDDEN {
			t.Fatalf("blocked member signs in: %v", err)
		}
		if k := rec.take(); !slices.Contains(k, key.Comments(a.ID)) || slices.Contains(k, key.Article(a.ID)) {
			t.Fatalf("ban notified %v", k)
		}
	})
}

type fakeQueue struct{ started []int64 }

func (q *fakeQueue) StartSend(ctx context.Context, id int64, total int) error {
	q.started = append(q.started, id)
	return nil
}

func TestNewsletters_SendArticle(t *testing.T) {
	ctx := context.Background()
	svc, _, st, a := readerSetup(t)
	q := &fakeQueue{}
	svc.SetSendQueue(q)
	nl := &store.Newsletter{Name: "Weekly"}
	if err := svc.System("test").CreateNewsletter(ctx, nl); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, e := range []string{"a@example.org", "b@example.org", "c@example.org"} {
		m, _ := svc.System("test").JoinMember(ctx, e, nil)
		if err := svc.AsMember(m).SetSubscription(ctx, nl.ID, true); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	if _, err := svc.As(editor).SetMemberBlocked(ctx, ids[2], true); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.As(&content.User{ID: 3, Role: content.RoleContributor}).SendArticle(ctx, nl.ID, a.ID); content.ErrorCode(err) != content.EFORBIDDEN {
		t.Fatalf("contributor sends: %v", err)
	}
	send, err := svc.As(editor).SendArticle(ctx, nl.ID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if send.Total != 2 || !slices.Equal(q.started, []int64{send.ID}) {
		t.Fatalf("send %+v, started %v", send, q.started)
	}
	ns := st.(store.NewsletterStore)
	d, err := svc.System("newsletter").Deliveries()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.As(&content.User{ID: 3, Role: content.RoleAuthor}).Deliveries(); content.ErrorCode(err) != content.EFORBIDDEN {
		t.Fatalf("an author records deliveries: %v", err)
	}
	rs, _ := ns.PendingRecipients(ctx, send.ID, 0, 10)
	if len(rs) != 2 {
		t.Fatalf("pending %d", len(rs))
	}
	ok, _ := d.Claim(ctx, send.ID, rs[0].MemberID)
	again, _ := d.Claim(ctx, send.ID, rs[0].MemberID)
	if !ok || again {
		t.Fatalf("claim %v, second claim %v", ok, again)
	}
	if err := d.Done(ctx, send.ID, rs[0].MemberID, ""); err != nil {
		t.Fatal(err)
	}
	if done, n, _ := d.Finish(ctx, send.ID, time.Minute); done || n != 0 {
		t.Fatal("finished with a recipient pending")
	}
	d.Claim(ctx, send.ID, rs[1].MemberID)
	d.Done(ctx, send.ID, rs[1].MemberID, "550 no such user")
	if done, _, _ := d.Finish(ctx, send.ID, time.Minute); !done {
		t.Fatal("not finished")
	}
	got, _ := ns.FindSend(ctx, send.ID)
	if got.Status != store.SendDone || got.Sent != 1 || got.Failed != 1 {
		t.Fatalf("send %+v", got)
	}
	draft := &content.Article{Language: "en", Title: "Draft", BodyMarkdown: "x", Status: content.StatusDraft}
	_ = svc.System("test").CreateArticle(ctx, draft)
	if _, err := svc.As(editor).SendArticle(ctx, nl.ID, draft.ID); content.ErrorCode(err) != content.EINVALID {
		t.Fatalf("draft sent: %v", err)
	}
}

// TestLiftSuppression: staff who manage members lift a bounce and the
// next send reaches the address again; other roles may not; a second lift
// finds nothing to lift.
func TestLiftSuppression(t *testing.T) {
	ctx := context.Background()
	svc, rec, st, a := readerSetup(t)
	svc.SetSendQueue(&fakeQueue{})
	m, err := svc.System("test").JoinMember(ctx, "gone@example.org", nil)
	if err != nil {
		t.Fatal(err)
	}
	nl := &store.Newsletter{Name: "News"}
	if err := svc.System("test").CreateNewsletter(ctx, nl); err != nil {
		t.Fatal(err)
	}
	if err := svc.AsMember(m).SetSubscription(ctx, nl.ID, true); err != nil {
		t.Fatal(err)
	}
	if ok, err := svc.System("postmark").ApplyMailEvent(ctx, editorial.MailEvent{ID: "postmark:Bounce:1", Provider: "postmark",
		Reason: store.SuppressBounce, Email: "gone@example.org"}); err != nil || !ok {
		t.Fatalf("bounce: %v %v", ok, err)
	}
	author := &content.User{ID: 8, Role: content.RoleAuthor}
	if err := svc.As(author).LiftSuppression(ctx, "gone@example.org"); content.ErrorCode(err) != content.EFORBIDDEN {
		t.Fatalf("an author lifted a suppression: %v", err)
	}
	if err := svc.As(editor).LiftSuppression(ctx, ""); content.ErrorCode(err) != content.EINVALID {
		t.Fatalf("empty address: %v", err)
	}
	rec.take()
	if err := svc.As(editor).LiftSuppression(ctx, " Gone@Example.org "); err != nil {
		t.Fatal(err)
	}
	if got := rec.take(); len(got) != 0 {
		t.Fatalf("lifting a suppression dropped cached pages: %v", got)
	}
	if _, err := st.(store.SuppressionStore).FindSuppression(ctx, "gone@example.org"); content.ErrorCode(err) != content.ENOTFOUND {
		t.Fatalf("still suppressed: %v", err)
	}
	if err := svc.As(editor).LiftSuppression(ctx, "gone@example.org"); content.ErrorCode(err) != content.ENOTFOUND {
		t.Fatalf("second lift: %v", err)
	}
	send, err := svc.As(editor).SendArticle(ctx, nl.ID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if send.Total != 1 {
		t.Fatalf("send to %d members after the lift, want 1", send.Total)
	}
}
