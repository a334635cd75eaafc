package render

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/i18n"
	"folio/internal/render/markdown"
	"folio/internal/urls"
)

// Page is what the layout shows around every view: the head, header and
// footer. Every view embeds one.
type Page struct {
	Lang        string
	Dir         string // "ltr" or "rtl"
	Title       string // the document <title>
	Description string // meta description, plain text
	Canonical   string // absolute; empty on error pages, which are noindex
	NoIndex     bool
	OG          OpenGraph
	Feeds       []FeedLink  // autodiscovery: the site's feeds, then the listing's
	Alternates  []Alternate // rel=alternate hreflang, the page itself included
	XDefault    string      // absolute hreflang="x-default" target; empty without alternates
	PrevURL     string      // absolute rel=prev, paginated listings only
	NextURL     string      // absolute rel=next
	JSONLD      template.JS // article pages; see articleJSONLD for escaping
	CopyScript  bool        // load the copy-link enhancement

	SiteTitle    string
	Tagline      string
	HomeURL      string
	LogoURL      string
	Nav          []NavLink
	Languages    []NavLink // the site's content languages other than the page's
	LangName     string    // native name of the page language
	LanguageMenu []NavLink // every interface language, the site's languages first
	SocialLinks  []content.Link
	ContactEmail string
	SiteFeeds    []FeedLink
	Copyright    string // footer line: "© 2026 The Meridian Review"

	locale *i18n.Locale
}

// T returns the interface message key in the page language; args are
// name/value pairs for its {placeholders}. Templates call {{.Page.T "key"}}.
func (p Page) T(key string, args ...any) string { return p.loc().T(key, args...) }

// N returns the plural form of key for n in the page language.
func (p Page) N(key string, n int, args ...any) string { return p.loc().N(key, n, args...) }

func (p Page) loc() *i18n.Locale {
	if p.locale != nil {
		return p.locale
	}
	return i18n.For(p.Lang)
}

// OpenGraph holds the Open Graph and Twitter card tags. URLs are absolute.
type OpenGraph struct {
	Type          string // "website" or "article"
	Locale        string // BCP 47 tag of the content, e.g. "es-x-mtfrom-en"
	Title         string
	Description   string
	URL           string
	SiteName      string
	Image         string
	ImageAlt      string
	TwitterCard   string // "summary" or "summary_large_image"
	PublishedTime string // RFC 3339, articles only
	ModifiedTime  string
}

// FeedLink is a feed of the site or of a listing.
type FeedLink struct {
	Label string // "RSS", "Atom", "JSON Feed"
	Title string // for the head link: "The Meridian Review (RSS)"
	Type  string // MIME type
	URL   string // absolute
	// TypeAttr is type="{Type}" for templates: as a plain string the "+" in
	// the MIME type would come out as &#43;, which naive feed finders miss.
	TypeAttr template.HTMLAttr
}

// Alternate is one language version of the page.
type Alternate struct {
	Lang string
	URL  string // absolute
}

// Card is an article in a list.
type Card struct {
	Title  string
	URL    string
	Deck   string
	Lang   string // set only when it differs from the page's
	Dir    string // set with Lang
	Kicker *TermLink
	Image  *ImageView
	Byline *Byline
	Date   DateView
	// LangNote says the card is in another language than the page ("In
	// English"), in the page language UILang written UIDir.
	LangNote string
	UILang   string
	UIDir    string
}

// Byline is "By A, B and C" with linked names: Before and After surround the
// names as the page language places them.
type Byline struct {
	Before  string
	Authors []AuthorLink
	After   string
}

// TermLink links a region, theme, dossier or tag archive.
type TermLink struct {
	Kind content.TermKind
	Name string
	URL  string
}

// TermGroup is the terms of one kind on an article page.
type TermGroup struct {
	Kind  content.TermKind
	Label string // "Regions", "In-depth reports" ...
	Terms []TermLink
}

// AuthorLink is a name in a byline. Sep is the text before it in the page
// language's list pattern: "", ", " or " and ".
type AuthorLink struct {
	Sep  string
	Name string
	URL  string
}

// ImageView is a featured image with its credit.
type ImageView struct {
	URL       string
	Alt       string
	Caption   string
	Credit    string
	CreditURL string
	Width     int
	Height    int
	// CreditBefore and CreditAfter surround the credit: "Photo: " and "".
	CreditBefore string
	CreditAfter  string
	// Sources (WebP first) and Srcset, the fallback format's widths, are set
	// when the image has responsive variants; URL is then a mid-size
	// fallback for browsers without srcset (see variants.go).
	Sources []ImageSource
	Srcset  string
}

