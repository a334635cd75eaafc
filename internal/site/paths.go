package site

import (
	"context"
	"fmt"
	"net/http"

	"folio/internal/cache"

	"folio/internal/render/sitemap"
	"folio/internal/store"
	"folio/internal/urls"
)

// Paths lists every public page path the site serves, escaped as in URLs:
// home pages, articles, archives with their pages and feeds, sitemaps and
// robots.txt. A static export writes exactly these.
func (s *Site) Paths(ctx context.Context) ([]string, error) {
	r, _ := http.NewRequestWithContext(ctx, http.MethodGet, "/", nil)
	q, err := s.newRequest(r)
	if err != nil {
		return nil, fmt.Errorf("site: paths: %w", err)
	}
	var out []string
	listing := func(path string, total int, always bool) {
		if total == 0 && !always {
			return
		}
		n := pages(total, q.settings.PerPage)
		for i := 1; i <= n; i++ {
			out = append(out, q.urls.Page(path, i))
		}
		for _, f := range []string{urls.FeedRSS, urls.FeedAtom, urls.FeedJSON} {
			out = append(out, q.urls.Feed(path, f))
		}
	}
	count := func(f store.ArticleFilter) (int, error) {
		f.Limit = 1
		_, n, err := s.store.FindArticles(ctx, f)
		return n, err
	}
	langs := q.settings.Languages
	if len(langs) == 0 {
		langs = []string{q.settings.DefaultLanguage}
	}
	authors, _, err := s.store.FindAuthors(ctx, store.AuthorFilter{})
	if err != nil {
		return nil, err
	}
	terms, _, err := s.store.FindTerms(ctx, store.TermFilter{})
	if err != nil {
		return nil, err
	}
	for _, lang := range langs {
		base := q.public()
		base.Language = lang
		isDefault := lang == q.settings.DefaultLanguage
		n, err := count(base)
		if err != nil {
			return nil, err
		}
		listing(q.urls.Home(lang), n, true)
		for _, a := range authors {
			f := base
			f.AuthorID = a.ID
			if n, err = count(f); err != nil {
				return nil, err
			}
			listing(q.urls.Author(lang, a.Slug), n, isDefault)
		}
		for _, t := range terms {
			f := base
			f.TermID = t.ID
			if n, err = count(f); err != nil {
				return nil, err
			}
			listing(q.urls.Term(lang, t.Kind, t.Slug), n, isDefault)
		}
	}
	const batch = 1000
	for off := 0; ; off += batch {
		af := q.public()
		af.Type, af.Language, af.Limit, af.Offset, af.NoTotal = store.AnyType, "", batch, off, true
		arts, _, err := s.store.FindArticles(ctx, af)
		if err != nil {
			return nil, err
		}
		for _, a := range arts {
			out = append(out, q.urls.Article(a))
		}
		if len(arts) < batch {
			break
		}
	}
	listings, total, err := s.sitemapCounts(q)
	if err != nil {
		return nil, err
	}
	out = append(out, "/robots.txt", q.urls.SitemapIndex(), q.urls.NewsSitemap())
	for i := 1; i <= sitemap.Pages(len(listings)+total); i++ {
		out = append(out, q.urls.SitemapPage(i))
	}
	return out, nil
}

// NotFoundPage renders the 404 page, for static hosts that serve a 404.html.
func (s *Site) NotFoundPage(ctx context.Context) ([]byte, error) {
	r, _ := http.NewRequestWithContext(ctx, http.MethodGet, "/", nil)
	q, err := s.newRequest(r)
	if err != nil {
		return nil, err
	}
	rec := &recorder{header: http.Header{}}
	s.errorPage(rec, r, q, http.StatusNotFound)
	return rec.body.Bytes(), nil
}

// Page renders one public path through the page cache (or directly when
// the site has none) and returns the cached page, compressed variants
// included, exactly as the server would send it.
func (s *Site) Page(ctx context.Context, path string) (*cache.Page, error) {
	p, err := s.page(ctx, path, cache.Brotli)
	if u, ok := err.(*uncached); ok {
		return nil, fmt.Errorf("site: page %s: status %d", path, u.status)
	}
	return p, err
}
