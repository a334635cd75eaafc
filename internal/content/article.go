package content

import (
	"strings"
	"time"
)

// Image is a featured image with the credit that must travel with it.
type Image struct {
	MediaID   int64  `json:"media_id,omitempty"` // set when the image is in the media library
	URL       string `json:"url"`
	Alt       string `json:"alt"`
	Caption   string `json:"caption"`
	Credit    string `json:"credit"`
	CreditURL string `json:"credit_url"`
	// CreditType is what the credit names (photo, illustration, chart,
	// video); empty is read from the credit (CreditLabel).
	CreditType CreditType `json:"credit_type,omitempty"`
	Width      int        `json:"width,omitempty"`
	Height     int        `json:"height,omitempty"`
}

// Article is one piece in one language. Translations share a TranslationGroup.
type Article struct {
	ID       int64  `json:"id"`
	Language string `json:"language"`
	// Type is article (dated, listed) or page (undated, linked from
	// menus); empty is read as article.
	Type Type `json:"type"`
	// ParentID is the page a page sits under (0: top level); pages only.
	ParentID int64 `json:"parent_id,omitempty"`
	// Template is the page layout (PageTemplates); pages only.
	Template string `json:"template,omitempty"`
	// SEO overrides what search engines and social networks show; nil when none.
	SEO              *SEO      `json:"seo,omitempty"`
	TranslationGroup int64     `json:"translation_group"` // ID of the group's first article; 0 until stored
	Title            string    `json:"title"`
	Deck             string    `json:"deck"`
	Slug             string    `json:"slug"`
	BodyMarkdown     string    `json:"body_markdown"`
	BodyHTML         string    `json:"body_html"` // sanitized rendering of BodyMarkdown, set by the service
	Excerpt          string    `json:"excerpt"`
	Status           Status    `json:"status"`
	Featured         bool      `json:"featured"`
	Image            *Image    `json:"image"`
	License          string    `json:"license"`    // a License code; empty means the site default
	SourceURL        string    `json:"source_url"` // original source of a reposted piece
	SourceName       string    `json:"source_name"`
	Authors          []*Author `json:"authors"` // in byline order
	Terms            []*Term   `json:"terms"`   // all kinds, in the order they were given

	// Access says who may read the full text (see PublicFullText); empty
	// is public. AccessTier narrows a paid article to one tier's slug.
	// FreeAt is when a members-first article opens to everyone (zero:
	// DefaultMembersFirst after publication).
	Access     Access    `json:"access"`
	AccessTier string    `json:"access_tier,omitempty"`
	FreeAt     time.Time `json:"free_at,omitzero"`
	// Corrections are the article's public correction and update notes,
	// oldest first; the store loads them with the article.
	Corrections []*Correction `json:"corrections,omitempty"`

	// Translation describes where a translated article came from; nil for originals.
	Translation *TranslationInfo `json:"translation,omitempty"`

	// PublishedAt is when the piece went (or goes, if scheduled) live.
	PublishedAt time.Time `json:"published_at"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`

	// Version counts the stored writes, from 1; the store sets it. Editors
	// send back the version they loaded so a concurrent save is detected.
	Version int `json:"version"`
	// CreatedBy is the staff user who created the article; 0 when unknown
	// (API, importer, demo).
	CreatedBy int64 `json:"created_by,omitempty"`
}

// TranslationInfo records how a translated article was made and whether it
// still matches its source. Originals carry none.
type TranslationInfo struct {
	SourceID   int64  `json:"source_id"`   // the article it was translated from
	SourceLang string `json:"source_lang"` // that article's language
	Machine    bool   `json:"machine"`     // produced by a machine-translation provider
	Reviewed   bool   `json:"reviewed"`    // a person has checked (and maybe revised) it
	Outdated   bool   `json:"outdated"`    // the source text changed since SourceVersion
	Provider   string `json:"provider,omitempty"`
	// SourceVersion is the hash of the source text the translation was made
	// from; comparing it with the source's current hash tells whether it is outdated.
	SourceVersion string `json:"source_version"`
	TranslatedBy  int64  `json:"translated_by,omitempty"` // user id; 0 for machine
}