// Pagination links the pages of a listing.
type Pagination struct {
	Page    int
	Total   int
	PrevURL string // site path, empty on the first page
	NextURL string // empty on the last page
	// Labels in the page language.
	Label  string // the nav's aria-label
	Status string // "Page 2 of 5"
	Newer  string
	Older  string
}

// DossierView is one in-depth report block on the home page.
type DossierView struct {
	Name        string
	URL         string
	Description string
	Articles    []Card
}

// HomeView is the home page and its /page/N/ continuations.
type HomeView struct {
	Page
	Featured   []Card
	Latest     []Card
	Dossiers   []DossierView
	Pagination Pagination
}

// ShareLink is a plain link that shares the article on one service.
type ShareLink struct {
	Service string // "email", "x", "facebook" ...
	Label   string
	URL     string
}

// Notice is one of the texts that close an article.
type Notice struct {
	ID      string // fragment id, e.g. "notice-republishing"
	Heading string
	HTML    template.HTML // sanitized by markdown.ToHTML
}

// LicenseView is the article's license as shown in the republishing notice.
type LicenseView struct {
	Code    string
	Name    string
	URL     string
	Summary string
}

// AuthorBox introduces an author under the article.
type AuthorBox struct {
	Name     string
	URL      string
	PhotoURL string
	Bio      []string // paragraphs
	Links    []content.Link
	AllLabel string // "All articles by {name}" in the page language
}

// Translation links the article in another language.
type Translation struct {
	Lang     string
	Dir      string
	LangName string
	Title    string
	URL      string
}

// ArticleView is an article page.
type ArticleView struct {
	Page
	Headline       string
	Deck           string
	Kicker         []TermLink // regions, then themes
	Byline         *Byline
	Published      DateView
	ReadingMinutes int
	ReadingTime    string // "5 min read" in the page language
	Image          *ImageView
	Body           template.HTML // a.BodyHTML, sanitized by the service
	TermGroups     []TermGroup
	SourceName     string
	SourceURL      string
	SourceParts    [3]string // the "Originally published by {source} at {url}" text around both
	AuthorsHeading string    // "About the author(s)"
	// ArticleLang and ArticleDir are set on the article element when its text
	// is in another language than the page (or is machine-translated).
	ArticleLang  string
	ArticleDir   string
	Unavailable  string         // notice: not available in the page language; showing the original
	Machine      *MachineNotice // set on unreviewed machine translations
	Copyright    string
	ShareURL     string // absolute canonical URL, for the copy-link box
	Share        []ShareLink
	ForwardURL   string // mailto: with excerpt and link, for mailing lists
	ForwardPage  string // the copy-ready, attributed version for readers' own lists
	License      LicenseView
	Notices      []Notice // republishing first, then the site's notices
	Authors      []AuthorBox
	Related      []Card
	Translations []Translation
	// Comments is the comment section; nil shows none (previews).
	Comments *CommentsView
}

// ArchiveView is an author, region, theme, dossier or tag archive.
type ArchiveView struct {
	Page
	Kind        string // "author" or a term kind
	KindLabel   string // "Author", "Region", "In-depth report" ...
	Heading     string
	Description []string // paragraphs of the term description or author bio
	PhotoURL    string   // authors only
	Links       []content.Link
	Articles    []Card
	Pagination  Pagination
	ListFeeds   []FeedLink // this archive's feeds
}

// ErrorView is a 404, 410 or 500 page.
type ErrorView struct {
	Page
	Status  int
	Heading string
	Message string
}

var feedFormats = []struct{ file, label, typ string }{
	{urls.FeedRSS, "RSS", "application/rss+xml"},
	{urls.FeedAtom, "Atom", "application/atom+xml"},
	{urls.FeedJSON, "JSON Feed", "application/feed+json"},
}

func feedLinks(s Site, listing, title string) []FeedLink {
	out := make([]FeedLink, len(feedFormats))
	for i, f := range feedFormats {
		label := f.label
		if f.file == urls.FeedJSON {
			label = s.Locale().T("feeds.json")
		}
		out[i] = FeedLink{Label: label, Title: title + " (" + label + ")", Type: f.typ,
			TypeAttr: template.HTMLAttr(`type="` + f.typ + `"`), // constant MIME types only
			URL:      s.URLs.Abs(s.URLs.Feed(listing, f.file))}
	}
	return out
}

