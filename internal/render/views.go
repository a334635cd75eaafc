package render

import (
	"html/template"

	"folio/internal/content"
	"folio/internal/i18n"
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
	EmbedLabel  string      // the body has click-to-load embeds: their translated hint; loads embed.js
	// SearchURL is the header search form's target and OpenSearchURL the
	// description document; both empty when the site has no search.
	SearchURL     string
	OpenSearchURL string

	SiteTitle string
	Tagline   string
	// TaglineLang and TaglineDir mark a tagline not translated yet.
	TaglineLang, TaglineDir string
	HomeURL                 string
	LogoURL                 string
	Nav                     []NavLink
	Languages               []NavLink // the site's content languages other than the page's
	LangName                string    // native name of the page language
	LanguageMenu            []NavLink // every interface language, the site's languages first
	SocialLinks             []content.Link
	// SocialLang and SocialDir mark the links' labels, stored in the
	// site's default language only.
	SocialLang, SocialDir string
	ContactEmail          string
	SiteFeeds             []FeedLink
	Copyright             string // footer line: "© 2026 The Meridian Review", the year in the language's digits
	FooterMenu            []NavLink
	Banner                *BannerView // the site-wide announcement, when one is up

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

// BannerView is the site-wide announcement strip.
type BannerView struct {
	Kind  string // breaking, fundraising, notice: the strip's class
	Label string // accessible name of the strip
	Text  string
	// Lang and Dir are set when Text is not in the page language yet.
	Lang, Dir string
	URL       string
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
	// Comments is the article's number of approved comments; CommentsLabel
	// says it ("3 comments").
	Comments      int
	CommentsLabel string
	// Updated is the date of the newest correction or update note, and
	// UpdatedText says it ("Updated November 29, 2026"); empty without one.
	Updated     DateView
	UpdatedText string
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
	// Lang and Dir mark a name not translated into the page language.
	Lang, Dir string
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
	// LabelLang and LabelDir mark the credit's label, in the page
	// language, when the figure belongs to text in another (an original
	// shown in place of a missing translation).
	LabelLang, LabelDir string
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
	Name string
	URL  string
	// NameLang and NameDir mark a name not translated yet.
	NameLang, NameDir string
	Description       string
	// DescLang and DescDir mark a description not translated yet.
	DescLang, DescDir string
	Articles          []Card
}

// HomeView is the home page and its /page/N/ continuations.
type HomeView struct {
	Page
	Featured   []Card
	Latest     []Card
	Dossiers   []DossierView
	Pagination Pagination
	// NotYet says that nothing is published in the page language and the
	// list shows another language's articles.
	NotYet string
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
	// Lang and Dir are set when the text is a fallback in another language
	// than the page (no translation for the page language yet).
	Lang, Dir string
}

// LicenseView is the article's license as shown in the republishing notice.
type LicenseView struct {
	Code    string
	Name    string
	URL     string
	Summary string
	// Lang and Dir mark the summary's language when it is not the page's.
	Lang, Dir string
	// NameLang and NameDir mark the name's (English for the standard
	// licenses) when it is not the page's.
	NameLang, NameDir string
}

// AuthorBox introduces an author under the article.
type AuthorBox struct {
	Name     string
	URL      string
	PhotoURL string
	Bio      []string // paragraphs
	// BioLang and BioDir are set when the bio is in another language than
	// the page (not translated yet).
	BioLang, BioDir string
	Links           []content.Link
	// LinksLang and LinksDir mark the links' labels, which are stored in
	// the site's default language only.
	LinksLang, LinksDir string
	AllLabel            string // "All articles by {name}" in the page language
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
	ArticleLang string
	ArticleDir  string
	Unavailable string         // notice: not available in the page language; showing the original
	Machine     *MachineNotice // set on unreviewed machine translations
	// Outdated says the source changed after this translation was made.
	Outdated string
	// TranslateURL, on a page showing the original in place of a missing
	// translation, is where a reader asks for a machine translation
	// (on-demand translation on, and the provider covers the pair).
	TranslateURL  string
	TranslateText string
	Copyright     template.HTML // the catalog message, names in <bdi>
	CopyrightText string        // the same as plain text, for JSON-LD
	ShareURL      string        // absolute canonical URL, for the copy-link box
	Share         []ShareLink
	ForwardURL    string // mailto: with excerpt and link, for mailing lists
	ForwardPage   string // the copy-ready, attributed version for readers' own lists
	// RepublishPage is the republish tool's page; empty when the license
	// does not let others cross-post the article.
	RepublishPage string
	License       LicenseView
	Notices       []Notice // republishing first, then the site's notices
	Authors       []AuthorBox
	Related       []Card
	// MoreInDossier, when set, lists more pieces of the article's dossier.
	MoreInDossier *DossierMore
	Translations  []Translation
	// Comments is the comment section; nil shows none (previews).
	Comments *CommentsView
	// Gate is the call to join shown after the lede of an article whose
	// full text this page may not carry; nil when Body is the whole text.
	Gate *GateView
	// NotesTop and NotesBottom are the correction and update notes the
	// editor placed above and below the body; Updated says when the newest was made.
	NotesTop    NotesBlock
	NotesBottom NotesBlock
	Updated     DateView
	UpdatedText string
}

// GateView is the call to join in place of a gated article's text. The
// page holds nothing member-specific: gate.js asks FullURL for the text
// and swaps it in when the reader may read it; without JavaScript the
// read link opens that uncached page.
type GateView struct {
	Message     string
	JoinLabel   string
	JoinURL     string
	SigninLabel string
	SigninURL   string
	ReadLabel   string
	FullURL     string // the members' uncached copy of the article
}

// NotesBlock is the correction and update notes at one place of an article.
type NotesBlock struct {
	Notes    []CorrectionEntry
	Position string // "top" or "bottom"
	Heading  string // accessible name of the block
}

// ArchiveView is an author, region, theme, dossier or tag archive.
type ArchiveView struct {
	Page
	Kind      string // "author" or a term kind
	KindLabel string // "Author", "Region", "In-depth report" ...
	Heading   string
	// HeadingLang and HeadingDir mark a term's name not translated yet.
	HeadingLang, HeadingDir string
	Description             []string // paragraphs of the term description or author bio
	// DescLang and DescDir are set when Description is in another language
	// than the page.
	DescLang, DescDir string
	PhotoURL          string // authors only
	Links             []content.Link
	Articles          []Card
	Pagination        Pagination
	ListFeeds         []FeedLink // this archive's feeds
}

// ErrorView is a 404, 410 or 500 page.
type ErrorView struct {
	Page
	Status  int
	Heading string
	Message string
}

// DossierMore is the "more in this dossier" block of an article page.
type DossierMore struct {
	Label   string // "In-depth report"
	Dossier TermLink
	Cards   []Card
}
