package content

import (
	"strings"
	"time"
)

// Link is a labelled URL, such as an author's profile elsewhere.
type Link struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

// Author is a person credited in bylines. Staff accounts may link to one.
type Author struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Slug     string `json:"slug"`
	Bio      string `json:"bio"`
	PhotoURL string `json:"photo_url"`
	Email    string `json:"email,omitempty"` // never shown on public pages
	Links    []Link `json:"links"`
	// Translations are the name (transliterated) and bio in other
	// languages, keyed by BCP 47 tag.
	Translations map[string]AuthorText `json:"translations,omitempty"`
	CreatedAt    time.Time             `json:"created_at"`
	UpdatedAt    time.Time             `json:"updated_at"`
}

// Validate checks the author's fields; the slug is filled from the name when empty.
func (a *Author) Validate() error {
	p := Problems{}
	checkText(p, "name", a.Name, 1, 200)
	checkText(p, "bio", a.Bio, 0, 5000)
	if a.Slug == "" {
		a.Slug = Slugify(a.Name)
	} else if err := CheckSlug(a.Slug); err != nil {
		p.Add("slug", "%s", err.Error())
	}
	if a.PhotoURL != "" && !strings.HasPrefix(a.PhotoURL, "/") {
		checkURL(p, "photo_url", a.PhotoURL, true)
	}
	if a.Email != "" && !looksLikeEmail(a.Email) {
		p.Add("email", "%q is not an email address", a.Email)
	}
	for i, l := range a.Links {
		checkText(p, "links", l.Label, 1, 100)
		if l.URL == "" || !isHTTPURL(l.URL) {
			p.Add("links", "link %d: %q is not an http(s) URL", i+1, l.URL)
		}
	}
	validateAuthorTexts(p, a.Translations)
	return p.Err("author")
}
