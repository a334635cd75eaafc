package admin

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"folio/internal/content"
)

// TestArticles_SearchTitleAndBody: the article list's search finds words
// in the body as well as the title, drafts included (the reader index has
// no drafts).
func TestArticles_SearchTitleAndBody(t *testing.T) {
	e := newEnv(t)
	ed := e.users[content.RoleEditor]
	draft := e.article(ed, content.StatusDraft)
	draft.BodyMarkdown = "Notes on the Tamarisk thickets along the lower river."
	if err := e.svc.System("test").UpdateArticle(context.Background(), draft); err != nil {
		t.Fatal(err)
	}
	other := e.article(ed, content.StatusPublished)
	b := e.login(ed)
	_, body := b.get("/admin/articles?q=" + url.QueryEscape("TAMARISK"))
	if !strings.Contains(body, draft.Title) || strings.Contains(body, other.Title) {
		t.Errorf("body search: draft listed %v, other listed %v", strings.Contains(body, draft.Title), strings.Contains(body, other.Title))
	}
	_, body = b.get("/admin/articles?q=" + url.QueryEscape(other.Title))
	if !strings.Contains(body, other.Title) || strings.Contains(body, draft.Title) {
		t.Error("title search no longer finds by title alone")
	}
}