// TermsOf returns the article's terms of one kind, in order.
func (a *Article) TermsOf(k TermKind) []*Term {
	var out []*Term
	for _, t := range a.Terms {
		if t.Kind == k {
			out = append(out, t)
		}
	}
	return out
}

// IsPublic reports whether readers may see the article at time now.
func (a *Article) IsPublic(now time.Time) bool {
	return a.Status == StatusPublished && !a.PublishedAt.IsZero() && !a.PublishedAt.After(now)
}

// AuthorNames returns the byline names joined for prose: "A", "A and B", "A, B and C".
func (a *Article) AuthorNames() string {
	names := make([]string, len(a.Authors))
	for i, au := range a.Authors {
		names[i] = au.Name
	}
	return JoinNames(names)
}

// JoinNames joins names as English prose lists them.
func JoinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// Limits on article fields, in bytes.
const (
	MaxTitle   = 300
	MaxDeck    = 1000
	MaxExcerpt = 2000
	MaxBody    = 1 << 20
)

// Validate checks the article's own fields and fills the slug from the title
// when empty. Authors and terms are checked for existence by the store.
func (a *Article) Validate() error {
	p := Problems{}
	a.validateKind(p)
	if a.Language == "" {
		p.Add("language", "is required")
	} else if !ValidLanguageTag(a.Language) {
		p.Add("language", "%q is not a BCP 47 language tag", a.Language)
	}
	checkText(p, "title", a.Title, 1, MaxTitle)
	checkText(p, "deck", a.Deck, 0, MaxDeck)
	checkText(p, "excerpt", a.Excerpt, 0, MaxExcerpt)
	if len(a.BodyMarkdown) > MaxBody {
		p.Add("body_markdown", "is longer than %d bytes", MaxBody)
	}
	if a.Slug == "" {
		a.Slug = Slugify(a.Title)
	} else if err := CheckSlug(a.Slug); err != nil {
		p.Add("slug", "%s", err.Error())
	}
	if a.Status == "" {
		a.Status = StatusDraft
	}
	if !a.Status.Valid() {
		p.Add("status", "must be one of draft, review, scheduled, published, archived (got %q)", a.Status)
	}
	if a.Status == StatusScheduled && a.PublishedAt.IsZero() {
		p.Add("published_at", "is required to schedule an article")
	}
	if a.License != "" && FindLicense(a.License) == nil {
		p.Add("license", "unknown license %q", a.License)
	}
	a.checkAccess(p)
	checkURL(p, "source_url", a.SourceURL, true)
	checkText(p, "source_name", a.SourceName, 0, 200)
	if a.SourceName != "" && a.SourceURL == "" {
		p.Add("source_url", "is required when source_name is set")
	}
	if im := a.Image; im != nil {
		if im.URL == "" {
			p.Add("image.url", "is required")
		} else if !isHTTPURL(im.URL) && !strings.HasPrefix(im.URL, "/") {
			p.Add("image.url", "%q must be an http(s) URL or a path on this site", im.URL)
		}
		if strings.TrimSpace(im.Alt) == "" {
			p.Add("image.alt", "is required: describe the image for readers who cannot see it")
		}
		checkText(p, "image.caption", im.Caption, 0, 1000)
		checkText(p, "image.credit", im.Credit, 0, 300)
		checkURL(p, "image.credit_url", im.CreditURL, true)
		if !im.CreditType.Valid() {
			p.Add("image.credit_type", "%q is not one of photo, illustration, chart, video", im.CreditType)
		}
	}
	seen := map[int64]bool{}
	for _, au := range a.Authors {
		if au == nil || au.ID == 0 {
			p.Add("authors", "every author needs an id")
			break
		}
		if seen[au.ID] {
			p.Add("authors", "author %d is listed twice", au.ID)
		}
		seen[au.ID] = true
	}
	seen = map[int64]bool{}
	for _, t := range a.Terms {
		if t == nil || t.ID == 0 {
			p.Add("terms", "every term needs an id")
			break
		}
		if seen[t.ID] {
			p.Add("terms", "term %d is listed twice", t.ID)
		}
		seen[t.ID] = true
	}
	return p.Err("article")
}
