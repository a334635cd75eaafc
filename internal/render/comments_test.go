package render

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

func TestNewCommentsView_Threads(t *testing.T) {
	f := newFixture(t)
	at := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	cs := []Comment{
		{ID: 1, AuthorName: "Ana", BodyHTML: "<p>First.</p>", CreatedAt: at},
		{ID: 2, ParentID: 1, AuthorName: "Ben", BodyHTML: "<p>Reply.</p>", CreatedAt: at.Add(time.Hour)},
		{ID: 3, ParentID: 2, AuthorName: "Cy", BodyHTML: "<p>Deeper.</p>", CreatedAt: at.Add(2 * time.Hour)},
		{ID: 4, ParentID: 3, AuthorName: "Di", BodyHTML: "<p>Deepest.</p>", CreatedAt: at.Add(3 * time.Hour)},
		{ID: 5, ParentID: 4, AuthorName: "Ed", BodyHTML: "<p>Too deep.</p>", CreatedAt: at.Add(4 * time.Hour)},
		{ID: 6, ParentID: 99, AuthorName: "", AuthorURL: "javascript:alert(1)", BodyHTML: "<p>Orphan.</p>", CreatedAt: at},
	}
	v := NewCommentsView(f.site, 10, cs, false)
	if v.Count != 6 || v.Heading != "6 comments" || len(v.Threads) != 2 {
		t.Fatalf("count %d heading %q threads %d", v.Count, v.Heading, len(v.Threads))
	}
	d4 := v.Threads[0].Replies[0].Replies[0].Replies[0]
	if d4.ID != 4 || len(d4.Replies) != 0 {
		t.Fatalf("depth 4 is %d with %d replies", d4.ID, len(d4.Replies))
	}
	// The fifth level is shown beside the fourth, linking what it answers.
	d3 := v.Threads[0].Replies[0].Replies[0]
	if len(d3.Replies) != 2 || d3.Replies[1].ID != 5 || d3.Replies[1].ParentLink != "#comment-4" {
		t.Fatalf("level 3 replies %+v", d3.Replies)
	}
	orphan := v.Threads[1]
	if orphan.Author != "Anonymous" || orphan.AuthorURL != "" {
		t.Fatalf("orphan %+v", orphan)
	}

	r := mustNew(t, Options{})
	opts := ArticleOptions{Comments: v}
	page := renderArticle(t, r, f, opts)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	if n := doc.Find("#comments li.comment").Length(); n != 6 {
		t.Fatalf("%d comments on the page", n)
	}
	if href, _ := doc.Find("#comment-2 .comment__reply a").First().Attr("href"); href != "/members/comment?article=10&parent=2" {
		t.Fatalf("reply link %q", href)
	}
	if doc.Find(".comments__form[data-fragment='/members/comment?article=10'] a").Length() != 1 {
		t.Fatal("no form link")
	}
	// Member-neutral: no form fields, no token in the cached page.
	if doc.Find("#comments form, #comments input").Length() != 0 || strings.Contains(page, "_csrf") {
		t.Fatal("the cached article page carries a form")
	}

	closed := NewCommentsView(f.site, 10, cs[:1], true)
	page = renderArticle(t, r, f, ArticleOptions{Comments: closed})
	if !strings.Contains(page, "Comments on this article are closed.") || strings.Contains(page, "comments.js") ||
		strings.Contains(page, "comment__reply") {
		t.Fatal("closed comments still offer a form")
	}
}

func renderArticle(tb testing.TB, r *Renderer, f *fixture, opts ArticleOptions) string {
	v := NewArticleViewWith(f.site, f.article, nil, nil, opts)
	return render(tb, func(b *bytes.Buffer) error { return r.Article(b, v) })
}