// basePage fills the chrome for a page at path (a site path).
func basePage(s Site, title, description, path string) Page {
	st := s.settings()
	lang := s.lang()
	home := s.URLs.Home(lang)
	siteTitle := s.Title()
	if description == "" {
		description = s.Description()
	}
	if description == "" {
		description = s.Tagline()
	}
	p := Page{
		Lang: lang, Dir: Dir(lang), Title: title, Description: description,
		SiteTitle: siteTitle, Tagline: s.Tagline(), HomeURL: home, LogoURL: st.LogoURL,
		SocialLinks: st.SocialLinks, ContactEmail: st.ContactEmail,
		SiteFeeds: feedLinks(s, home, siteTitle), locale: s.Locale(), LangName: i18n.NativeName(lang),
	}
	p.Feeds = p.SiteFeeds
	if path != "" {
		p.Canonical = s.URLs.Abs(path)
	}
	now := s.Now
	if now.IsZero() {
		now = time.Now()
	}
	p.Copyright = "© " + strconv.Itoa(now.In(s.Location()).Year()) + " " + siteTitle
	p.OG = OpenGraph{Type: "website", Title: title, Description: description, URL: p.Canonical,
		SiteName: siteTitle, TwitterCard: "summary"}
	if st.LogoURL != "" {
		p.OG.Image = s.URLs.Abs(st.LogoURL)
		p.OG.ImageAlt = siteTitle
	}
	p.Nav = append(p.Nav, NavLink{Name: p.T("nav.home"), URL: home, Current: path == home})
	for _, n := range s.Nav {
		n.Current = n.URL == path
		p.Nav = append(p.Nav, n)
	}
	for _, l := range st.Languages {
		if l == lang {
			continue
		}
		p.Languages = append(p.Languages, NavLink{Name: LanguageName(l), URL: s.URLs.Home(l), Lang: l})
	}
	for _, l := range menuLanguages(st) {
		p.LanguageMenu = append(p.LanguageMenu, NavLink{Name: LanguageName(l), URL: s.URLs.Home(l), Lang: l, Current: l == lang})
	}
	return p
}

