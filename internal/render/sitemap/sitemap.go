package sitemap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// ContentTypeXML is the content type of every sitemap.
const ContentTypeXML = "application/xml; charset=utf-8"

// ContentTypeText is the content type of robots.txt.
const ContentTypeText = "text/plain; charset=utf-8"

// Limits from sitemaps.org and Google News.
const (
	MaxURLs     = 50000    // URLs in one sitemap, sitemaps in one index
	MaxBytes    = 50 << 20 // uncompressed size of one sitemap file
	MaxNewsURLs = 1000     // URLs in one news sitemap
)

// maxBytes is MaxBytes, lowered by tests.
var maxBytes = MaxBytes

// ErrTooLarge is returned (wrapped) when a sitemap would exceed MaxURLs or
// MaxBytes; callers split the URLs over more files (see Pages).
var ErrTooLarge = errors.New("sitemap too large")

const (
	nsSitemap = "http://www.sitemaps.org/schemas/sitemap/0.9"
	nsXHTML   = "http://www.w3.org/1999/xhtml"
	nsNews    = "http://www.google.com/schemas/sitemap-news/0.9"
)

// URL is one page of a sitemap.
type URL struct {
	Loc        string    // absolute
	LastMod    time.Time // zero: omitted
	Alternates []Alternate
}

// Alternate is the same page in another language, written as
// <xhtml:link rel="alternate" hreflang="…" href="…"/>. List the page itself
// too, as Google asks.
type Alternate struct {
	Lang string // BCP 47 tag, or "x-default"
	Href string // absolute
}

// NewsItem is one article of a news sitemap.
type NewsItem struct {
	Loc       string // absolute
	Title     string
	Lang      string // BCP 47 tag; mapped with NewsLanguage
	Published time.Time
}

// Pages is the number of sitemap files needed for n URLs; at least 1, so a
// new site still serves an (empty) sitemap.
func Pages(n int) int {
	if n <= MaxURLs {
		return 1
	}
	return (n + MaxURLs - 1) / MaxURLs
}

// W3C formats t as a W3C Datetime, in UTC.
func W3C(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func w3cOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return W3C(t)
}

type xmlIndex struct {
	XMLName  xml.Name     `xml:"sitemapindex"`
	NS       string       `xml:"xmlns,attr"`
	Sitemaps []xmlSitemap `xml:"sitemap"`
}

type xmlSitemap struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// Index writes a sitemap index listing sitemaps (absolute URLs), each with
// lastmod unless it is zero.
func Index(w io.Writer, sitemaps []string, lastmod time.Time) error {
	if len(sitemaps) > MaxURLs {
		return fmt.Errorf("sitemap: index of %d sitemaps (max %d): %w", len(sitemaps), MaxURLs, ErrTooLarge)
	}
	doc := xmlIndex{NS: nsSitemap, Sitemaps: make([]xmlSitemap, 0, len(sitemaps))}
	for _, s := range sitemaps {
		if err := checkAbs(s); err != nil {
			return fmt.Errorf("sitemap: index: %w", err)
		}
		doc.Sitemaps = append(doc.Sitemaps, xmlSitemap{Loc: s, LastMod: w3cOrEmpty(lastmod)})
	}
	return encode(w, doc, "index")
}

type xmlURLSet struct {
	XMLName xml.Name `xml:"urlset"`
	NS      string   `xml:"xmlns,attr"`
	NSXHTML string   `xml:"xmlns:xhtml,attr,omitempty"`
	NSNews  string   `xml:"xmlns:news,attr,omitempty"`
	URLs    []xmlURL `xml:"url"`
}

type xmlURL struct {
	Loc        string   `xml:"loc"`
	LastMod    string   `xml:"lastmod,omitempty"`
	Alternates []xmlAlt `xml:"xhtml:link"`
	News       *xmlNews `xml:"news:news,omitempty"`
}

