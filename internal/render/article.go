package render

import (
	"encoding/json"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/i18n"
	"folio/internal/render/markdown"
)

// wordsPerMinute is a typical silent reading speed for analytical prose.
const wordsPerMinute = 220

// ArticleOptions are the less common inputs of an article page.
type ArticleOptions struct {
	// Unavailable renders the article inside the interface of Site.Lang,
	// which it has no translation in: the page says so, and its canonical
	// URL is the article's own.
	Unavailable bool
	// Source is the article a translation was made from, for the machine
	// translation notice's link; when nil it is looked up in translations.
	Source *content.Article
	// Comments, when set, is the article's comment section (NewCommentsView).
	Comments *CommentsView
	// FullText shows the whole body whatever the article's access level:
	// staff previews and the members' uncached copy. Pages for the shared
	// cache never set it.
	FullText bool
	// TranslateURL, with Unavailable, is where the "translate this for me"
	// form posts; empty when no provider covers the pair.
	TranslateURL string
	// Dossier and MoreInDossier are the "more in this dossier" block: the
	// article's dossier and its other pieces, best first.
	Dossier       *content.Term
	MoreInDossier []*content.Article
}

// MemberArticlePath is the uncached members' copy of a gated article;
// with ?fragment=1 it answers the body alone (gate.js).
func MemberArticlePath(articleID int64) string {
	return "/members/article/" + strconv.FormatInt(articleID, 10)
}

// gateView is the call to join of a gated article; nil when the page may
// carry the whole text.
func gateView(s Site, a *content.Article, now time.Time, full bool) *GateView {
	if full || a.PublicFullText(now) {
		return nil
	}
	l := s.Locale()
	g := &GateView{JoinLabel: l.T("gate.join"), SigninLabel: l.T("gate.signin"), ReadLabel: l.T("gate.read")}
	switch a.Access {
	case content.AccessPaid:
		g.Message = l.T("gate.paid")
	case content.AccessMembersFirst:
		if f := a.FreeFrom(); !f.IsZero() {
			g.Message = l.T("gate.members_first", "date", s.date(f).Text)
		} else {
			g.Message = l.T("gate.members")
		}
	default:
		g.Message = l.T("gate.members")
	}
	if a.ID != 0 {
		g.FullURL = s.readerPath(MemberArticlePath(a.ID))
		next := url.QueryEscape(g.FullURL)
		g.SigninURL = s.readerPath("/members/signin?next=" + next)
		g.JoinURL = g.SigninURL
		if a.Access == content.AccessPaid {
			g.JoinURL = s.readerPath("/members/join?next=" + next)
		}
	}
	return g
}

// MachineNotice labels an unreviewed machine translation.
type MachineNotice struct {
	Text     string // "Machine translation from English"
	LinkText string // "read the original"
	URL      string // the source article's path
	Lang     string
	Dir      string
}

// NewArticleView builds an article page. related are other articles to
// suggest; translations are the article's other language versions (the
// article itself, if included, is skipped).
func NewArticleView(s Site, a *content.Article, related, translations []*content.Article) *ArticleView {
	return NewArticleViewWith(s, a, related, translations, ArticleOptions{})
}

// machineUnreviewed reports whether a is a machine translation no person
// has reviewed yet.
func machineUnreviewed(a *content.Article) bool {
	return a.Translation != nil && a.Translation.Machine && !a.Translation.Reviewed
}

// ContentLang is the language tag of an article's text: its language, with
// the BCP 47 private-use marker search engines ask for on unreviewed machine
// translations ("es-x-mtfrom-en").
func ContentLang(a *content.Article) string {
	if machineUnreviewed(a) && a.Translation.SourceLang != "" {
		return a.Language + "-x-mtfrom-" + a.Translation.SourceLang
	}
	return a.Language
}

// Indexable reports whether search engines may index the article's page.
func Indexable(st *content.Settings, a *content.Article) bool {
	return !machineUnreviewed(a) || (st != nil && st.IndexMachineTranslations)
}

