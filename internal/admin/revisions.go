package admin

import (
	"fmt"
	"html/template"
	"net/http"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store"
)

// RevisionsView lists an article's history.
type RevisionsView struct {
	Base
	A         *content.Article
	Revisions []RevisionRow
	CanEdit   bool
}

// RevisionRow is one revision with who made it.
type RevisionRow struct {
	*store.Revision
	By string
}

func (a *Admin) userNames(r *http.Request) map[int64]string {
	names := map[int64]string{}
	if us, err := a.st.FindUsers(r.Context()); err == nil {
		for _, u := range us {
			names[u.ID] = u.Name
		}
	}
	return names
}

func (a *Admin) handleRevisions(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	art, ed, err := a.ownArticle(r, id, "see this article's history")
	if err != nil {
		return err
	}
	revs, err := a.st.FindRevisions(ctx, id)
	if err != nil {
		return err
	}
	names := a.userNames(r)
	v := &RevisionsView{Base: Base{Title: "Revisions: " + art.Title}, A: art, CanEdit: ed.CanEdit(art)}
	for _, rv := range revs {
		by := names[rv.UserID]
		if by == "" {
			by = "API or system"
		}
		v.Revisions = append(v.Revisions, RevisionRow{Revision: rv, By: by})
	}
	return a.render(w, r, http.StatusOK, "revisions", v)
}

// DiffView compares one revision with the article as it is now.
type DiffView struct {
	Base
	A       *content.Article
	Rev     *store.Revision
	Diff    template.HTML
	Same    bool
	CanEdit bool
}

func revisionText(title, deck, body string) string {
	return "# " + title + "\n\n" + deck + "\n\n" + body
}

func (a *Admin) handleRevisionDiff(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rev, err := a.st.FindRevision(ctx, id)
	if err != nil {
		return err
	}
	art, ed, err := a.ownArticle(r, rev.ArticleID, "see this article's history")
	if err != nil {
		return err
	}
	from := revisionText(rev.Title, rev.Deck, rev.BodyMarkdown)
	to := revisionText(art.Title, art.Deck, art.BodyMarkdown)
	v := &DiffView{Base: Base{Title: fmt.Sprintf("Version %d of %q", rev.Version, art.Title)}, A: art, Rev: rev,
		Diff: diffHTML(from, to), Same: from == to, CanEdit: ed.CanEdit(art)}
	return a.render(w, r, http.StatusOK, "diff", v)
}

func (a *Admin) handleRevisionRestore(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	art, err := a.editor(r).RestoreRevision(r.Context(), id, editorial.Version(formInt(r, "version")))
	if err != nil {
		return err
	}
	a.audit(r, "article.restore", "article", art.ID, fmt.Sprintf("restored revision %d as version %d", id, art.Version))
	return seeOther(w, r, fmt.Sprintf("/admin/articles/%d?done=restored", art.ID))
}
