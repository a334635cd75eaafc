package site

import (
	"bytes"
	"net/http"
	"strconv"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/render"
	"folio/internal/store"
)

// homeDossierArticles is how many pieces each dossier block shows.
const (
	homeFeatured        = 3
	homeDossierArticles = 4
	relatedArticles     = 4
	// Feeds carry full text, so their size is items × article length:
	// the site feed keeps 20 pieces, archive feeds (author, term) 10, as
	// most feed readers poll often enough.
	feedItems        = 20
	archiveFeedItems = 10
)

// handleHome serves the home page of q.lang. A language with nothing
// published in it (any of the 51 interface languages) shows the default
// language's articles, each card marked with its language, in an interface
// wholly in q.lang.
func (s *Site) handleHome(w http.ResponseWriter, r *http.Request, q *request, page int) error {
	per := q.settings.PerPage
	f := q.public()
	f.Limit, f.Offset, f.NoBody = per, (page-1)*per, true
	latest, total, err := s.store.FindArticles(q.ctx, f)
	if err != nil {
		return err
	}
	public := q.public
	if total == 0 && q.lang != q.settings.DefaultLanguage {
		// The first article in q.lang must replace this page.
		q.dep(key.LangList(q.lang))
		public = func() store.ArticleFilter {
			pf := q.public()
			pf.Language = q.settings.DefaultLanguage
			return pf
		}
		f = public()
		f.Limit, f.Offset, f.NoBody = per, (page-1)*per, true
		if latest, total, err = s.store.FindArticles(q.ctx, f); err != nil {
			return err
		}
		q.dep(key.LangList(q.settings.DefaultLanguage))
	}
	if page > pages(total, per) {
		return store.NotFound("page", page)
	}
	q.dep(key.LangList(q.lang))
	q.articles(latest...)
	var featured []*content.Article
	var blocks []render.DossierBlock
	if page == 1 {
		yes := true
		ff := public()
		ff.Featured, ff.Limit, ff.NoTotal, ff.NoBody = &yes, homeFeatured, true, true
		if featured, _, err = s.store.FindArticles(q.ctx, ff); err != nil {
			return err
		}
		q.articles(featured...)
		dossiers, _, err := s.store.FindTerms(q.ctx, store.TermFilter{Kind: content.KindDossier, Active: &yes})
		if err != nil {
			return err
		}
		for _, d := range dossiers {
			df := public()
			df.TermID, df.Limit, df.NoTotal, df.NoBody = d.ID, homeDossierArticles, true, true
			arts, _, err := s.store.FindArticles(q.ctx, df)
			if err != nil {
				return err
			}
			q.dep(key.Term(d.ID), key.TermList(d.ID))
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
	if err == nil && !a.IsPublic(q.now) && a.Translation != nil {
		// A translation not out yet (a machine translation held for
		// review): readers get the original, as if there were none.
		err = store.NotFound("article", slug)
	}
	unavailable := false
	if err != nil && isNotFound(err) && q.lang != q.settings.DefaultLanguage {
		// /{lang}/{slug}/ of an article published in another language: the
		// reader chose q.lang, so translate on demand when the site can,
		// else show the original with a notice.
		if a, err = s.findOriginal(q, slug); err == nil {
			unavailable = true
		}
	}
	if err != nil {
		return err
	}
	if !a.IsPublic(q.now) {
		return store.NotFound("article", slug)
	}
	if unavailable {
		// A translation with its own slug: send the reader there.
		if tr, err := s.groupMember(q, a.TranslationGroup, q.lang); err != nil {
			return err
		} else if tr != nil {
			q.dep(key.Article(tr.ID))
			http.Redirect(w, r, q.urls.Article(tr), http.StatusFound)
			return nil
		}
	}
	if a.IsPage() {
		return s.handlePage(w, r, q, a)
	}
	q.articles(a)
	q.showsBody(a.BodyHTML)
	q.dep(key.Group(a.TranslationGroup))
	dossier, more, related, err := s.relatedFor(q, a)
	if err != nil {
		return err
	}
	tf := store.ArticleFilter{Public: true, Now: q.now, TranslationGroup: a.TranslationGroup, ExcludeIDs: []int64{a.ID}, NoTotal: true, NoBody: true,
		Reviewed: !q.settings.PublishMachineTranslations}
	translations, _, err := s.store.FindArticles(q.ctx, tf)
	if err != nil {
		return err
	}
	q.articles(translations...)
	opts := render.ArticleOptions{Unavailable: unavailable, Dossier: dossier, MoreInDossier: more}
	if unavailable && q.settings.TranslateOnDemand && s.ondemand != nil && s.ondemand.Supports(a.Language, q.lang) {
		opts.TranslateURL = "/translate/" + strconv.FormatInt(a.ID, 10) + "/" + q.lang + "/"
	}
	if tr := a.Translation; tr != nil && tr.Machine && !tr.Reviewed && tr.SourceID != 0 {
		if src, err := s.store.FindArticleByID(q.ctx, tr.SourceID); err == nil && src.IsPublic(q.now) {
			opts.Source = src
			q.dep(key.Article(src.ID))
		}
	}
	if !unavailable {
		q.lang = a.Language
	}
	// Related cards carry no comment counts, so a comment drops its own
	// article's page and the listings that count it, not other articles.
	q.shown = nil
	if opts.Comments, err = s.comments(q, a); err != nil {
		return err
	}
	v := render.NewArticleViewWith(q.view(), a, related, translations, opts)
	return s.html(w, r, func(b *bytes.Buffer) error { return s.render.Article(b, v) })
}

func (s *Site) handleAuthor(w http.ResponseWriter, r *http.Request, q *request, slug string, page int, feed string) error {
	au, err := s.store.FindAuthorBySlug(q.ctx, slug)
	if err != nil {
		return err
	}
	q.dep(key.Author(au.ID), key.AuthorList(au.ID))
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
	q.dep(key.Term(t.ID), key.TermList(t.ID))
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

// findOriginal finds the article with slug in the default language, then in
// the site's other languages.
func (s *Site) findOriginal(q *request, slug string) (*content.Article, error) {
	langs := append([]string{q.settings.DefaultLanguage}, q.settings.Languages...)
	for _, l := range langs {
		if l == q.lang {
			continue
		}
		a, err := s.store.FindArticleBySlug(q.ctx, l, slug)
		if err == nil {
			return a, nil
		}
		if !isNotFound(err) {
			return nil, err
		}
	}
	return nil, store.NotFound("article", slug)
}

// listingPage returns page (1-based) of f and the number of pages. Pages past
// the end are not found, except an empty first page.
func (s *Site) listingPage(q *request, f store.ArticleFilter, page int) ([]*content.Article, int, error) {
	per := q.settings.PerPage
	f.Limit, f.Offset, f.NoBody = per, (page-1)*per, true
	arts, total, err := s.store.FindArticles(q.ctx, f)
	if err != nil {
		return nil, 0, err
	}
	if total == 0 && !q.isContentLang(q.lang) {
		// An interface-only language shows the default language's pieces.
		f.Language = q.settings.DefaultLanguage
		if arts, total, err = s.store.FindArticles(q.ctx, f); err != nil {
			return nil, 0, err
		}
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
