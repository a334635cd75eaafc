package content

import "strings"

// Type tells a dated article, which appears in listings, feeds, the news
// sitemap and "Latest", from an undated page (About, Contact, Masthead,
// Ethics, Corrections policy, Donate), which appears only where it is
// linked: menus, its parent page, the general sitemap.
type Type string

// The content types.
const (
	TypeArticle Type = "article"
	TypePage    Type = "page"
)

// Valid reports whether t is a known type.
func (t Type) Valid() bool { return t == TypeArticle || t == TypePage }

// Page templates choose how a page is laid out beyond its body.
const (
	TemplateDefault     = ""            // the body alone
	TemplateAbout       = "about"       // the body, then the publication's notices
	TemplateContact     = "contact"     // the body, then a form that mails the desk
	TemplateMasthead    = "masthead"    // the body, then the staff list
	TemplateCorrections = "corrections" // the body, then the public corrections log
)

// PageTemplates lists the templates a page may name, in the order the
// admin offers them.
var PageTemplates = []string{TemplateDefault, TemplateAbout, TemplateContact, TemplateMasthead, TemplateCorrections}

// IsPage reports whether a is a page rather than a dated article.
func (a *Article) IsPage() bool { return a.Type == TypePage }

// SEO holds an article's overrides of what search engines and social
// networks are shown; empty fields fall back to the title, excerpt,
// featured image and canonical URL.
type SEO struct {
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	ImageURL    string `json:"image_url,omitempty"`
	Canonical   string `json:"canonical,omitempty"`
}

// IsZero reports whether no override is set.
func (s *SEO) IsZero() bool { return s == nil || *s == SEO{} }

// Limits on SEO fields, in bytes; search engines cut titles near 60
// characters and descriptions near 160, so these only stop abuse.
const (
	MaxSEOTitle       = 200
	MaxSEODescription = 500
)

// validateKind checks the page fields: only pages have a parent or a
// template, a page is not its own parent, and the template is known.
func (a *Article) validateKind(p Problems) {
	if a.Type == "" {
		a.Type = TypeArticle
	}
	if !a.Type.Valid() {
		p.Add("type", "must be article or page (got %q)", a.Type)
		return
	}
	if a.Type == TypeArticle {
		if a.ParentID != 0 {
			p.Add("parent_id", "only a page may have a parent page")
		}
		if a.Template != "" {
			p.Add("template", "only a page has a template")
		}
	} else {
		if a.ParentID != 0 && a.ParentID == a.ID {
			p.Add("parent_id", "a page cannot be its own parent")
		}
		if a.ParentID < 0 {
			p.Add("parent_id", "must be a page id")
		}
		known := false
		for _, t := range PageTemplates {
			known = known || t == a.Template
		}
		if !known {
			p.Add("template", "must be one of %s (got %q)", strings.Join(PageTemplates[1:], ", ")+" or empty", a.Template)
		}
	}
	if s := a.SEO; s != nil {
		checkText(p, "seo.title", s.Title, 0, MaxSEOTitle)
		checkText(p, "seo.description", s.Description, 0, MaxSEODescription)
		if s.ImageURL != "" && !isHTTPURL(s.ImageURL) && !strings.HasPrefix(s.ImageURL, "/") {
			p.Add("seo.image_url", "%q must be an http(s) URL or a path on this site", s.ImageURL)
		}
		checkURL(p, "seo.canonical", s.Canonical, true)
	}
}
