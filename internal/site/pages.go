package site

import (
	"bytes"
	"net/http"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/render"
	"folio/internal/store"
)

// homeDossierArticles is how many pieces each dossier block shows.
const (
	homeFeatured        = 3
	homeDossierArticles = 4
	relatedArticles     = 4
	feedItems           = 30
)

func (s *Site) handleHome(w http.ResponseWriter, r *http.Request, q *request, page int) error {
	per := q.settings.PerPage
	f := q.public()
	f.Limit, f.Offset = per, (page-1)*per
	latest, total, err := s.store.FindArticles(q.ctx, f)
	if err != nil {
		return err
	}
	if page > pages(total, per) {
		return store.NotFound("page", page)
	}
	q.dep(editorial.LangListDep(q.lang))
	q.articles(latest...)
	var featured []*content.Article
	var blocks []render.DossierBlock
	if page == 1 {
		yes := true
		ff := q.public()
		ff.Featured, ff.Limit = &yes, homeFeatured
		if featured, _, err = s.store.FindArticles(q.ctx, ff); err != nil {
			return err
		}
		q.articles(featured...)
		dossiers, _, err := s.store.FindTerms(q.ctx, store.TermFilter{Kind: content.KindDossier, Active: &yes})
		if err != nil {
			return err
		}
		for _, d := range dossiers {
			df := q.public()
			df.TermID, df.Limit = d.ID, homeDossierArticles
			arts, _, err := s.store.FindArticles(q.ctx, df)
			if err != nil {
				return err
			}
			q.dep(editorial.TermDep(d.ID), editorial.TermListDep(d.ID))
			q.articles(arts...)
			if len(arts) > 0 {
				blocks = append(blocks, render.DossierBlock{Term: d, Articles: arts})
			}
		}
	}
	v := render.NewHomeView(q.view(), latest, featured, blocks, page, pages(total, per))
	return s.html(w, r, func(b *bytes.Buffer) error { return s.render.Home(b, v) })
}

func (s *Site) handleArticle(w http.ResponseWriter, r *http.Request, q *request, slug string) error {
	a, err := s.store.FindArticleBySlug(q.ctx, q.lang, slug)
	if err != nil {
		return err
	}
	if !a.IsPublic(q.now) {
		return store.NotFound("article", slug)
	}
	q.articles(a)
	q.dep(editorial.GroupDep(a.TranslationGroup))
	var termIDs []int64
	for _, t := range a.Terms {
		if t.Kind != content.KindTag {
			termIDs = append(termIDs, t.ID)
			q.dep(editorial.TermListDep(t.ID))
		}
	}
	var related []*content.Article
	if len(termIDs) > 0 {
		rf := q.public()
		rf.AnyTermIDs, rf.ExcludeIDs, rf.Limit = termIDs, []int64{a.ID}, relatedArticles
		if related, _, err = s.store.FindArticles(q.ctx, rf); err != nil {
			return err
		}
		q.articles(related...)
	}
	tf := store.ArticleFilter{Public: true, Now: q.now, TranslationGroup: a.TranslationGroup, ExcludeIDs: []int64{a.ID}}
	translations, _, err := s.store.FindArticles(q.ctx, tf)
	if err != nil {
		return err
	}
	q.articles(translations...)
	v := render.NewArticleView(q.view(), a, related, translations)
	return s.html(w, r, func(b *bytes.Buffer) error { return s.render.Article(b, v) })
}

func (s *Site) handleAuthor(w http.ResponseWriter, r *http.Request, q *request, slug string, page int, feed string) error {
	au, err := s.store.FindAuthorBySlug(q.ctx, slug)
	if err != nil {
		return err
	}
	q.dep(editorial.AuthorDep(au.ID), editorial.AuthorListDep(au.ID))
	f := q.public()
	f.AuthorID = au.ID
	if feed != "" {
		return s.listingFeed(w, r, q, f, feed, q.urls.Author(q.lang, au.Slug), au.Name, au.Bio)
	}
	arts, pg, err := s.listingPage(q, f, page)
	if err != nil {
		return err
	}
	v := render.NewAuthorArchiveView(q.view(), au, arts, page, pg)
	return s.html(w, r, func(b *bytes.Buffer) error { return s.render.Archive(b, v) })
}

func (s *Site) handleTerm(w http.ResponseWriter, r *http.Request, q *request, kind content.TermKind, slug string, page int, feed string) error {
	t, err := s.store.FindTermBySlug(q.ctx, kind, slug)
	if err != nil {
		return err
	}
	q.dep(editorial.TermDep(t.ID), editorial.TermListDep(t.ID))
	f := q.public()
	f.TermID = t.ID
	if feed != "" {
		return s.listingFeed(w, r, q, f, feed, q.urls.Term(q.lang, kind, t.Slug), t.NameIn(q.lang), t.Description)
	}
	arts, pg, err := s.listingPage(q, f, page)
	if err != nil {
		return err
	}
	v := render.NewTermArchiveView(q.view(), t, arts, page, pg)
	return s.html(w, r, func(b *bytes.Buffer) error { return s.render.Archive(b, v) })
}

// listingPage returns page (1-based) of f and the number of pages. Pages past
// the end are not found, except an empty first page.
func (s *Site) listingPage(q *request, f store.ArticleFilter, page int) ([]*content.Article, int, error) {
	per := q.settings.PerPage
	f.Limit, f.Offset = per, (page-1)*per
	arts, total, err := s.store.FindArticles(q.ctx, f)
	if err != nil {
		return nil, 0, err
	}
	if page > pages(total, per) {
		return nil, 0, store.NotFound("page", page)
	}
	q.articles(arts...)
	return arts, pages(total, per), nil
}

// html renders into a buffer and sends it only when rendering succeeded.
func (s *Site) html(w http.ResponseWriter, r *http.Request, fn func(*bytes.Buffer) error) error {
	return s.send(w, r, "text/html; charset=utf-8", fn)
}

func (s *Site) send(w http.ResponseWriter, r *http.Request, ctype string, fn func(*bytes.Buffer) error) error {
	var b bytes.Buffer
	if err := fn(&b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "public, max-age=60")
	if r.Method == http.MethodHead {
		return nil
	}
	_, _ = w.Write(b.Bytes())
	return nil
}
