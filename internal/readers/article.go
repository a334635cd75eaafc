package readers

import (
	"html/template"
	"net/http"
	"net/url"

	"folio/internal/content"
	"folio/internal/render"
	"folio/internal/store"
	"folio/internal/urls"
)

// The members' copy of a gated article. The public page (shared cache)
// carries the lede and a call to join; the text itself is only ever in
// these uncached, per-member answers.

type articleData struct {
	Title      string
	Deck       string
	Byline     string
	ArticleURL string
	Body       template.HTML
	Message    string // why the text is not shown
	JoinURL    string
	SigninURL  string
}

// readerOf is what access rules know of member m (nil when signed out).
func (h *Readers) readerOf(m *store.Member) content.Reader {
	if m == nil || m.Status != store.MemberActive {
		return content.Reader{}
	}
	return content.Reader{Member: true, Tiers: m.Tiers}
}

// handleMemberArticle serves a gated article's full text to a member who
// may read it: the body alone with fragment=1 (gate.js puts it into the
// cached page), else a page of its own for readers without JavaScript.
// Anyone else gets 204 to the fragment (the call to join stays) and the
// call to join as a page.
func (h *Readers) handleMemberArticle(w http.ResponseWriter, r *http.Request) error {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		return content.Errorf(content.ENOTFOUND, "article %q not found", r.PathValue("id"))
	}
	ctx := r.Context()
	a, err := h.st.FindArticleByID(ctx, id)
	now := h.now()
	if err != nil || !a.IsPublic(now) {
		return content.Errorf(content.ENOTFOUND, "article %d not found", id)
	}
	st := h.settings(ctx)
	m := memberFrom(ctx)
	if err := h.withTiers(ctx, m); err != nil {
		return err
	}
	may := a.FullTextFor(h.readerOf(m), now)
	w.Header().Set("Vary", "Cookie")
	if r.URL.Query().Get("fragment") == "1" {
		if !may {
			w.WriteHeader(http.StatusNoContent)
			return nil
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(a.BodyHTML)) // sanitized by the editorial service
		return nil
	}
	d := &articleData{Title: a.Title, Deck: a.Deck, Byline: a.AuthorNames(), ArticleURL: urls.New(st).Article(a)}
	if may {
		d.Body = template.HTML(a.BodyHTML)
	} else {
		d.Body = template.HTML(content.Lede(a.BodyHTML))
		self := h.path(ctx, render.MemberArticlePath(a.ID))
		d.SigninURL = h.path(ctx, "/members/signin?"+url.Values{"next": {self}}.Encode())
		d.JoinURL = d.SigninURL
		loc := h.loc(ctx)
		switch {
		case a.Access == content.AccessPaid:
			d.Message = loc.T("gate.paid")
			d.JoinURL = h.path(ctx, joinPath(self))
		default:
			d.Message = loc.T("gate.members")
		}
	}
	p := h.newPage(r, "members.home", d)
	p.Title = a.Title
	h.html(w, r, http.StatusOK, "article", p)
	return nil
}