// menuLanguages lists the site's languages (default first), then the other
// interface languages in i18n order.
func menuLanguages(st *content.Settings) []string {
	out := []string{st.DefaultLanguage}
	seen := map[string]bool{st.DefaultLanguage: true}
	for _, l := range append(append([]string(nil), st.Languages...), i18n.Tags()...) {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// contentLanguages are the languages the site publishes in, default first.
func contentLanguages(st *content.Settings) []string {
	out := []string{st.DefaultLanguage}
	for _, l := range st.Languages {
		if l != st.DefaultLanguage {
			out = append(out, l)
		}
	}
	return out
}

func withSite(title string, s Site) string {
	if title == "" {
		return s.Title()
	}
	return title + " — " + s.Title()
}

func (s Site) termLink(t *content.Term) TermLink {
	return TermLink{Kind: t.Kind, Name: t.NameIn(s.lang()), URL: s.URLs.Term(s.linkLang(), t.Kind, t.Slug)}
}

// byline joins the article's authors with the page language's list
// pattern; nil when there are none.
func (s Site) byline(a *content.Article) *Byline {
	var authors []*content.Author
	for _, au := range a.Authors {
		if au != nil {
			authors = append(authors, au)
		}
	}
	if len(authors) == 0 {
		return nil
	}
	l := s.Locale()
	b := &Byline{}
	b.Before, b.After = l.Around("byline", "names")
	seps := l.Separators(len(authors))
	for i, au := range authors {
		b.Authors = append(b.Authors, AuthorLink{Sep: seps[i], Name: au.Name, URL: s.URLs.Author(s.linkLang(), au.Slug)})
	}
	return b
}

func (s Site) imageView(im *content.Image) *ImageView {
	if im == nil || im.URL == "" {
		return nil
	}
	v := &ImageView{URL: im.URL, Alt: im.Alt, Caption: im.Caption, Credit: im.Credit,
		CreditURL: im.CreditURL, Width: im.Width, Height: im.Height}
	v.CreditBefore, v.CreditAfter = s.Locale().Around("image.credit", "credit")
	s.addVariants(v, im)
	return v
}

// summary is the plain-text description of an article: deck, excerpt or the
// start of the body.
func summary(a *content.Article) string {
	switch {
	case a.Deck != "":
		return a.Deck
	case a.Excerpt != "":
		return a.Excerpt
	}
	return markdown.Excerpt(a.BodyHTML, 200)
}

func (s Site) card(a *content.Article) Card {
	c := Card{Title: a.Title, URL: s.URLs.Article(a), Deck: a.Deck, Image: s.imageView(a.Image),
		Byline: s.byline(a), Date: s.date(a.PublishedAt)}
	if c.Deck == "" {
		c.Deck = a.Excerpt
	}
	if a.Language != "" && a.Language != s.lang() {
		c.Lang, c.Dir = a.Language, Dir(a.Language)
		c.LangNote = s.Locale().T("card.in_language", "language", s.Locale().LanguageName(a.Language))
		c.UILang, c.UIDir = s.lang(), Dir(s.lang())
	}
	if r := a.TermsOf(content.KindRegion); len(r) > 0 {
		tl := s.termLink(r[0])
		c.Kicker = &tl
	}
	return c
}

func (s Site) cards(arts []*content.Article) []Card {
	out := make([]Card, 0, len(arts))
	for _, a := range arts {
		if a != nil {
			out = append(out, s.card(a))
		}
	}
	return out
}

// paginate fills the pagination of listing (a site path) and the page's
// rel=prev/next and canonical URLs.
func paginate(s Site, p *Page, listing string, page, total int) Pagination {
	if total < 1 {
		total = 1
	}
	if page < 1 {
		page = 1
	}
	l := s.Locale()
	pg := Pagination{Page: page, Total: total, Label: l.T("pagination.label"),
		Status: l.T("pagination.status", "n", page, "total", total),
		Newer:  l.T("pagination.newer"), Older: l.T("pagination.older")}
	if page > 1 {
		pg.PrevURL = s.URLs.Page(listing, page-1)
		p.PrevURL = s.URLs.Abs(pg.PrevURL)
	}
	if page < total {
		pg.NextURL = s.URLs.Page(listing, page+1)
		p.NextURL = s.URLs.Abs(pg.NextURL)
	}
	return pg
}

func (s Site) pageSuffix(page, total int) string {
	if page <= 1 {
		return ""
	}
	return " — " + s.Locale().T("pagination.status", "n", strconv.Itoa(page), "total", strconv.Itoa(max(total, page)))
}

// NewHomeView builds the home page of s.Lang. latest is one page of the
// newest articles; dossiers are the active in-depth reports with their latest
// pieces (inactive or empty ones are left out).
func NewHomeView(s Site, latest, featured []*content.Article, dossiers []DossierBlock, page, totalPages int) *HomeView {
	home := s.URLs.Home(s.lang())
	path := s.URLs.Page(home, page)
	title := s.Title()
	if t := s.Tagline(); t != "" {
		title += " — " + t
	}
	title += s.pageSuffix(page, totalPages)
	v := &HomeView{Page: basePage(s, title, "", path)}
	v.Pagination = paginate(s, &v.Page, home, page, totalPages)
	if page == 1 {
		// Every interface language has a home page, so each lists all.
		for _, l := range menuLanguages(s.settings()) {
			v.Alternates = append(v.Alternates, Alternate{Lang: l, URL: s.URLs.Abs(s.URLs.Home(l))})
		}
		v.XDefault = s.URLs.Abs(s.URLs.Home(s.settings().DefaultLanguage))
	}
	v.Featured = s.cards(featured)
	v.Latest = s.cards(latest)
	for _, d := range dossiers {
		if d.Term == nil || !d.Term.Active || len(d.Articles) == 0 {
			continue
		}
		tl := s.termLink(d.Term)
		v.Dossiers = append(v.Dossiers, DossierView{Name: tl.Name, URL: tl.URL,
			Description: d.Term.Description, Articles: s.cards(d.Articles)})
	}
	return v
}

// DossierBlock is an in-depth report and its latest articles, for the home page.
type DossierBlock struct {
	Term     *content.Term
	Articles []*content.Article
}

// kindLabels are the catalog keys naming a term kind, singular and plural.
var kindLabels = map[content.TermKind][2]string{
	content.KindRegion:  {"kind.region", "kind.regions"},
	content.KindTheme:   {"kind.theme", "kind.themes"},
	content.KindDossier: {"kind.dossier", "kind.dossiers"},
	content.KindTag:     {"kind.tag", "kind.tags"},
}

// paragraphs splits plain text at blank lines.
func paragraphs(text string) []string {
	text = strings.ReplaceAll(strings.TrimSpace(text), "\r\n", "\n")
	if text == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func firstParagraph(text string) string {
	if ps := paragraphs(text); len(ps) > 0 {
		return strings.Join(strings.Fields(ps[0]), " ")
	}
	return ""
}

// NewAuthorArchiveView builds page `page` of an author's archive.
func NewAuthorArchiveView(s Site, au *content.Author, arts []*content.Article, page, totalPages int) *ArchiveView {
	listing := s.URLs.Author(s.lang(), au.Slug)
	desc := firstParagraph(au.Bio)
	if desc == "" {
		desc = s.Locale().T("archive.author_description", "name", au.Name, "site", s.Title())
	}
	v := &ArchiveView{
		Page: basePage(s, withSite(au.Name+s.pageSuffix(page, totalPages), s), desc, s.URLs.Page(listing, page)),
		Kind: "author", KindLabel: s.Locale().T("kind.author"), Heading: au.Name,
		Description: paragraphs(au.Bio), PhotoURL: au.PhotoURL, Links: au.Links,
		Articles: s.cards(arts),
	}
	v.OG.Type = "profile"
	if au.PhotoURL != "" {
		v.OG.Image, v.OG.ImageAlt = s.URLs.Abs(au.PhotoURL), au.Name
	}
	v.finish(s, listing, au.Name, page, totalPages)
	return v
}

// NewTermArchiveView builds page `page` of a region, theme, dossier or tag archive.
func NewTermArchiveView(s Site, t *content.Term, arts []*content.Article, page, totalPages int) *ArchiveView {
	tl := s.termLink(t)
	desc := firstParagraph(t.Description)
	label := string(t.Kind)
	if k := kindLabels[t.Kind][0]; k != "" {
		label = s.Locale().T(k)
	}
	if desc == "" {
		desc = s.Locale().T("archive.term_description", "kind", label, "name", tl.Name, "site", s.Title())
	}
	v := &ArchiveView{
		Page: basePage(s, withSite(tl.Name+s.pageSuffix(page, totalPages), s), desc, s.URLs.Page(tl.URL, page)),
		Kind: string(t.Kind), KindLabel: label, Heading: tl.Name,
		Description: paragraphs(t.Description), Articles: s.cards(arts),
	}
	v.finish(s, tl.URL, tl.Name, page, totalPages)
	return v
}

func (v *ArchiveView) finish(s Site, listing, name string, page, totalPages int) {
	v.Pagination = paginate(s, &v.Page, listing, page, totalPages)
	v.ListFeeds = feedLinks(s, listing, name+" — "+s.Title())
	v.Feeds = append(append([]FeedLink(nil), v.SiteFeeds...), v.ListFeeds...)
	// The same archive exists in every language the site publishes in.
	if langs := contentLanguages(s.settings()); page == 1 && len(langs) > 1 {
		for _, l := range langs {
			v.Alternates = append(v.Alternates, Alternate{Lang: l, URL: s.URLs.Abs(relang(s.URLs, listing, s.lang(), l))})
		}
		v.XDefault = s.URLs.Abs(relang(s.URLs, listing, s.lang(), s.settings().DefaultLanguage))
	}
}

// relang moves a site path from language from to language to.
func relang(b urls.Builder, path, from, to string) string {
	rest := strings.TrimPrefix(path, strings.TrimSuffix(b.Home(from), "/"))
	return strings.TrimSuffix(b.Home(to), "/") + rest
}

// NewErrorView builds the page for an HTTP error status: 404, 410 or 500
// (any other status gets the 500 wording).
func NewErrorView(s Site, status int) *ErrorView {
	v := &ErrorView{Status: status}
	key := "error.500"
	switch status {
	case 404:
		key = "error.404"
	case 410:
		key = "error.410"
	}
	l := s.Locale()
	v.Heading, v.Message = l.T(key+".heading"), l.T(key+".message")
	v.Page = basePage(s, withSite(v.Heading, s), v.Message, "")
	v.NoIndex = true
	return v
}
