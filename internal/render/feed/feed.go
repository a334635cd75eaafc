package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"io"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"folio/internal/content"
	"folio/internal/i18n"
	"folio/internal/render/markdown"
	"folio/internal/urls"
)

// Content types of the three formats.
const (
	ContentTypeRSS  = "application/rss+xml; charset=utf-8"
	ContentTypeAtom = "application/atom+xml; charset=utf-8"
	ContentTypeJSON = "application/feed+json; charset=utf-8"
)

// Generator names the software in feeds that have a place for it.
const Generator = "Folio"

// summaryRunes bounds the summary made from the body when an article has
// neither excerpt nor deck.
const summaryRunes = 300

// Feed is one listing rendered as a feed.
type Feed struct {
	Settings    *content.Settings
	URLs        urls.Builder // zero value: built from Settings
	Lang        string       // empty: Settings.DefaultLanguage
	Title       string       // e.g. "The Meridian Review" or "Water — The Meridian Review"; empty: Settings.Title
	Description string       // empty: Settings.Description, then Settings.Tagline
	Listing     string       // path of the HTML listing the feed mirrors, e.g. "/" or "/region/iran/"
	Articles    []*content.Article
	Now         time.Time // used only when Articles is empty, for the copyright year
}

// channel is a Feed resolved into what every format prints: absolute URLs,
// computed times and one entry per article.
type channel struct {
	Title       string
	Description string
	Lang        string
	HomeURL     string // the listing, absolute
	SelfURL     string // this feed, absolute
	LogoURL     string
	Updated     time.Time
	Copyright   string // site-level
	Publisher   person
	Entries     []entry
}

// entry is one article as feeds show it.
type entry struct {
	URL         string
	Title       string
	Summary     string
	ContentHTML string // figure + body with absolute links + copyright and source lines
	Lang        string
	Published   time.Time
	Updated     time.Time
	Authors     []person
	Terms       []category
	Image       *image
	Copyright   string
	License     *content.License
	SourceURL   string
	SourceName  string
	// Gated is set when the entry carries the lede only: the article's
	// full text is for members (content.Article.PublicFullText).
	Gated  bool
	Access content.Access
}

type person struct{ Name, URL, Avatar string }

type category struct {
	Term   string // slug
	Label  string // name in the article's language
	Scheme string // absolute URL naming the taxonomy, e.g. https://example.org/region/
}

type image struct {
	URL, Type, Alt, Caption, Credit, CreditURL string
	Width, Height                              int
}

// resolve checks f and computes everything the formats share. feedFile is
// one of urls.FeedRSS, urls.FeedAtom, urls.FeedJSON.
func resolve(f *Feed, feedFile string) (*channel, error) {
	if f == nil {
		return nil, errors.New("feed is nil")
	}
	if f.Settings == nil {
		return nil, errors.New("feed has no settings")
	}
	b := f.URLs
	if b.Base == "" {
		b = urls.New(f.Settings)
	}
	lang := f.Lang
	if lang == "" {
		lang = f.Settings.DefaultLanguage
	}
	listing := f.Listing
	if listing == "" {
		listing = b.Home(lang)
	}
	c := &channel{
		Title:       firstNonEmpty(f.Title, f.Settings.Title),
		Description: firstNonEmpty(f.Description, f.Settings.Description, f.Settings.Tagline),
		Lang:        lang,
		HomeURL:     b.Abs(listing),
		SelfURL:     b.Abs(b.Feed(listing, feedFile)),
		Publisher:   person{Name: f.Settings.Title, URL: b.Abs(b.Home(lang))},
	}
	if f.Settings.LogoURL != "" {
		c.LogoURL = b.Abs(f.Settings.LogoURL)
	}
	for i, a := range f.Articles {
		if a == nil {
			return nil, fmt.Errorf("article %d is nil", i)
		}
		if a.PublishedAt.IsZero() {
			// Callers pass public articles only; a zero date means a bug upstream.
			return nil, fmt.Errorf("article %d (%s) has no publication time", a.ID, a.Slug)
		}
		e, err := newEntry(a, f.Settings, b, f.Now)
		if err != nil {
			return nil, fmt.Errorf("article %d (%s): %w", a.ID, a.Slug, err)
		}
		c.Entries = append(c.Entries, e)
		if e.Updated.After(c.Updated) {
			c.Updated = e.Updated
		}
	}
	year := c.Updated
	if len(c.Entries) == 0 {
		// A feed with no entries has never changed: a fixed updated time
		// keeps its bytes, ETag and exported file the same from one render
		// to the next, until its first entry comes.
		c.Updated = time.Unix(0, 0).UTC()
		year = f.Now.UTC()
	}
	c.Copyright = content.CopyrightLine(nil, f.Settings.Title, year)
	return c, nil
}