// NewArticleViewWith builds an article page with options.
func NewArticleViewWith(s Site, a *content.Article, related, translations []*content.Article, opts ArticleOptions) *ArticleView {
	if a.Language != "" && !opts.Unavailable {
		s.Lang = a.Language
	}
	st := s.settings()
	l := s.Locale()
	path := s.URLs.Article(a)
	abs := s.URLs.Abs(path)
	desc := summary(a)
	v := &ArticleView{
		Page:     basePage(s, withSite(a.Title, s), desc, path),
		Headline: a.Title, Deck: a.Deck, Byline: s.byline(a), Published: s.date(a.PublishedAt),
		Image:      s.imageView(a.Image), // Body below
		SourceName: a.SourceName, SourceURL: a.SourceURL, ShareURL: abs,
		Related: s.cards(related), Comments: opts.Comments,
	}
	if opts.Dossier != nil && len(opts.MoreInDossier) > 0 {
		v.MoreInDossier = &DossierMore{Label: l.T(kindLabels[content.KindDossier][0]), Dossier: s.termLink(opts.Dossier),
			Cards: s.cards(opts.MoreInDossier)}
	}
	now := s.Now
	if now.IsZero() {
		now = time.Now()
	}
	v.Gate = gateView(s, a, now, opts.FullText)
	v.Body = s.bodyHTML(scrollable(a.BodyHTML, l)) // sanitized by the editorial service
	if v.Gate != nil {
		v.Body = s.bodyHTML(scrollable(content.Lede(a.BodyHTML), l))
	}
	v.CopyScript = true
	heading := l.T("corrections.heading")
	v.NotesTop = NotesBlock{Notes: s.notesAt(a, content.PositionTop), Position: content.PositionTop, Heading: heading}
	v.NotesBottom = NotesBlock{Notes: s.notesAt(a, content.PositionBottom), Position: content.PositionBottom, Heading: heading}
	v.Updated, v.UpdatedText = s.updated(a)
	if strings.Contains(a.BodyHTML, `class="embed-load"`) {
		v.EmbedLabel = l.T("embed.load")
	}
	v.ReadingMinutes = max(1, (wordCount(a.BodyHTML)+wordsPerMinute/2)/wordsPerMinute)
	v.ReadingTime = l.N("reading_time", v.ReadingMinutes)
	v.AuthorsHeading = l.N("authors.heading", max(1, len(a.Authors)))
	if a.SourceURL != "" {
		name := a.SourceName
		if name == "" {
			name = l.T("source.unknown")
		}
		v.SourceName = name
		before, rest := l.Around("source.line", "source")
		mid, after, _ := strings.Cut(rest, "{url}")
		v.SourceParts = [3]string{before, mid, after}
	}
	contentLang := ContentLang(a)
	v.OG.Locale = contentLang
	if contentLang != s.lang() {
		v.ArticleLang, v.ArticleDir = contentLang, Dir(a.Language)
		v.Image.markLabel(s)
	}
	if opts.Unavailable {
		v.Unavailable = l.T("translation.unavailable", "language", l.LanguageName(s.lang()))
		if opts.TranslateURL != "" {
			v.TranslateURL, v.TranslateText = opts.TranslateURL, l.T("translation.translate_for_me")
		}
	}
	if machineUnreviewed(a) {
		src := opts.Source
		for _, t := range translations {
			if src == nil && t != nil && t.ID == a.Translation.SourceID {
				src = t
			}
		}
		n := &MachineNotice{Text: l.T("translation.machine", "language", l.LanguageName(a.Translation.SourceLang)),
			LinkText: l.T("translation.read_original"), Lang: s.lang(), Dir: Dir(s.lang())}
		if src != nil {
			n.URL = s.URLs.Article(src)
		}
		v.Machine = n
	}
	v.NoIndex = !Indexable(st, a)
	for _, k := range []content.TermKind{content.KindRegion, content.KindTheme} {
		for _, t := range a.TermsOf(k) {
			v.Kicker = append(v.Kicker, s.termLink(t))
		}
	}
	for _, k := range content.TermKinds {
		g := TermGroup{Kind: k, Label: l.T(kindLabels[k][1])}
		for _, t := range a.TermsOf(k) {
			g.Terms = append(g.Terms, s.termLink(t))
		}
		if len(g.Terms) > 0 {
			v.TermGroups = append(v.TermGroups, g)
		}
	}
	names := make([]string, 0, len(a.Authors))
	for _, au := range a.Authors {
		if au == nil {
			continue
		}
		// The line names authors as the byline does: in the page's
		// script where a transliteration is stored, else as stored.
		name, _ := au.NameIn(s.lang())
		names = append(names, name)
		v.Authors = append(v.Authors, s.authorBox(au))
	}
	v.Copyright, v.CopyrightText = s.copyrightLine(names, a.PublishedAt.In(s.Location()))
	if a.Translation != nil && a.Translation.Outdated {
		v.Outdated = l.T("translation.outdated")
	}

	// Head: Open Graph, Twitter card, alternates.
	v.OG.Type = "article"
	v.OG.Title = a.Title
	v.OG.PublishedTime = v.Published.ISO
	if !a.UpdatedAt.IsZero() && a.UpdatedAt.After(a.PublishedAt) {
		v.OG.ModifiedTime = s.date(a.UpdatedAt).ISO
	}
	if v.Image != nil {
		v.OG.Image, v.OG.ImageAlt = s.URLs.Abs(v.Image.URL), v.Image.Alt
		v.OG.TwitterCard = "summary_large_image"
	}
	// hreflang: every indexable member of the translation group, this page
	// included, and x-default on the default-language version (else the
	// original). A page that is not indexable itself, or stands in for a
	// missing translation, lists none: its canonical is elsewhere.
	members := []*content.Article{a}
	for _, t := range translations {
		if t == nil || t.Language == a.Language {
			continue
		}
		members = append(members, t)
		u := s.URLs.Article(t)
		v.Translations = append(v.Translations, Translation{Lang: t.Language, Dir: Dir(t.Language),
			LangName: LanguageName(t.Language), Title: t.Title, URL: u})
	}
	if len(v.Translations) > 0 && !opts.Unavailable && Indexable(st, a) {
		var xdef, orig *content.Article
		for _, m := range members {
			if !Indexable(st, m) {
				continue
			}
			v.Alternates = append(v.Alternates, Alternate{Lang: m.Language, URL: s.URLs.Abs(s.URLs.Article(m))})
			if m.Language == st.DefaultLanguage && xdef == nil {
				xdef = m
			}
			if m.Translation == nil && orig == nil {
				orig = m
			}
		}
		if xdef == nil {
			xdef = orig
		}
		if xdef == nil {
			xdef = a
		}
		if len(v.Alternates) > 1 {
			v.XDefault = s.URLs.Abs(s.URLs.Article(xdef))
		} else {
			v.Alternates = nil
		}
	}
	// The language menu leads to this article's translations where they exist.
	for i, m := range v.LanguageMenu {
		for _, t := range members {
			if t.Language == m.Lang && (t != a || !opts.Unavailable) {
				v.LanguageMenu[i].URL = s.URLs.Article(t)
			}
		}
	}

	excerpt := a.Excerpt
	if excerpt == "" {
		excerpt = desc
	}
	v.Share, v.ForwardURL = shareLinks(l, a.Title, excerpt, abs, s.Title())
	if a.ID != 0 {
		v.ForwardPage = s.readerPath("/forward/" + strconv.FormatInt(a.ID, 10) + "/")
	}

	lic := content.ResolveLicense(st, a.License)
	if lic.Republish && a.ID != 0 && a.PublicFullText(now) {
		// Members-only text is never offered; the tool's own page checks
		// again (public now, license, access).
		v.RepublishPage = "/republish/" + strconv.FormatInt(a.ID, 10) + "/"
		if s.lang() != a.Language {
			// The rules in the reader's language, the copy in the article's.
			v.RepublishPage += "?lang=" + url.QueryEscape(s.lang())
		}
	}
	v.License = s.licenseView(lic)
	repub := Notice{ID: "notice-republishing", Heading: l.T("notice.republishing")}
	if lic.Code == content.LicenseCommunity {
		var text string
		text, repub.Lang, repub.Dir = s.setting("notices.republishing_policy")
		repub.HTML = noticeHTML(text)
	}
	v.Notices = append(v.Notices, repub)
	for _, n := range []struct{ id, heading, field string }{
		{"notice-note-to-readers", "notice.note_to_readers", "notices.note_to_readers"},
		{"notice-disclaimer", "notice.disclaimer", "notices.disclaimer"},
		{"notice-fair-use", "notice.fair_use", "notices.fair_use"},
		{"notice-media-contact", "notice.media_contact", "notices.media_contact"},
		{"notice-membership", "notice.membership", "notices.membership_call"},
	} {
		text, lang, dir := s.setting(n.field)
		if strings.TrimSpace(text) == "" {
			continue
		}
		v.Notices = append(v.Notices, Notice{ID: n.id, Heading: l.T(n.heading), HTML: noticeHTML(text), Lang: lang, Dir: dir})
	}

	v.JSONLD = articleJSONLD(s, a, v, lic, abs, contentLang, a.PublicFullText(now))
	applySEO(s, &v.Page, a)
	if t := a.SEO; t != nil && t.Title != "" {
		v.Title = withSite(t.Title, s)
	}
	return v
}

