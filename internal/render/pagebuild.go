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

// What every page view is built from: the page frame (title, languages,
// feeds, Open Graph), and the cards, bylines, images and pagination that
// listings and articles share.

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
	p.SocialLang, p.SocialDir = s.foreign(st.DefaultLanguage)
	if _, tl, td := s.setting("tagline"); p.Tagline != "" {
		p.TaglineLang, p.TaglineDir = tl, td
	}
	p.Feeds = p.SiteFeeds
	if s.Search {
		p.SearchURL = s.URLs.Search(lang)
		p.OpenSearchURL = s.URLs.OpenSearch()
		if s.SearchSite != "" {
			base := strings.TrimRight(s.SearchSite, "/")
			p.SearchURL, p.OpenSearchURL = base+p.SearchURL, base+p.OpenSearchURL
		}
	}
	if path != "" {
		p.Canonical = s.URLs.Abs(path)
	}
	now := s.Now
	if now.IsZero() {
		now = time.Now()
	}
	p.Copyright = "© " + s.Locale().Number(now.In(s.Location()).Year()) + " " + siteTitle
	p.OG = OpenGraph{Type: "website", Title: title, Description: description, URL: p.Canonical,
		SiteName: siteTitle, TwitterCard: "summary"}
	if st.LogoURL != "" {
		p.OG.Image = s.URLs.Abs(st.LogoURL)
		p.OG.ImageAlt = siteTitle
	}
	p.Nav = append(p.Nav, NavLink{Name: p.T("nav.home"), URL: home, Current: path == home})
	menus := st.Menus[lang]
	if len(menus.Header) > 0 {
		p.Nav = append(p.Nav, menuLinks(menus.Header, path)...)
	} else {
		for _, n := range s.Nav {
			n.Current = n.URL == path
			p.Nav = append(p.Nav, n)
		}
	}
	p.FooterMenu = menuLinks(menus.Footer, path)
	if b := st.Banner; b.ShowsAt(s.Now) {
		text, lang, dir := s.setting("banner.text")
		p.Banner = &BannerView{Kind: b.Kind, Label: p.T("banner.label"), Text: text, Lang: lang, Dir: dir, URL: b.URL}
	}
	for _, l := range st.Languages {
		if l == lang {
			continue
		}
		p.Languages = append(p.Languages, NavLink{Name: LanguageName(l), URL: s.URLs.Home(l), Lang: l, Dir: Dir(l)})
	}
	for _, l := range menuLanguages(st) {
		p.LanguageMenu = append(p.LanguageMenu, NavLink{Name: LanguageName(l), URL: s.URLs.Home(l), Lang: l, Dir: Dir(l),
			Current: l == lang, Note: s.menuNote(l)})
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
	name, lang, dir := s.termName(t)
	return TermLink{Kind: t.Kind, Name: name, URL: s.URLs.Term(s.linkLang(), t.Kind, t.Slug), Lang: lang, Dir: dir}
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
		name, _ := au.NameIn(s.lang())
		b.Authors = append(b.Authors, AuthorLink{Sep: seps[i], Name: name, URL: s.URLs.Author(s.linkLang(), au.Slug)})
	}
	return b
}

func (s Site) imageView(im *content.Image) *ImageView {
	if im == nil || im.URL == "" {
		return nil
	}
	typ, credit := content.CreditLabel(im.CreditType, im.Credit)
	v := &ImageView{URL: s.URLs.MediaURL(im.URL), Alt: im.Alt, Caption: im.Caption, Credit: credit,
		CreditURL: im.CreditURL, Width: im.Width, Height: im.Height}
	if typ != "" { // else the credit carries its own label ("Source: …")
		v.CreditBefore, v.CreditAfter = s.Locale().Around(creditKey(typ), "credit")
	}
	s.addVariants(v, im)
	return v
}

// markLabel marks the credit label of an image shown inside text of
// another language with the page's language.
func (v *ImageView) markLabel(s Site) {
	if v != nil && v.CreditBefore+v.CreditAfter != "" {
		v.LabelLang, v.LabelDir = s.lang(), Dir(s.lang())
	}
}

// creditKey is the catalog message that labels a credit of type t.
func creditKey(t content.CreditType) string {
	if t == content.CreditPhoto {
		return "image.credit"
	}
	return "credit." + string(t)
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
	body := a.BodyHTML
	if a.Access.OrPublic() != content.AccessPublic { // never quote past the lede of a gated piece
		body = content.Lede(body)
	}
	return markdown.Excerpt(body, 200)
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
	if n := s.CommentCounts[a.ID]; n > 0 {
		c.Comments, c.CommentsLabel = n, s.commentsLabel(n)
	}
	c.Updated, c.UpdatedText = s.updated(a)
	return c
}

// updated is the "Updated {date}" of an article with a correction or
// update note: the newest note's date.
func (s Site) updated(a *content.Article) (DateView, string) {
	t := a.LastNote()
	if t.IsZero() {
		return DateView{}, ""
	}
	d := s.date(t)
	return d, s.Locale().T("updated", "date", d.Text)
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

// menuLinks turns menu items into navigation links, marking the one that
// leads to path.
func menuLinks(items []content.MenuItem, path string) []NavLink {
	var out []NavLink
	for _, it := range items {
		n := NavLink{Name: it.Label, URL: it.URL, Current: it.URL == path}
		for _, c := range it.Children {
			n.Children = append(n.Children, NavLink{Name: c.Label, URL: c.URL, Current: c.URL == path})
		}
		out = append(out, n)
	}
	return out
}