func newEntry(a *content.Article, s *content.Settings, b urls.Builder, now time.Time) (entry, error) {
	lang := firstNonEmpty(a.Language, s.DefaultLanguage)
	e := entry{
		URL:        b.Abs(b.Article(a)),
		Title:      clean(a.Title),
		Summary:    clean(firstNonEmpty(a.Deck, a.Excerpt)), // the deck is written to sum the piece up
		Lang:       lang,
		Published:  a.PublishedAt.UTC(),
		Updated:    a.UpdatedAt.UTC(),
		SourceURL:  a.SourceURL,
		SourceName: a.SourceName,
		License:    articleLicense(a, s),
	}
	if now.IsZero() {
		now = time.Now()
	}
	body := a.PublicBodyHTML(now)
	e.Gated, e.Access = !a.PublicFullText(now), a.Access.OrPublic()
	if e.Summary == "" {
		e.Summary = clean(markdown.Excerpt(body, summaryRunes))
	}
	// A piece scheduled after its last edit was updated when it went live.
	if e.Updated.Before(e.Published) {
		e.Updated = e.Published
	}
	if t := a.LastNote().UTC(); t.After(e.Updated) {
		e.Updated = t
	}
	names := make([]string, 0, len(a.Authors))
	for _, au := range a.Authors {
		if au == nil {
			continue
		}
		names = append(names, au.Name)
		p := person{Name: au.Name, URL: b.Abs(b.Author(lang, au.Slug))}
		if au.PhotoURL != "" {
			p.Avatar = b.Abs(au.PhotoURL)
		}
		e.Authors = append(e.Authors, p)
	}
	for _, t := range a.Terms {
		if t == nil {
			continue
		}
		e.Terms = append(e.Terms, category{
			Term:   t.Slug,
			Label:  t.NameIn(lang),
			Scheme: b.Abs("/" + string(t.Kind) + "/"),
		})
	}
	if im := a.Image; im != nil && im.URL != "" {
		e.Image = &image{
			URL: b.Abs(im.URL), Type: imageType(im.URL), Alt: im.Alt,
			Caption: im.Caption, Credit: im.Credit, CreditURL: im.CreditURL,
			Width: im.Width, Height: im.Height,
		}
	}
	e.Copyright = content.CopyrightLine(names, s.Title, a.PublishedAt.UTC())

	var buf bytes.Buffer
	err := contentTmpl.Execute(&buf, contentView{
		Image:      e.Image,
		Body:       template.HTML(absolutize(strings.TrimSpace(body), b)), // sanitized by render/markdown when stored
		MoreURL:    moreURL(e),
		MoreLabel:  i18n.For(lang).T("gate.members"),
		Copyright:  e.Copyright,
		SourceURL:  a.SourceURL,
		SourceName: firstNonEmpty(a.SourceName, a.SourceURL),
		Top:        feedNotes(a, content.PositionTop),
		Bottom:     feedNotes(a, content.PositionBottom),
	})
	if err != nil {
		return entry{}, fmt.Errorf("content html: %w", err)
	}
	e.ContentHTML = clean(buf.String())
	return e, nil
}

// articleLicense is the article's license, the site default, or all rights
// reserved when neither names a known license.
func articleLicense(a *content.Article, s *content.Settings) *content.License {
	return content.ResolveLicense(s, a.License)
}

// licenseURL is where the entry's license is stated: the license's own
// page, or, for licenses without one (all rights reserved, custom text),
// the article's republishing notice, as the article's JSON-LD says.
func licenseURL(e entry) string {
	if e.License != nil && e.License.URL != "" {
		return e.License.URL
	}
	return e.URL + "#notice-republishing"
}

// accessElem is the schema.org isAccessibleForFree element of a gated
// RSS item or Atom entry, in its own namespace so feed readers that do
// not know it skip it.
type accessElem struct {
	XMLName xml.Name `xml:"https://schema.org/ isAccessibleForFree"`
	Value   string   `xml:",chardata"`
}

