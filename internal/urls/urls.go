// Package urls builds every public path and absolute URL Folio emits, so
// templates, feeds, sitemaps and the API agree on them.
//
// It imports only content.
package urls

import (
	"net/url"
	"strconv"
	"strings"

	"folio/internal/content"
)

// Builder builds paths for one site. The default language lives at the root;
// other languages under /{lang}/.
type Builder struct {
	Base        string // absolute base URL without trailing slash, e.g. https://example.org
	DefaultLang string
}

// New returns a Builder for the settings.
func New(s *content.Settings) Builder {
	return Builder{Base: strings.TrimRight(s.BaseURL, "/"), DefaultLang: s.DefaultLanguage}
}

func (b Builder) prefix(lang string) string {
	if lang == "" || lang == b.DefaultLang {
		return ""
	}
	return "/" + lang
}

// Home is the home page of lang.
func (b Builder) Home(lang string) string { return b.prefix(lang) + "/" }

// Article is the canonical path of an article.
func (b Builder) Article(a *content.Article) string {
	return b.ArticlePath(a.Language, a.Slug)
}

// ArticlePath is the canonical path of the article with slug in lang.
func (b Builder) ArticlePath(lang, slug string) string {
	return b.prefix(lang) + "/" + url.PathEscape(slug) + "/"
}

// Author is the archive of an author.
func (b Builder) Author(lang, slug string) string {
	return b.prefix(lang) + "/author/" + url.PathEscape(slug) + "/"
}

// Term is the archive of a region, theme, dossier or tag.
func (b Builder) Term(lang string, kind content.TermKind, slug string) string {
	return b.prefix(lang) + "/" + string(kind) + "/" + url.PathEscape(slug) + "/"
}

// Page is page n (1-based) of a listing at path; page 1 is the listing itself.
func (b Builder) Page(listing string, n int) string {
	if n <= 1 {
		return listing
	}
	return listing + "page/" + strconv.Itoa(n) + "/"
}

// Feed formats and the file names they are served under, beside each listing.
const (
	FeedRSS  = "feed.xml"
	FeedAtom = "atom.xml"
	FeedJSON = "feed.json"
)

// Feed is the feed of format (FeedRSS, FeedAtom, FeedJSON) for a listing path.
func (b Builder) Feed(listing, format string) string { return listing + format }

// Media is the public path of a media file stored at rel: under /media/ on
// this site, or under the media base URL (a CDN) when one is set.
func (b Builder) Media(rel string) string {
	parts := strings.Split(rel, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return b.MediaURL("/media/" + strings.Join(parts, "/"))
}

// Sitemap index and pages.
func (b Builder) SitemapIndex() string { return "/sitemap.xml" }

// SitemapPage is the n-th (1-based) sitemap of URLs.
func (b Builder) SitemapPage(n int) string { return "/sitemap-" + strconv.Itoa(n) + ".xml" }

// NewsSitemap lists the articles of the last 48 hours for news search engines.
func (b Builder) NewsSitemap() string { return "/sitemap-news.xml" }

// Abs makes path absolute. Values that already carry a scheme are returned as is.
func (b Builder) Abs(path string) string {
	if strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return path
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	if m := b.MediaURL(path); m != path {
		return m
	}
	return b.Base + path
}
