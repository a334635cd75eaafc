package render

import (
	"strings"

	"folio/internal/content"
	"folio/internal/urls"
)

// View builders of the listing pages: home, author and term archives, and
// error pages.

// NewHomeView builds the home page of s.Lang. latest is one page of the
// newest articles; dossiers are the active in-depth reports with their latest
// pieces (inactive or empty ones are left out).
func NewHomeView(s Site, latest, featured []*content.Article, dossiers []DossierBlock, page, totalPages int) *HomeView {
	home := s.URLs.Home(s.lang())
	path := s.URLs.Page(home, page)
	title := s.Title()
	// The title element cannot mark a fallback's language, so a tagline
	// not translated yet stays out of it.
	if t, tl, _ := s.setting("tagline"); t != "" && tl == "" {
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
		desc, dl, dd := s.termDescription(d.Term)
		v.Dossiers = append(v.Dossiers, DossierView{Name: tl.Name, URL: tl.URL, NameLang: tl.Lang, NameDir: tl.Dir,
			Description: desc, DescLang: dl, DescDir: dd, Articles: s.cards(d.Articles)})
	}
	v.NotYet = s.notYet(latest)
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
	box := s.authorBox(au)
	desc := ""
	if len(box.Bio) > 0 && box.BioLang == "" {
		desc = strings.Join(strings.Fields(box.Bio[0]), " ")
	}
	if desc == "" {
		desc = s.Locale().T("archive.author_description", "name", box.Name, "site", s.Title())
	}
	v := &ArchiveView{
		Page: basePage(s, withSite(box.Name+s.pageSuffix(page, totalPages), s), desc, s.URLs.Page(listing, page)),
		Kind: "author", KindLabel: s.Locale().T("kind.author"), Heading: box.Name,
		Description: box.Bio, DescLang: box.BioLang, DescDir: box.BioDir, PhotoURL: s.URLs.MediaURL(au.PhotoURL), Links: au.Links,
		Articles: s.cards(arts),
	}
	v.OG.Type = "profile"
	if au.PhotoURL != "" {
		v.OG.Image, v.OG.ImageAlt = s.URLs.Abs(au.PhotoURL), box.Name
	}
	v.finish(s, listing, box.Name, page, totalPages)
	return v
}

// NewTermArchiveView builds page `page` of a region, theme, dossier or tag archive.
func NewTermArchiveView(s Site, t *content.Term, arts []*content.Article, page, totalPages int) *ArchiveView {
	tl := s.termLink(t)
	text, dlang, ddir := s.termDescription(t)
	desc := ""
	if dlang == "" {
		desc = firstParagraph(text)
	}
	label := string(t.Kind)
	if k := kindLabels[t.Kind][0]; k != "" {
		label = s.Locale().T(k)
	}
	if desc == "" {
		desc = s.Locale().T("archive.term_description", "kind", label, "name", tl.Name, "site", s.Title())
	}
	v := &ArchiveView{
		Page: basePage(s, withSite(tl.Name+s.pageSuffix(page, totalPages), s), desc, s.URLs.Page(tl.URL, page)),
		Kind: string(t.Kind), KindLabel: label, Heading: tl.Name, HeadingLang: tl.Lang, HeadingDir: tl.Dir,
		Description: paragraphs(text), DescLang: dlang, DescDir: ddir, Articles: s.cards(arts),
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
