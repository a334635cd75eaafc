package site

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/render"
	"folio/internal/render/sitemap"
	"folio/internal/store"
)

// newsWindow is how far back the news sitemap reaches, per the news sitemap
// protocol.
const newsWindow = 48 * time.Hour

// listingURLs are the non-article URLs: home pages, authors and terms.
func (s *Site) listingURLs(q *request) ([]sitemap.URL, error) {
	q.dep(key.All)
	var out []sitemap.URL
	var homeAlts []sitemap.Alternate
	if len(q.settings.Languages) > 1 {
		for _, l := range q.settings.Languages {
			homeAlts = append(homeAlts, sitemap.Alternate{Lang: l, Href: q.urls.Abs(q.urls.Home(l))})
		}
		homeAlts = append(homeAlts, sitemap.Alternate{Lang: "x-default", Href: q.urls.Abs(q.urls.Home(q.settings.DefaultLanguage))})
	}
	for _, l := range q.settings.Languages {
		out = append(out, sitemap.URL{Loc: q.urls.Abs(q.urls.Home(l)), Alternates: homeAlts})
	}
	if len(q.settings.Languages) == 0 {
		out = append(out, sitemap.URL{Loc: q.urls.Abs("/")})
	}
	authors, _, err := s.store.FindAuthors(q.ctx, store.AuthorFilter{})
	if err != nil {
		return nil, err
	}
	for _, a := range authors {
		q.dep(key.Author(a.ID))
		out = append(out, sitemap.URL{Loc: q.urls.Abs(q.urls.Author(q.settings.DefaultLanguage, a.Slug)), LastMod: a.UpdatedAt})
	}
	terms, _, err := s.store.FindTerms(q.ctx, store.TermFilter{})
	if err != nil {
		return nil, err
	}
	for _, t := range terms {
		q.dep(key.Term(t.ID))
		out = append(out, sitemap.URL{Loc: q.urls.Abs(q.urls.Term(q.settings.DefaultLanguage, t.Kind, t.Slug)), LastMod: t.UpdatedAt})
	}
	return out, nil
}

func (s *Site) sitemapCounts(q *request) (listings []sitemap.URL, articles int, err error) {
	listings, articles, _, err = s.sitemapState(q)
	return listings, articles, err
}

// sitemapState also returns the newest public change, the index's lastmod:
// derived from content rather than the clock, so the same content always
// gives the same bytes.
func (s *Site) sitemapState(q *request) (listings []sitemap.URL, articles int, newest time.Time, err error) {
	listings, err = s.listingURLs(q)
	if err != nil {
		return nil, 0, newest, err
	}
	latest, articles, err := s.store.FindArticles(q.ctx, store.ArticleFilter{Type: store.AnyType, Public: true, Now: q.now, Limit: 1})
	if len(latest) > 0 {
		newest = lastMod(latest[0])
	}
	for _, l := range listings {
		if l.LastMod.After(newest) {
			newest = l.LastMod
		}
	}
	return listings, articles, newest, err
}

func (s *Site) handleSitemapIndex(w http.ResponseWriter, r *http.Request, q *request) error {
	listings, n, newest, err := s.sitemapState(q)
	if err != nil {
		return err
	}
	count := sitemap.Pages(len(listings) + n)
	locs := make([]string, count)
	for i := range locs {
		locs[i] = q.urls.Abs(q.urls.SitemapPage(i + 1))
	}
	locs = append(locs, q.urls.Abs(q.urls.NewsSitemap()))
	return s.send(w, r, sitemap.ContentTypeXML, func(b *bytes.Buffer) error { return sitemap.Index(b, locs, newest) })
}