func newAccessElem(e entry) *accessElem {
	if !e.Gated {
		return nil
	}
	return &accessElem{Value: "false"}
}

// moreURL is the article link that follows a gated entry's lede.
func moreURL(e entry) string {
	if !e.Gated {
		return ""
	}
	return e.URL
}

// feedNote is a correction or update note in the feed's content.
type feedNote struct {
	Label, Date, Text string
}

func feedNotes(a *content.Article, position string) []feedNote {
	var out []feedNote
	for _, c := range a.Corrections {
		if c.Position != position {
			continue
		}
		label := "Correction"
		if c.Kind == content.UpdateKind {
			label = "Update"
		}
		out = append(out, feedNote{Label: label, Date: c.At.UTC().Format("2006-01-02"), Text: c.Text})
	}
	return out
}

type contentView struct {
	Image       *image
	Body        template.HTML
	MoreURL     string // gated entries: the article page, after the lede
	MoreLabel   string
	Copyright   string
	SourceURL   string
	SourceName  string
	Top, Bottom []feedNote
}

// contentTmpl is the full article as feed readers show it: the credit travels
// with the image, and the copyright and source close the piece as they do on
// the article page.
var contentTmpl = template.Must(template.New("content").Parse(
	`{{with .Image}}<figure><img src="{{.URL}}" alt="{{.Alt}}"{{if .Width}} width="{{.Width}}"{{end}}{{if .Height}} height="{{.Height}}"{{end}}>` +
		`{{if or .Caption .Credit}}<figcaption>{{.Caption}}{{if and .Caption .Credit}} {{end}}` +
		`{{if .Credit}}<small>Image: {{if .CreditURL}}<a href="{{.CreditURL}}">{{.Credit}}</a>{{else}}{{.Credit}}{{end}}</small>{{end}}</figcaption>{{end}}</figure>
{{end}}{{range .Top}}<p><strong>{{.Label}} ({{.Date}}):</strong> {{.Text}}</p>
{{end}}{{.Body}}
{{- if .MoreURL}}
<p><a href="{{.MoreURL}}">{{.MoreLabel}}</a></p>
{{- end}}
{{range .Bottom}}<p><strong>{{.Label}} ({{.Date}}):</strong> {{.Text}}</p>
{{end}}<p><small>{{.Copyright}}</small></p>
{{- if .SourceURL}}
<p><small>Source: <a href="{{.SourceURL}}">{{.SourceName}}</a></small></p>
{{- end}}`))

// rootRelative matches href and src attributes holding a root-relative path
// ("/x", not the protocol-relative "//host/x"). The sanitizer always writes
// attributes in double quotes.
var rootRelative = regexp.MustCompile(`(\s(?:href|src)=")(/(?:[^/"][^"]*)?)"`)

// absolutize makes root-relative links in h absolute: feed readers show the
// body away from our site, where "/x" would resolve against the reader.
func absolutize(h string, b urls.Builder) string {
	return rootRelative.ReplaceAllStringFunc(h, func(m string) string {
		sub := rootRelative.FindStringSubmatch(m)
		return sub[1] + b.Abs(sub[2]) + `"`
	})
}

// imageType guesses the media type from the file name. A fixed table keeps
// output independent of the machine's MIME database.
func imageType(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	switch strings.ToLower(path.Ext(u)) {
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".png":
		return "image/png"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".avif":
		return "image/avif"
	case ".svg":
		return "image/svg+xml"
	}
	return ""
}

// clean drops what XML 1.0 cannot carry, invalid UTF-8 and control
// characters, so all three formats show the same text. encoding/xml would
// replace them in text but writes CDATA as is.
func clean(s string) string {
	ok := true
	for _, r := range s {
		if !xmlChar(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		if !xmlChar(r) {
			return -1
		}
		return r
	}, s)
}

func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		(r >= 0x20 && r <= 0xD7FF && r != utf8.RuneError) ||
		(r >= 0xE000 && r <= 0xFFFD && r != utf8.RuneError) ||
		(r >= 0x10000 && r <= 0x10FFFF)
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// write copies buf to w; encoders call it only after encoding succeeded, so
// a failed feed never reaches the client half-written.
func write(w io.Writer, buf *bytes.Buffer, format string) error {
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("feed: write %s: %w", format, err)
	}
	return nil
}
