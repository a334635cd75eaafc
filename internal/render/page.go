package render

import (
	"encoding/json"
	"html/template"
	"io"
	"strconv"
	"strings"

	"folio/internal/content"
)

// PageView is an undated page: About, Contact, Masthead, a corrections
// policy. It has no byline, date, share box or related articles; its
// template adds the staff list, the desk's contact or the corrections log.
type PageView struct {
	Page
	Headline     string
	Deck         string
	Image        *ImageView
	Body         template.HTML // sanitized by the editorial service
	Template     string        // content.Template*
	Breadcrumb   []NavLink     // the parent pages, root first; the page itself is last, without URL
	Children     []NavLink     // the pages under this one, by title
	Staff        []AuthorBox   // masthead
	ContactEmail string        // contact: the desk's address
	// ContactForm is where the contact template loads its form from
	// (internal/readers, uncached); the same path without ?fragment=1 is
	// the form's own page, for readers without JavaScript.
	ContactForm  string
	Corrections  []CorrectionEntry
	Notices      []Notice // about: the publication's notices
	License      LicenseView
	Translations []Translation
	ArticleLang  string
	ArticleDir   string
}

// PageOptions are what a page's template shows beyond its own text.
type PageOptions struct {
	Parents      []*content.Article // root first
	Children     []*content.Article
	Translations []*content.Article
	Staff        []*content.Author // masthead
	Corrections  []CorrectionEntry // the corrections template's log
}

// NewPageView builds the page view of a (a page) for s.
func NewPageView(s Site, a *content.Article, o PageOptions) *PageView {
	if a.Language != "" {
		s.Lang = a.Language
	}
	l := s.Locale()
	path := s.URLs.Article(a)
	abs := s.URLs.Abs(path)
	title, desc := a.Title, summary(a)
	if seo := a.SEO; seo != nil {
		if seo.Title != "" {
			title = seo.Title
		}
		if seo.Description != "" {
			desc = seo.Description
		}
	}
	v := &PageView{
		Page:     basePage(s, withSite(title, s), desc, path),
		Headline: a.Title, Deck: a.Deck, Image: s.imageView(a.Image), Body: s.bodyHTML(scrollable(a.BodyHTML, s.Locale())),
		Template: a.Template,
	}
	applySEO(s, &v.Page, a)
	v.OG.Type = "website"
	v.OG.Title = title
	if v.Image != nil && v.OG.Image == "" {
		v.OG.Image, v.OG.ImageAlt, v.OG.TwitterCard = s.URLs.Abs(v.Image.URL), v.Image.Alt, "summary_large_image"
	}
	if strings.Contains(a.BodyHTML, `class="embed-load"`) {
		v.EmbedLabel = l.T("embed.load")
	}
	for _, p := range o.Parents {
		v.Breadcrumb = append(v.Breadcrumb, NavLink{Name: p.Title, URL: s.URLs.Article(p)})
	}
	if len(v.Breadcrumb) > 0 {
		v.Breadcrumb = append(v.Breadcrumb, NavLink{Name: a.Title, Current: true})
	}
	for _, c := range o.Children {
		v.Children = append(v.Children, NavLink{Name: c.Title, URL: s.URLs.Article(c)})
	}
	for _, t := range o.Translations {
		if t == nil || t.Language == a.Language {
			continue
		}
		v.Translations = append(v.Translations, Translation{Lang: t.Language, Dir: Dir(t.Language),
			LangName: LanguageName(t.Language), Title: t.Title, URL: s.URLs.Article(t)})
		v.Alternates = append(v.Alternates, Alternate{Lang: t.Language, URL: s.URLs.Abs(s.URLs.Article(t))})
	}
	if len(v.Alternates) > 0 {
		v.Alternates = append([]Alternate{{Lang: a.Language, URL: abs}}, v.Alternates...)
	}
	for i, m := range v.LanguageMenu {
		for _, t := range o.Translations {
			if t != nil && t.Language == m.Lang {
				v.LanguageMenu[i].URL = s.URLs.Article(t)
			}
		}
	}
	st := s.settings()
	switch a.Template {
	case content.TemplateMasthead:
		for _, au := range o.Staff {
			v.Staff = append(v.Staff, AuthorBox{Name: au.Name, URL: s.URLs.Author(s.linkLang(), au.Slug),
				PhotoURL: au.PhotoURL, Bio: paragraphs(au.Bio), Links: au.Links,
				AllLabel: l.T("author.all_articles", "name", au.Name)})
		}
	case content.TemplateContact:
		v.ContactEmail = st.ContactEmail
		if st.ContactEmail != "" && a.ID != 0 {
			v.ContactForm = ContactFormPath(a.ID)
		}
	case content.TemplateCorrections:
		v.Corrections = o.Corrections
	case content.TemplateAbout:
		for _, n := range []struct{ id, heading, src string }{
			{"notice-note-to-readers", "notice.note_to_readers", st.Notices.NoteToReaders},
			{"notice-republishing", "notice.republishing", st.Notices.RepublishingPolicy},
			{"notice-disclaimer", "notice.disclaimer", st.Notices.Disclaimer},
			{"notice-fair-use", "notice.fair_use", st.Notices.FairUse},
			{"notice-media-contact", "notice.media_contact", st.Notices.MediaContact},
			{"notice-membership", "notice.membership", st.Notices.MembershipCall},
		} {
			if strings.TrimSpace(n.src) != "" {
				v.Notices = append(v.Notices, Notice{ID: n.id, Heading: l.T(n.heading), HTML: noticeHTML(n.src)})
			}
		}
		if lic := content.FindLicense(st.DefaultLicense); lic != nil {
			v.License = s.licenseView(lic)
		}
	}
	v.JSONLD = pageJSONLD(s, a, v, abs)
	return v
}

