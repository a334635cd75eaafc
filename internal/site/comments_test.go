package site_test

import (
	"context"
	"strings"
	"testing"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store"
)

// TestComments_Reach checks what a comment drops: its article's page and
// the listings that show its count, and nothing that does not show it.
func TestComments_Reach(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	water := f.terms[2]
	a := f.publish(t, &content.Article{Language: "en", Title: "Canal", Slug: "canal", Terms: []*content.Term{water}})
	f.publish(t, &content.Article{Language: "en", Title: "Dam", Slug: "dam", Terms: []*content.Term{water}})
	imported := &store.Comment{ArticleID: a.ID, AuthorName: "Old Reader", BodyHTML: `<p>From the old site <img src="x.png"></p>`,
		Status: store.CommentApproved, SourceID: "wp-7"}
	if err := f.svc.System("import").PutComment(ctx, imported); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/", "/canal/", "/dam/", "/theme/" + water.Slug + "/"} {
		if r := get(f.cached, p); r.Code != 200 {
			t.Fatalf("%s: %d", p, r.Code)
		}
	}
	if body := get(f.cached, "/canal/").Body.String(); !strings.Contains(body, "From the old site") || strings.Contains(body, "x.png") {
		t.Fatal("imported comment missing, or shown with its image")
	}
	damBefore := get(f.cached, "/dam/").Body.String()

	m, err := f.svc.System("test").JoinMember(ctx, "reader@example.org", nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.svc.AsMember(m).PostComment(ctx, editorial.NewComment{ArticleID: a.ID, Body: "Well *argued*."})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(get(f.cached, "/canal/").Body.String(), "Well <em>argued</em>") {
		t.Fatal("a held comment is on the page")
	}
	// Cards count approved comments only: the held one is not in it.
	if body := get(f.cached, "/").Body.String(); !strings.Contains(body, `<a href="/canal/#comments">1 comment</a>`) {
		t.Error("the front page's card counts a held comment, or no comment")
	}
	if err := f.svc.As(&content.User{ID: 1, Role: content.RoleEditor}).Moderate(ctx, c.ID, editorial.ModApprove); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(get(f.cached, "/canal/").Body.String(), "Well <em>argued</em>") {
		t.Fatal("the approved comment is not on the cached page")
	}
	for _, p := range []string{"/", "/theme/" + water.Slug + "/"} {
		body := get(f.cached, p).Body.String()
		if !strings.Contains(body, `<a href="/canal/#comments">2 comments</a>`) {
			t.Errorf("%s: no fresh count on the card", p)
		}
	}
	// The other article's page shows the canal as a related card without a
	// count: the comment does not change it.
	if damAfter := get(f.cached, "/dam/").Body.String(); damAfter != damBefore || strings.Contains(damAfter, "comments</a>") {
		t.Error("the other article's page changed")
	}
}
