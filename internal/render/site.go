package render

import (
	"strings"
	"sync"
	"time"

	"folio/internal/content"
	"folio/internal/urls"
)

// Site is what every page needs to know about the publication.
type Site struct {
	Settings *content.Settings
	URLs     urls.Builder
	Lang     string // language of the page (BCP 47)
	Now      time.Time

	// Nav is the header navigation after Home; build it with WithNav.
	Nav []NavLink
}

// NavLink is one entry of the header navigation.
type NavLink struct {
	Name    string
	URL     string // site path
	Lang    string // set when the link leads to another language
	Current bool   // the page being rendered is this link's target
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
		nav = append(nav, NavLink{Name: t.NameIn(s.Lang), URL: s.URLs.Term(s.Lang, t.Kind, t.Slug)})
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

// translated returns the per-language override of a settings field, if any.
func (s Site) translated(field, fallback string) string {
	tr := s.settings().Translations[s.lang()]
	for _, k := range []string{field, strings.ToUpper(field[:1]) + field[1:]} {
		if v := tr[k]; v != "" {
			return v
		}
	}
	return fallback
}

// Title is the publication's name in the page language.
func (s Site) Title() string { return s.translated("title", s.settings().Title) }

// Tagline is the publication's tagline in the page language.
func (s Site) Tagline() string { return s.translated("tagline", s.settings().Tagline) }

// Description is the publication's description in the page language.
func (s Site) Description() string { return s.translated("description", s.settings().Description) }

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

// rtlLangs are the languages written right to left, by primary subtag.
var rtlLangs = map[string]bool{
	"ar": true, "fa": true, "ps": true, "ur": true, "he": true,
	"prs": true, "ckb": true, "sd": true, "ug": true, "yi": true, "dv": true, "iw": true,
}

// Dir returns "rtl" for languages written right to left, else "ltr".
func Dir(lang string) string {
	primary, _, _ := strings.Cut(strings.ToLower(lang), "-")
	if rtlLangs[primary] {
		return "rtl"
	}
	return "ltr"
}

// languageNames are autonyms for the language menu and translation lists.
var languageNames = map[string]string{
	"ar": "العربية", "az": "Azərbaycanca", "bn": "বাংলা", "de": "Deutsch", "el": "Ελληνικά",
	"en": "English", "es": "Español", "fa": "فارسی", "fa-AF": "دری", "prs": "دری", "fr": "Français",
	"he": "עברית", "hi": "हिन्दी", "hy": "Հայերեն", "id": "Bahasa Indonesia", "it": "Italiano",
	"ja": "日本語", "ka": "ქართული", "kk": "Қазақша", "ko": "한국어", "ku": "Kurdî", "ky": "Кыргызча",
	"mn": "Монгол", "nl": "Nederlands", "pl": "Polski", "ps": "پښتو", "pt": "Português",
	"ro": "Română", "ru": "Русский", "sw": "Kiswahili", "tg": "Тоҷикӣ", "tk": "Türkmençe",
	"tr": "Türkçe", "uk": "Українська", "ur": "اردو", "uz": "Oʻzbekcha", "vi": "Tiếng Việt",
	"zh": "中文", "zh-Hans": "简体中文", "zh-Hant": "繁體中文",
}

// LanguageName returns the name of lang in that language, or the tag itself.
func LanguageName(lang string) string {
	if n, ok := languageNames[lang]; ok {
		return n
	}
	if primary, _, ok := strings.Cut(lang, "-"); ok {
		if n, ok := languageNames[primary]; ok {
			return n
		}
	}
	return lang
}

// DateView is a moment shown to readers.
type DateView struct {
	ISO  string // RFC 3339, for <time datetime>
	Text string // "29 November 2026" in the site's zone
}

func (s Site) date(t time.Time) DateView {
	if t.IsZero() {
		return DateView{}
	}
	lt := t.In(s.Location())
	return DateView{ISO: lt.Format(time.RFC3339), Text: lt.Format("2 January 2006")}
}