// handleSitemapPage serves the n-th sitemap: listings first, then public
// articles newest first, 50,000 URLs a file.
func (s *Site) handleSitemapPage(w http.ResponseWriter, r *http.Request, q *request, n int) error {
	listings, total, err := s.sitemapCounts(q)
	if err != nil {
		return err
	}
	if n > sitemap.Pages(len(listings)+total) {
		return store.NotFound("sitemap", n)
	}
	start, end := (n-1)*sitemap.MaxURLs, n*sitemap.MaxURLs
	var out []sitemap.URL
	if start < len(listings) {
		out = append(out, listings[start:min(end, len(listings))]...)
	}
	artStart := max(0, start-len(listings))
	artEnd := end - len(listings)
	if artEnd > artStart {
		arts, _, err := s.store.FindArticles(q.ctx, store.ArticleFilter{Type: store.AnyType, Public: true, Now: q.now, Offset: artStart, Limit: artEnd - artStart, NoTotal: true})
		if err != nil {
			return err
		}
		groups, err := s.translationGroups(q)
		if err != nil {
			return err
		}
		for _, a := range arts {
			// Unreviewed machine translations stay out unless the site
			// lets search engines index them.
			if !render.Indexable(q.settings, a) {
				continue
			}
			u := sitemap.URL{Loc: q.urls.Abs(q.urls.Article(a)), LastMod: lastMod(a)}
			if members := groups[a.TranslationGroup]; len(members) > 1 {
				for _, m := range members {
					u.Alternates = append(u.Alternates, sitemap.Alternate{Lang: m.Language, Href: q.urls.Abs(q.urls.Article(m))})
				}
			}
			out = append(out, u)
		}
	}
	return s.send(w, r, sitemap.ContentTypeXML, func(b *bytes.Buffer) error { return sitemap.URLSet(b, out) })
}

// translationGroups maps each translation group to its indexable public
// members, for the sitemap's xhtml:link alternates.
func (s *Site) translationGroups(q *request) (map[int64][]*content.Article, error) {
	const batch = 1000
	out := map[int64][]*content.Article{}
	for off := 0; ; off += batch {
		arts, _, err := s.store.FindArticles(q.ctx, store.ArticleFilter{Type: store.AnyType, Public: true, Now: q.now, Offset: off, Limit: batch, NoTotal: true})
		if err != nil {
			return nil, fmt.Errorf("site: sitemap translation groups: %w", err)
		}
		for _, a := range arts {
			if render.Indexable(q.settings, a) {
				out[a.TranslationGroup] = append(out[a.TranslationGroup], &content.Article{ID: a.ID, Language: a.Language, Slug: a.Slug})
			}
		}
		if len(arts) < batch {
			return out, nil
		}
	}
}

func lastMod(a *content.Article) time.Time {
	if a.UpdatedAt.After(a.PublishedAt) {
		return a.UpdatedAt
	}
	return a.PublishedAt
}

func (s *Site) handleNewsSitemap(w http.ResponseWriter, r *http.Request, q *request) error {
	q.dep(key.All)
	arts, _, err := s.store.FindArticles(q.ctx, store.ArticleFilter{Public: true, Now: q.now,
		PublishedSince: q.now.Add(-newsWindow), Limit: 1000})
	if err != nil {
		return err
	}
	items := make([]sitemap.NewsItem, 0, len(arts))
	for _, a := range arts {
		if render.Indexable(q.settings, a) {
			items = append(items, sitemap.NewsItem{Loc: q.urls.Abs(q.urls.Article(a)), Title: a.Title, Lang: a.Language, Published: a.PublishedAt})
		}
	}
	return s.send(w, r, sitemap.ContentTypeXML, func(b *bytes.Buffer) error { return sitemap.News(b, q.settings.Title, q.urls.Abs("/"), items) })
}

func (s *Site) handleRobots(w http.ResponseWriter, r *http.Request, q *request) error {
	return s.send(w, r, "text/plain; charset=utf-8", func(b *bytes.Buffer) error {
		return sitemap.Robots(b, q.settings.BaseURL, []string{"/admin/", "/api/"})
	})
}
