package content

import "strings"

// Notices are the texts that close every article. Each is Markdown; an empty
// one is not shown.
type Notices struct {
	NoteToReaders      string `json:"note_to_readers"`
	RepublishingPolicy string `json:"republishing_policy"`
	Disclaimer         string `json:"disclaimer"`
	FairUse            string `json:"fair_use"`
	MediaContact       string `json:"media_contact"`
	MembershipCall     string `json:"membership_call"`
}

// Settings are the publication's site-wide settings.
type Settings struct {
	Title           string   `json:"title"`
	Tagline         string   `json:"tagline"`
	Description     string   `json:"description"`
	BaseURL         string   `json:"base_url"` // absolute, no trailing slash
	DefaultLanguage string   `json:"default_language"`
	Languages       []string `json:"languages"`
	TimeZone        string   `json:"time_zone"` // IANA name used for dates shown to readers
	DefaultLicense  string   `json:"default_license"`
	// CustomLicense is what the custom license code means on this site.
	CustomLicense CustomLicense `json:"custom_license,omitzero"`
	LogoURL       string        `json:"logo_url"`
	ContactEmail  string        `json:"contact_email"`
	SocialLinks   []Link        `json:"social_links"`
	Notices       Notices       `json:"notices"`
	PerPage       int           `json:"per_page"` // articles per listing page
	// TranslateOnDemand lets a reader's request for a missing translation
	// start a machine translation (once; the result is stored and cached).
	TranslateOnDemand bool `json:"translate_on_demand,omitempty"`
	// Translations holds per-language versions of the publication's name,
	// tagline, description and notices, keyed by language then by a key of
	// TranslatableSettings ("title", "notices.disclaimer", ...).
	Translations map[string]map[string]string `json:"translations,omitempty"`
	// IndexMachineTranslations lets search engines index unreviewed machine
	// translations; by default they carry robots noindex and stay out of
	// sitemaps.
	IndexMachineTranslations bool `json:"index_machine_translations,omitempty"`
	// PublishMachineTranslations lets an unreviewed machine translation be
	// published and listed like any article. By default it is held for
	// review: made as a draft in review, and (when a reader asked for it
	// on demand) shown only at its own address, labelled and noindexed,
	// never on listings, the language's front page, feeds or sitemaps.
	PublishMachineTranslations bool `json:"publish_machine_translations,omitempty"`
	// LatinDigits shows numbers and dates in ASCII digits in every language,
	// instead of the language's own (Persian, Arabic-Indic, Bengali).
	LatinDigits bool `json:"latin_digits,omitempty"`
	// Menus are the header and footer menus, by language.
	Menus map[string]Menus `json:"menus,omitempty"`
	// Banner is the site-wide announcement strip; nil shows none.
	Banner *Banner `json:"banner,omitempty"`
}

// DefaultSettings returns the settings of a new site.
func DefaultSettings() Settings {
	return Settings{
		Title:           "Folio",
		Tagline:         "Independent analysis",
		BaseURL:         "http://localhost:8080",
		DefaultLanguage: "en",
		Languages:       []string{"en"},
		TimeZone:        "UTC",
		DefaultLicense:  LicenseAllRights,
		PerPage:         12,
	}
}

// Validate checks the settings; BaseURL loses any trailing slash.
func (s *Settings) Validate() error {
	p := Problems{}
	s.validateMenus(p)
	checkText(p, "title", s.Title, 1, 200)
	checkText(p, "tagline", s.Tagline, 0, 300)
	checkText(p, "description", s.Description, 0, 2000)
	s.BaseURL = strings.TrimRight(s.BaseURL, "/")
	if !isHTTPURL(s.BaseURL) {
		p.Add("base_url", "%q must be an absolute http(s) URL", s.BaseURL)
	}
	if !ValidLanguageTag(s.DefaultLanguage) {
		p.Add("default_language", "%q is not a language tag", s.DefaultLanguage)
	}
	for _, l := range s.Languages {
		if !ValidLanguageTag(l) {
			p.Add("languages", "%q is not a language tag", l)
		}
	}
	if !ValidTimeZone(s.TimeZone) {
		p.Add("time_zone", "%q is not an IANA time zone", s.TimeZone)
	}
	if s.DefaultLicense != "" && FindLicense(s.DefaultLicense) == nil {
		p.Add("default_license", "unknown license %q", s.DefaultLicense)
	}
	checkText(p, "custom_license.name", s.CustomLicense.Name, 0, 200)
	checkText(p, "custom_license.text", s.CustomLicense.Text, 0, 2000)
	checkURL(p, "custom_license.url", s.CustomLicense.URL, true)
	checkURL(p, "logo_url", s.LogoURL, true)
	if s.ContactEmail != "" && !looksLikeEmail(s.ContactEmail) {
		p.Add("contact_email", "%q is not an email address", s.ContactEmail)
	}
	for i, l := range s.SocialLinks {
		if !isHTTPURL(l.URL) {
			p.Add("social_links", "link %d: %q is not an http(s) URL", i+1, l.URL)
		}
	}
	if s.PerPage == 0 {
		s.PerPage = 12
	}
	if s.PerPage < 1 || s.PerPage > 100 {
		p.Add("per_page", "must be between 1 and 100")
	}
	for name, text := range map[string]string{
		"notices.note_to_readers": s.Notices.NoteToReaders, "notices.republishing_policy": s.Notices.RepublishingPolicy,
		"notices.disclaimer": s.Notices.Disclaimer, "notices.fair_use": s.Notices.FairUse,
		"notices.media_contact": s.Notices.MediaContact, "notices.membership_call": s.Notices.MembershipCall,
	} {
		checkText(p, name, text, 0, 10000)
	}
	s.validateTranslations(p)
	return p.Err("settings")
}