type ldPage struct {
	Context     string        `json:"@context"`
	Type        string        `json:"@type"`
	Name        string        `json:"name"`
	Description string        `json:"description,omitempty"`
	URL         string        `json:"url"`
	InLanguage  string        `json:"inLanguage"`
	IsPartOf    ldThing       `json:"isPartOf"`
	Breadcrumb  *ldBreadcrumb `json:"breadcrumb,omitempty"`
}

type ldBreadcrumb struct {
	Type  string   `json:"@type"`
	Items []ldItem `json:"itemListElement"`
}

type ldItem struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	Name     string `json:"name"`
	Item     string `json:"item,omitempty"`
}

// pageJSONLD is the schema.org WebPage of a page (AboutPage and ContactPage
// for those templates): a page is not news, so it is no NewsArticle.
func pageJSONLD(s Site, a *content.Article, v *PageView, abs string) template.JS {
	typ := "WebPage"
	switch a.Template {
	case content.TemplateAbout, content.TemplateMasthead:
		typ = "AboutPage"
	case content.TemplateContact:
		typ = "ContactPage"
	}
	ld := ldPage{Context: "https://schema.org", Type: typ, Name: a.Title, Description: v.Description, URL: abs,
		InLanguage: a.Language, IsPartOf: ldThing{Type: "WebSite", Name: s.Title(), URL: s.URLs.Abs(s.URLs.Home(s.lang()))}}
	if len(v.Breadcrumb) > 0 {
		bc := &ldBreadcrumb{Type: "BreadcrumbList"}
		for i, b := range v.Breadcrumb {
			item := ldItem{Type: "ListItem", Position: i + 1, Name: b.Name}
			if b.URL != "" {
				item.Item = s.URLs.Abs(b.URL)
			} else {
				item.Item = abs
			}
			bc.Items = append(bc.Items, item)
		}
		ld.Breadcrumb = bc
	}
	b, err := json.Marshal(ld)
	if err != nil {
		return template.JS("{}")
	}
	return template.JS(b) // #nosec: JSON with <, >, & escaped by encoding/json
}

// applySEO puts an article's or page's SEO overrides into the page head:
// the meta description, the social image and the canonical URL.
func applySEO(s Site, p *Page, a *content.Article) {
	seo := a.SEO
	if seo.IsZero() {
		return
	}
	if seo.Description != "" {
		p.Description, p.OG.Description = seo.Description, seo.Description
	}
	if seo.Title != "" {
		p.OG.Title = seo.Title
	}
	if seo.ImageURL != "" {
		p.OG.Image = s.URLs.Abs(seo.ImageURL)
		p.OG.TwitterCard = "summary_large_image"
		if p.OG.ImageAlt == "" {
			p.OG.ImageAlt = a.Title
		}
	}
	if seo.Canonical != "" {
		p.Canonical = seo.Canonical
	}
}

// Page renders a page.
func (r *Renderer) Page(w io.Writer, v *PageView) error { return r.render(w, "page", v) }

// ContactFormPath is the contact form of contact page id (internal/readers
// serves it).
func ContactFormPath(id int64) string { return "/contact-form/" + strconv.FormatInt(id, 10) + "/" }