// noticeHTML renders a settings notice; text that fails to render (invalid
// UTF-8, which settings validation rejects) is shown escaped.
func noticeHTML(src string) template.HTML {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	h, err := markdown.ToHTML(src)
	if err != nil {
		return template.HTML("<p>" + template.HTMLEscapeString(strings.ToValidUTF8(src, "\uFFFD")) + "</p>")
	}
	return template.HTML(h)
}

// qv escapes a query value for URLs that mail clients and share endpoints
// read: spaces as %20, never '+', which mailto: would show literally.
func qv(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

// shareLinks returns the share links of an article at abs and the
// forward-by-email link.
func shareLinks(l *i18n.Locale, title, excerpt, abs, siteTitle string) ([]ShareLink, string) {
	text := title + " — " + siteTitle
	links := []ShareLink{
		{"email", l.T("share.email"), "mailto:?subject=" + qv(title) + "&body=" + qv(title+"\n\n"+abs)},
		{"x", "X", "https://twitter.com/intent/tweet?url=" + qv(abs) + "&text=" + qv(text)},
		{"facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php?u=" + qv(abs)},
		{"telegram", "Telegram", "https://t.me/share/url?url=" + qv(abs) + "&text=" + qv(text)},
		{"whatsapp", "WhatsApp", "https://wa.me/?text=" + qv(text+" "+abs)},
		{"reddit", "Reddit", "https://www.reddit.com/submit?url=" + qv(abs) + "&title=" + qv(title)},
		{"linkedin", "LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?url=" + qv(abs)},
	}
	body := title + "\n\n"
	if excerpt != "" {
		body += excerpt + "\n\n"
	}
	body += l.T("share.forward_body", "site", siteTitle) + "\n" + abs + "\n"
	forward := "mailto:?subject=" + qv(title+" — "+siteTitle) + "&body=" + qv(body)
	return links, forward
}

type ldThing struct {
	Type string `json:"@type"`
	ID   string `json:"@id,omitempty"`
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
	Logo *ldImg `json:"logo,omitempty"`
}

type ldImg struct {
	Type            string `json:"@type"`
	URL             string `json:"url"`
	Caption         string `json:"caption,omitempty"`
	CreditText      string `json:"creditText,omitempty"`
	CopyrightNotice string `json:"copyrightNotice,omitempty"`
	Width           int    `json:"width,omitempty"`
	Height          int    `json:"height,omitempty"`
}

type ldArticle struct {
	Context             string    `json:"@context"`
	Type                string    `json:"@type"`
	Headline            string    `json:"headline"`
	Description         string    `json:"description,omitempty"`
	DatePublished       string    `json:"datePublished,omitempty"`
	DateModified        string    `json:"dateModified,omitempty"`
	InLanguage          string    `json:"inLanguage"`
	MainEntityOfPage    ldThing   `json:"mainEntityOfPage"`
	URL                 string    `json:"url"`
	Author              []ldThing `json:"author,omitempty"`
	Publisher           ldThing   `json:"publisher"`
	CopyrightHolder     []ldThing `json:"copyrightHolder"`
	CopyrightYear       int       `json:"copyrightYear"`
	CopyrightNotice     string    `json:"copyrightNotice"`
	License             string    `json:"license"`
	Image               *ldImg    `json:"image,omitempty"`
	ArticleSection      []string  `json:"articleSection,omitempty"`
	Keywords            []string  `json:"keywords,omitempty"`
	IsAccessibleForFree bool      `json:"isAccessibleForFree"`
	HasPart             *ldPart   `json:"hasPart,omitempty"`
	IsBasedOn           string    `json:"isBasedOn,omitempty"`
	Correction          []ldNote  `json:"correction,omitempty"`
}

// ldNote is a schema.org CorrectionComment (updates are notes too).
type ldNote struct {
	Type          string `json:"@type"`
	Text          string `json:"text"`
	DatePublished string `json:"datePublished"`
}

// ldPart marks the paywalled part of a page.
type ldPart struct {
	Type                string `json:"@type"`
	IsAccessibleForFree bool   `json:"isAccessibleForFree"`
	CSSSelector         string `json:"cssSelector"`
}

// GatedClass is the class of the element that stands for a gated
// article's members' text (the JSON-LD hasPart cssSelector).
const GatedClass = "article__gated"

// articleJSONLD is the schema.org NewsArticle of the page. encoding/json
// escapes <, > and & as \u003c etc., so no value can close the <script>.
//
// A gated article says so as Google documents for subscription content:
// isAccessibleForFree false, and a hasPart WebPageElement whose
// cssSelector names the element that stands for the members' text.
func articleJSONLD(s Site, a *content.Article, v *ArticleView, lic *content.License, abs, inLanguage string, free bool) template.JS {
	st := s.settings()
	pub := ldThing{Type: "Organization", Name: s.Title(), URL: s.URLs.Abs(s.URLs.Home(s.lang()))}
	if st.LogoURL != "" {
		pub.Logo = &ldImg{Type: "ImageObject", URL: s.URLs.Abs(st.LogoURL)}
	}
	ld := ldArticle{
		Context: "https://schema.org", Type: "NewsArticle", Headline: a.Title, Description: v.Description,
		DatePublished: v.Published.ISO, DateModified: v.OG.ModifiedTime, InLanguage: inLanguage,
		MainEntityOfPage: ldThing{Type: "WebPage", ID: abs}, URL: abs, Publisher: pub,
		CopyrightYear: a.PublishedAt.In(s.Location()).Year(), CopyrightNotice: v.CopyrightText,
		License: lic.URL, IsAccessibleForFree: free, IsBasedOn: a.SourceURL,
	}
	if !free {
		ld.HasPart = &ldPart{Type: "WebPageElement", IsAccessibleForFree: false, CSSSelector: "." + GatedClass}
	}
	if t := a.LastNote(); !t.IsZero() && (ld.DateModified == "" || t.After(a.UpdatedAt)) {
		ld.DateModified = s.date(t).ISO
	}
	if ld.DateModified == "" {
		ld.DateModified = ld.DatePublished
	}
	for _, c := range a.Corrections {
		ld.Correction = append(ld.Correction, ldNote{Type: "CorrectionComment", Text: c.Text, DatePublished: s.date(c.At).ISO})
	}
	if ld.License == "" {
		ld.License = abs + "#notice-republishing"
	}
	for _, b := range v.Authors {
		p := ldThing{Type: "Person", Name: b.Name, URL: s.URLs.Abs(b.URL)}
		ld.Author = append(ld.Author, p)
		ld.CopyrightHolder = append(ld.CopyrightHolder, p)
	}
	ld.CopyrightHolder = append(ld.CopyrightHolder, ldThing{Type: "Organization", Name: pub.Name, URL: pub.URL})
	if im := v.Image; im != nil {
		ld.Image = &ldImg{Type: "ImageObject", URL: s.URLs.Abs(im.URL), Caption: im.Caption,
			CreditText: im.Credit, Width: im.Width, Height: im.Height}
		if im.Credit != "" {
			ld.Image.CopyrightNotice = im.Credit
		}
	}
	for _, t := range v.Kicker {
		ld.ArticleSection = append(ld.ArticleSection, t.Name)
	}
	for _, t := range a.TermsOf(content.KindTag) {
		ld.Keywords = append(ld.Keywords, t.NameIn(a.Language))
	}
	b, err := json.Marshal(ld)
	if err != nil { // only strings, ints and bools: cannot happen
		return template.JS("{}")
	}
	return template.JS(b) // #nosec: JSON with <, >, & escaped by encoding/json
}
