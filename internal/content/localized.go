package content

import "fmt"

// Settings fields that Settings.Translations may override per language, by
// the key used in that map.
var TranslatableSettings = []string{
	"title", "tagline", "description",
	"notices.note_to_readers", "notices.republishing_policy", "notices.disclaimer",
	"notices.fair_use", "notices.media_contact", "notices.membership_call",
	"banner.text",
}

// SettingsField returns the default-language value of a translatable field
// (a key of TranslatableSettings), and false for any other key.
func (s *Settings) SettingsField(key string) (string, bool) {
	switch key {
	case "title":
		return s.Title, true
	case "tagline":
		return s.Tagline, true
	case "description":
		return s.Description, true
	case "notices.note_to_readers":
		return s.Notices.NoteToReaders, true
	case "notices.republishing_policy":
		return s.Notices.RepublishingPolicy, true
	case "notices.disclaimer":
		return s.Notices.Disclaimer, true
	case "notices.fair_use":
		return s.Notices.FairUse, true
	case "notices.media_contact":
		return s.Notices.MediaContact, true
	case "notices.membership_call":
		return s.Notices.MembershipCall, true
	case "banner.text":
		if s.Banner == nil {
			return "", true
		}
		return s.Banner.Text, true
	}
	return "", false
}

// Localized returns field (a key of TranslatableSettings) in lang and the
// language the returned text is in: the translation when there is one, else
// the default-language text with DefaultLanguage, so pages can mark a
// fallback with its own lang and dir.
func (s *Settings) Localized(lang, field string) (text, textLang string) {
	if v := s.Translations[lang][field]; v != "" {
		return v, lang
	}
	// Older settings stored the three site fields capitalised.
	if v := s.Translations[lang][legacyKeys[field]]; v != "" {
		return v, lang
	}
	v, _ := s.SettingsField(field)
	return v, s.DefaultLanguage
}

func (s *Settings) validateTranslations(p Problems) {
	for lang, fields := range s.Translations {
		if !ValidLanguageTag(lang) {
			p.Add("translations", "%q is not a language tag", lang)
			continue
		}
		for k, v := range fields {
			name := fmt.Sprintf("translations.%s.%s", lang, k)
			if _, ok := s.SettingsField(k); !ok && !legacySettingsKey(k) {
				p.Add(name, "is not a translatable setting (one of %v)", TranslatableSettings)
				continue
			}
			checkText(p, name, v, 0, 10000)
		}
	}
}

var legacyKeys = map[string]string{"title": "Title", "tagline": "Tagline", "description": "Description"}

func legacySettingsKey(k string) bool { return k == "Title" || k == "Tagline" || k == "Description" }

// AuthorText is an author's name and bio in one language. The name is a
// transliteration ("Ана Лопес" for Ana López); empty fields fall back to
// the author's own.
type AuthorText struct {
	Name string `json:"name,omitempty"`
	Bio  string `json:"bio,omitempty"`
}

// NameIn returns the author's name in lang (a transliteration when one is
// stored), and the language of the returned text ("" when it is the
// author's own, whose script the name is stored in).
func (a *Author) NameIn(lang string) (name, textLang string) {
	if t := a.Translations[lang]; t.Name != "" {
		return t.Name, lang
	}
	return a.Name, ""
}

// BioIn returns the author's bio in lang and whether it is a translation;
// otherwise the stored bio, which is in the site's default language.
func (a *Author) BioIn(lang string) (string, bool) {
	if t := a.Translations[lang]; t.Bio != "" {
		return t.Bio, true
	}
	return a.Bio, false
}

func validateAuthorTexts(p Problems, m map[string]AuthorText) {
	for lang, t := range m {
		if !ValidLanguageTag(lang) {
			p.Add("translations", "%q is not a language tag", lang)
			continue
		}
		checkText(p, "translations."+lang+".name", t.Name, 0, 200)
		checkText(p, "translations."+lang+".bio", t.Bio, 0, 5000)
	}
}

// DescriptionIn returns the term's description in lang and whether it is a
// translation; otherwise the stored description (default language).
func (t *Term) DescriptionIn(lang string) (string, bool) {
	if d := t.Descriptions[lang]; d != "" {
		return d, true
	}
	return t.Description, false
}

func validateTermDescriptions(p Problems, m map[string]string) {
	for lang, d := range m {
		if !ValidLanguageTag(lang) {
			p.Add("descriptions", "%q is not a language tag", lang)
			continue
		}
		checkText(p, "descriptions."+lang, d, 0, 5000)
	}
}
