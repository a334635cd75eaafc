package site

import (
	"bytes"
	"net/http"

	"folio/internal/cache/key"
	"folio/internal/render/feed"
	"folio/internal/store"
	"folio/internal/urls"
)

func (s *Site) handleHomeFeed(w http.ResponseWriter, r *http.Request, q *request, format string) error {
	q.dep(key.LangList(q.lang))
	title := q.settings.Title
	return s.listingFeed(w, r, q, q.public(), format, q.urls.Home(q.lang), "", firstNonEmpty(q.settings.Description, q.settings.Tagline, title))
}

// listingFeed writes the feed of one listing. name is the listing's name,
// empty for the whole site.
func (s *Site) listingFeed(w http.ResponseWriter, r *http.Request, q *request, f store.ArticleFilter, format, listing, name, desc string) error {
	f.Limit, f.NoTotal = archiveFeedItems, true
	if name == "" {
		f.Limit = feedItems
	}
	arts, _, err := s.store.FindArticles(q.ctx, f)
	if err != nil {
		return err
	}
	q.articles(arts...)
	title := q.settings.Title
	if name != "" {
		title = name + " — " + q.settings.Title
	}
	fd := &feed.Feed{Settings: q.settings, URLs: q.urls, Lang: q.lang, Title: title,
		Description: firstNonEmpty(desc, q.settings.Tagline, title), Listing: listing, Articles: arts, Now: q.now}
	switch format {
	case urls.FeedRSS:
		return s.send(w, r, feed.ContentTypeRSS, func(b *bytes.Buffer) error { return feed.RSS(b, fd) })
	case urls.FeedAtom:
		return s.send(w, r, feed.ContentTypeAtom, func(b *bytes.Buffer) error { return feed.Atom(b, fd) })
	default:
		return s.send(w, r, feed.ContentTypeJSON, func(b *bytes.Buffer) error { return feed.JSON(b, fd) })
	}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
