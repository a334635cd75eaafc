package site

import (
	"bytes"
	"net/http"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/render"
	"folio/internal/store"
)

// correctionLogSize is how many notes the corrections log page lists.
const correctionLogSize = 200

// handlePage serves a public page: its parents for the breadcrumb, its
// public children, its translations, and what its template adds.
func (s *Site) handlePage(w http.ResponseWriter, r *http.Request, q *request, a *content.Article) error {
	q.articles(a)
	q.showsBody(a.BodyHTML)
	q.dep(key.Group(a.TranslationGroup), key.Pages)
	o := render.PageOptions{}
	// Parents, root first; a parent that is not public ends the trail.
	seen := map[int64]bool{a.ID: true}
	for id := a.ParentID; id != 0 && !seen[id] && len(o.Parents) < 8; {
		seen[id] = true
		p, err := s.store.FindArticleByID(q.ctx, id)
		if err != nil || !p.IsPublic(q.now) {
			break
		}
		o.Parents = append([]*content.Article{p}, o.Parents...)
		id = p.ParentID
	}
	parent := a.ID
	kids, _, err := s.store.FindArticles(q.ctx, store.ArticleFilter{Type: content.TypePage, ParentID: &parent,
		Public: true, Now: q.now, Language: a.Language, NoTotal: true, Limit: 100})
	if err != nil {
		return err
	}
	o.Children = kids
	if o.Translations, _, err = s.store.FindArticles(q.ctx, store.ArticleFilter{Public: true, Now: q.now,
		TranslationGroup: a.TranslationGroup, ExcludeIDs: []int64{a.ID}, NoTotal: true}); err != nil {
		return err
	}
	switch a.Template {
	case content.TemplateMasthead:
		q.dep(key.All) // any author change is an author list change
		if o.Staff, _, err = s.store.FindAuthors(q.ctx, store.AuthorFilter{}); err != nil {
			return err
		}
		for _, au := range o.Staff {
			q.dep(key.Author(au.ID))
		}
	case content.TemplateCorrections:
		q.dep(key.Corrections)
		if o.Corrections, err = s.correctionLog(q); err != nil {
			return err
		}
	}
	q.lang = a.Language
	v := render.NewPageView(q.view(), a, o)
	return s.html(w, r, func(b *bytes.Buffer) error { return s.render.Page(b, v) })
}

// correctionLog lists the newest notes of public articles, newest first.
func (s *Site) correctionLog(q *request) ([]render.CorrectionEntry, error) {
	notes, _, err := s.store.FindCorrections(q.ctx, store.CorrectionFilter{Limit: correctionLogSize})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(notes))
	for _, c := range notes {
		ids = append(ids, c.ArticleID)
		// A note of an article not public yet appears when it goes live.
		q.dep(key.Article(c.ArticleID))
	}
	byID := map[int64]*content.Article{}
	if len(ids) > 0 {
		arts, _, err := s.store.FindArticles(q.ctx, store.ArticleFilter{IDs: ids, Public: true, Now: q.now, NoTotal: true})
		if err != nil {
			return nil, err
		}
		q.articles(arts...)
		for _, a := range arts {
			byID[a.ID] = a
		}
	}
	return q.view().CorrectionLog(notes, byID), nil
}
