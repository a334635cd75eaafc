package importer

import (
	"context"
	"net/url"
	"sort"
	"strings"

	"folio/internal/content"
	"folio/internal/urls"
)

// archives redirects the old addresses that are not posts: category, tag
// and author archives and their feeds, the blog's feeds, and attachment
// pages (to the post they belong to). It runs after every item, when the
// new addresses are known. WordPress's default bases are assumed
// ("category", "tag", "author"): the export does not carry custom ones.
func (w *wpRun) archives(ctx context.Context) error {
	base := w.ix.base
	feed := func(listing string) string { return w.urls.Feed(listing, urls.FeedRSS) }
	home := w.urls.Home(w.lang)
	put := func(from, to string) error {
		return w.putRedirect(ctx, 0, "", urls.OldPath(base+from), to)
	}
	for _, p := range []string{"/feed/", "/feed/rss2/", "/feed/rss/", "/feed/atom/", "/feed/rdf/", "/comments/feed/"} {
		if err := put(p, feed(home)); err != nil {
			return err
		}
	}
	keys := make([]string, 0, len(w.terms))
	for k := range w.terms {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t := w.terms[k]
		taxonomy, slug, _ := strings.Cut(k, ":")
		if t == nil || t.Slug == "" || (taxonomy != "category" && taxonomy != "post_tag") {
			continue
		}
		old := "/tag/" + url.PathEscape(slug) + "/"
		if taxonomy == "category" {
			old = "/category/" + w.categoryPath(slug) + "/"
		}
		to := w.urls.Term(w.lang, t.Kind, t.Slug)
		if err := put(old, to); err != nil {
			return err
		}
		if err := put(old+"feed/", feed(to)); err != nil {
			return err
		}
	}
	logins := make([]string, 0, len(w.authors))
	for l := range w.authors {
		logins = append(logins, l)
	}
	sort.Strings(logins)
	for _, login := range logins {
		au := w.authors[login]
		if au == nil || au.Slug == "" {
			continue
		}
		old := "/author/" + url.PathEscape(content.Slugify(login)) + "/"
		to := w.urls.Author(w.lang, au.Slug)
		if err := put(old, to); err != nil {
			return err
		}
		if err := put(old+"feed/", feed(to)); err != nil {
			return err
		}
	}
	ids := make([]string, 0, len(w.ix.attachments))
	for id := range w.ix.attachments {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		att := w.ix.attachments[id]
		to, ok := w.posted[att.parent]
		if !ok || att.link == "" {
			continue // unattached, or its post is not public
		}
		u, err := url.Parse(att.link)
		if err != nil {
			continue
		}
		if err := w.putRedirect(ctx, 0, "", "/?attachment_id="+id, to); err != nil {
			return err
		}
		if u.Query().Get("attachment_id") == "" && u.EscapedPath() != "/" {
			if err := w.putRedirect(ctx, 0, "", urls.OldPath(u.EscapedPath()), to); err != nil {
				return err
			}
		}
	}
	return nil
}

// categoryPath is a category's archive path below /category/: WordPress
// nests a child under its parents ("europe/france").
func (w *wpRun) categoryPath(slug string) string {
	parts := []string{url.PathEscape(slug)}
	seen := map[string]bool{slug: true}
	for p := w.ix.terms["category:"+slug].parent; p != "" && !seen[p]; p = w.ix.terms["category:"+p].parent {
		seen[p] = true
		parts = append([]string{url.PathEscape(p)}, parts...)
	}
	return strings.Join(parts, "/")
}
