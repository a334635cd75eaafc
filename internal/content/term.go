package content

import "time"

// TermKind is one of the four taxonomies.
type TermKind string

// Term kinds. A dossier is an In-depth Report gathering a running story.
const (
	KindRegion  TermKind = "region"
	KindTheme   TermKind = "theme"
	KindDossier TermKind = "dossier"
	KindTag     TermKind = "tag"
)

// TermKinds lists the kinds in the order pages show them.
var TermKinds = []TermKind{KindRegion, KindTheme, KindDossier, KindTag}

// Valid reports whether k is a known kind.
func (k TermKind) Valid() bool {
	switch k {
	case KindRegion, KindTheme, KindDossier, KindTag:
		return true
	}
	return false
}

// Term is a region, theme, dossier or tag.
type Term struct {
	ID          int64             `json:"id"`
	Kind        TermKind          `json:"kind"`
	Name        string            `json:"name"`
	Slug        string            `json:"slug"`
	Description string            `json:"description"`
	Names       map[string]string `json:"names,omitempty"` // per-language names, keyed by BCP 47 tag
	// Descriptions are the description in other languages, keyed by tag.
	Descriptions map[string]string `json:"descriptions,omitempty"`
	Active       bool              `json:"active"` // for dossiers: shown as a block on the home page
	CreatedAt    time.Time         `json:"created_at"`
	UpdatedAt    time.Time         `json:"updated_at"`
}

// NameIn returns the term's name in lang, falling back to Name.
func (t *Term) NameIn(lang string) string {
	if n := t.Names[lang]; n != "" {
		return n
	}
	return t.Name
}

// Validate checks the term's fields; the slug is filled from the name when empty.
func (t *Term) Validate() error {
	p := Problems{}
	if !t.Kind.Valid() {
		p.Add("kind", "must be one of region, theme, dossier, tag (got %q)", t.Kind)
	}
	checkText(p, "name", t.Name, 1, 200)
	checkText(p, "description", t.Description, 0, 5000)
	if t.Slug == "" {
		t.Slug = Slugify(t.Name)
	} else if err := CheckSlug(t.Slug); err != nil {
		p.Add("slug", "%s", err.Error())
	}
	for lang, n := range t.Names {
		if !ValidLanguageTag(lang) {
			p.Add("names", "%q is not a language tag", lang)
		} else if len(n) > 200 {
			p.Add("names", "name for %q is longer than 200 bytes", lang)
		}
	}
	validateTermDescriptions(p, t.Descriptions)
	return p.Err("term")
}