type xmlAlt struct {
	Rel      string `xml:"rel,attr"`
	HrefLang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

type xmlNews struct {
	Publication xmlPublication `xml:"news:publication"`
	Date        string         `xml:"news:publication_date"`
	Title       string         `xml:"news:title"`
}

type xmlPublication struct {
	Name     string `xml:"news:name"`
	Language string `xml:"news:language"`
}

// URLSet writes a sitemap of urls. It fails with ErrTooLarge beyond MaxURLs
// URLs or MaxBytes bytes, and on a Loc or Href that is not an absolute
// http(s) URL.
func URLSet(w io.Writer, urls []URL) error {
	if len(urls) > MaxURLs {
		return fmt.Errorf("sitemap: %d URLs (max %d): %w", len(urls), MaxURLs, ErrTooLarge)
	}
	doc := xmlURLSet{NS: nsSitemap, URLs: make([]xmlURL, 0, len(urls))}
	for _, u := range urls {
		if err := checkAbs(u.Loc); err != nil {
			return fmt.Errorf("sitemap: %w", err)
		}
		x := xmlURL{Loc: u.Loc, LastMod: w3cOrEmpty(u.LastMod)}
		for _, a := range u.Alternates {
			if err := checkAbs(a.Href); err != nil {
				return fmt.Errorf("sitemap: alternate of %s: %w", u.Loc, err)
			}
			if a.Lang == "" {
				return fmt.Errorf("sitemap: alternate %s of %s has no language", a.Href, u.Loc)
			}
			x.Alternates = append(x.Alternates, xmlAlt{Rel: "alternate", HrefLang: a.Lang, Href: a.Href})
			doc.NSXHTML = nsXHTML
		}
		doc.URLs = append(doc.URLs, x)
	}
	return encode(w, doc, "urlset")
}

// News writes a Google News sitemap for publication. Only the first
// MaxNewsURLs items are kept (callers pass newest first); Google reads no
// more and wants only the last two days' articles anyway. With no items
// the sitemap lists home alone, without news tags: the sitemap schema
// wants at least one url in a urlset, and robots.txt and the index name
// this file whether or not anything was published in the last two days.
func News(w io.Writer, publication, home string, items []NewsItem) error {
	if publication == "" {
		return errors.New("sitemap: news: publication name is empty")
	}
	if len(items) == 0 {
		if err := checkAbs(home); err != nil {
			return fmt.Errorf("sitemap: news: home: %w", err)
		}
		return encode(w, xmlURLSet{NS: nsSitemap, NSNews: nsNews, URLs: []xmlURL{{Loc: home}}}, "news")
	}
	if len(items) > MaxNewsURLs {
		items = items[:MaxNewsURLs]
	}
	doc := xmlURLSet{NS: nsSitemap, NSNews: nsNews, URLs: make([]xmlURL, 0, len(items))}
	for _, it := range items {
		if err := checkAbs(it.Loc); err != nil {
			return fmt.Errorf("sitemap: news: %w", err)
		}
		if it.Published.IsZero() {
			return fmt.Errorf("sitemap: news: %s has no publication date", it.Loc)
		}
		lang := NewsLanguage(it.Lang)
		if lang == "" {
			return fmt.Errorf("sitemap: news: %s has no language", it.Loc)
		}
		doc.URLs = append(doc.URLs, xmlURL{
			Loc: it.Loc,
			News: &xmlNews{
				Publication: xmlPublication{Name: publication, Language: lang},
				Date:        W3C(it.Published),
				Title:       it.Title,
			},
		})
	}
	return encode(w, doc, "news")
}

// NewsLanguage maps a BCP 47 tag to the code Google News expects: the ISO 639
// primary language, except zh-cn for Simplified and zh-tw for Traditional
// Chinese. "fa-IR" → "fa", "zh-Hant-HK" → "zh-tw", "zh" → "zh-cn".
func NewsLanguage(tag string) string {
	parts := strings.FieldsFunc(strings.ToLower(tag), func(r rune) bool { return r == '-' || r == '_' })
	if len(parts) == 0 {
		return ""
	}
	if parts[0] != "zh" {
		return parts[0]
	}
	for _, p := range parts[1:] {
		switch p {
		case "hant", "tw", "hk", "mo":
			return "zh-tw"
		case "hans", "cn", "sg", "my":
			return "zh-cn"
		}
	}
	return "zh-cn"
}

func checkAbs(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", s)
	}
	return nil
}

// encode writes v as an XML document to w only if it encodes within
// maxBytes, so a handler never sends half a sitemap.
func encode(w io.Writer, v any, what string) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("sitemap: encode %s: %w", what, err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("sitemap: encode %s: %w", what, err)
	}
	buf.WriteByte('\n')
	if buf.Len() > maxBytes {
		return fmt.Errorf("sitemap: %s is %d bytes (max %d): %w", what, buf.Len(), maxBytes, ErrTooLarge)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("sitemap: write %s: %w", what, err)
	}
	return nil
}
