package render

import (
	"sync"
	"time"

	"folio/internal/content"
	"folio/internal/i18n"
	"folio/internal/urls"
)

// Site is what every page needs to know about the publication.
type Site struct {
	Settings *content.Settings
	URLs     urls.Builder
	Lang     string // language of the page (BCP 47); the interface speaks it
	Now      time.Time
	// LinkLang is the language archive links (navigation, bylines, term
	// links) lead to; empty means Lang. A language with no content of its
	// own links into the default language's archives, so its pages stay a
	// doorway and not 51 copies of every archive.
	LinkLang string
	// StrictI18n shows catalog keys missing in Lang as [[key]] instead of
	// the English text, for translators and development.
	StrictI18n bool

	// Nav is the header navigation after Home; build it with WithNav.
	Nav []NavLink
	// Search shows the search box in the header and links the OpenSearch
	// document; set when the site has a search index.
	Search bool
	// SearchSite, when set, is the base URL of the live site whose search
	// the box submits to, for pages served elsewhere (export-static).
	SearchSite string
	// Variants are the responsive copies of the media-library images the
	// page shows, by media ID; images without any render as before.
	Variants map[int64][]content.MediaVariant
	// CommentCounts are the approved comments of the articles the page
	// shows as cards, by article ID; cards without any show no count.
	CommentCounts map[int64]int
}

// NavLink is one entry of the header navigation.
type NavLink struct {
	Name    string
	URL     string // site path
	Lang    string // set when the link leads to another language
	Dir     string // Lang's direction, set with it
	Current bool   // the page being rendered is this link's target
	// Note, in the language menu, says the site has no articles in Lang.
	Note string
	// Children are the links under this one (menus nest one level).
	Children []NavLink
}

// WithNav returns a copy of s whose navigation lists terms (typically the
// regions, themes and active dossiers the handler wants in the header), named
// in s.Lang and in the order given (set Lang first). Nil terms are skipped.
func (s Site) WithNav(terms []*content.Term) Site {
	nav := make([]NavLink, 0, len(terms))
	for _, t := range terms {
		if t == nil {
			continue
		}
		name, lang, dir := s.termName(t)
		nav = append(nav, NavLink{Name: name, URL: s.URLs.Term(s.linkLang(), t.Kind, t.Slug), Lang: lang, Dir: dir})
	}
	s.Nav = nav
	return s
}

func (s Site) settings() *content.Settings {
	if s.Settings != nil {
		return s.Settings
	}
	d := content.DefaultSettings()
	return &d
}

func (s Site) lang() string {
	if s.Lang != "" {
		return s.Lang
	}
	return s.settings().DefaultLanguage
}

// linkLang is the language of archive links.
func (s Site) linkLang() string {
	if s.LinkLang != "" {
		return s.LinkLang
	}
	return s.lang()
}

// Locale is the interface locale of the page language.
func (s Site) Locale() *i18n.Locale {
	l := i18n.For(s.lang())
	if s.StrictI18n {
		l = l.Strict()
	}
	if s.settings().LatinDigits {
		l = l.LatinDigits()
	}
	return l
}

func (s Site) translated(field string) string {
	v, _ := s.settings().Localized(s.lang(), field)
	return v
}

// Title is the publication's name in the page language.
func (s Site) Title() string { return s.translated("title") }

// Tagline is the publication's tagline in the page language.
func (s Site) Tagline() string { return s.translated("tagline") }

// Description is the publication's description in the page language.
func (s Site) Description() string { return s.translated("description") }

var (
	locMu  sync.Mutex
	locMap = map[string]*time.Location{}
)

// Location is the zone dates are shown in: Settings.TimeZone, UTC when unset
// or unknown.
func (s Site) Location() *time.Location {
	name := s.settings().TimeZone
	if name == "" || name == "UTC" {
		return time.UTC
	}
	locMu.Lock()
	defer locMu.Unlock()
	if l, ok := locMap[name]; ok {
		return l
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		l = time.UTC
	}
	locMap[name] = l
	return l
}

// Dir returns "rtl" for languages written right to left, else "ltr".
func Dir(lang string) string { return i18n.Dir(lang) }

// LanguageName returns the name of lang in that language, or the tag itself.
func LanguageName(lang string) string { return i18n.NativeName(lang) }

// DateView is a moment shown to readers.
type DateView struct {
	ISO  string // RFC 3339, for <time datetime>
	Text string // the long date of the page language in the site's zone: "November 29, 2026", "۱۲ آذر ۱۴۰۵"
	// Gregorian is the same day in the Gregorian calendar, shown beside
	// Text when the language dates by another calendar (Solar Hijri for
	// fa and ps); empty otherwise.
	Gregorian string
}

func (s Site) date(t time.Time) DateView {
	if t.IsZero() {
		return DateView{}
	}
	lt := t.In(s.Location())
	l := s.Locale()
	v := DateView{ISO: lt.Format(time.RFC3339), Text: l.Date(lt, s.Location())}
	if l.Calendar() != i18n.Gregorian {
		v.Gregorian = l.GregorianDate(lt, s.Location())
	}
	return v
}
