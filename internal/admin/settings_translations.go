package admin

import (
	"net/http"
	"strings"

	"folio/internal/content"
	"folio/internal/i18n"
)

// SettingsTranslationView edits the publication's name, tagline,
// description and notices in one language beside the default-language
// text, optionally starting from a machine draft.
type SettingsTranslationView struct {
	Base
	Lang, LangName, Dir string
	SourceDir           string
	Items               []SettingsTranslationField
	Languages           []string // every interface language, for the picker
	CanDraft            bool     // a provider is configured for a machine draft
}

// SettingsTranslationField is one translatable setting, side by side.
type SettingsTranslationField struct {
	Key, Label, Source, Text string
	Multiline                bool
}

var settingsLabels = map[string]string{
	"title": "Publication name", "tagline": "Tagline", "description": "Description",
	"notices.note_to_readers": "Note to readers", "notices.republishing_policy": "Republishing policy",
	"notices.disclaimer": "Disclaimer", "notices.fair_use": "Fair use",
	"notices.media_contact": "Media contact", "notices.membership_call": "Membership call",
}

func (a *Admin) settingsTranslationView(st *content.Settings, lang string, texts map[string]string) *SettingsTranslationView {
	v := &SettingsTranslationView{Base: Base{Title: "Settings in " + i18n.NativeName(lang)}, Lang: lang,
		LangName: i18n.NativeName(lang), Dir: i18n.Dir(lang), SourceDir: i18n.Dir(st.DefaultLanguage),
		Languages: i18n.Tags(), CanDraft: a.cfg.Translate != nil}
	for _, k := range content.TranslatableSettings {
		src, _ := st.SettingsField(k)
		v.Items = append(v.Items, SettingsTranslationField{Key: k, Label: settingsLabels[k], Source: src,
			Text: texts[k], Multiline: k != "title" && k != "tagline"})
	}
	return v
}

func (a *Admin) settingsLang(r *http.Request) (*content.Settings, string, error) {
	if !a.editor(r).Can(content.ActManageSettings) {
		return nil, "", content.Errorf(content.EFORBIDDEN, "your role may not change the site settings")
	}
	lang := r.PathValue("lang")
	if !content.ValidLanguageTag(lang) {
		return nil, "", content.Errorf(content.ENOTFOUND, "%q is not a language tag", lang)
	}
	st, err := a.st.Settings(r.Context())
	return st, lang, err
}

func (a *Admin) handleSettingsTranslation(w http.ResponseWriter, r *http.Request) error {
	st, lang, err := a.settingsLang(r)
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "settings_translation", a.settingsTranslationView(st, lang, st.Translations[lang]))
}

// handleSettingsTranslationSave stores the translations of one language, or
// (button "draft") shows the form again with empty fields filled by
// machine translation, for a person to check before saving.
func (a *Admin) handleSettingsTranslationSave(w http.ResponseWriter, r *http.Request) error {
	st, lang, err := a.settingsLang(r)
	if err != nil {
		return err
	}
	texts := map[string]string{}
	for _, k := range content.TranslatableSettings {
		if v := strings.TrimSpace(r.PostFormValue(k)); v != "" {
			texts[k] = v
		}
	}
	if r.PostFormValue("draft") != "" {
		v := a.settingsTranslationView(st, lang, texts)
		if a.cfg.Translate == nil {
			v.Error = "Machine translation is not set up on this site."
			return a.render(w, r, http.StatusUnprocessableEntity, "settings_translation", v)
		}
		missing := map[string]string{}
		for _, f := range v.Items {
			if f.Text == "" {
				missing[f.Key] = f.Source
			}
		}
		drafts, err := a.cfg.Translate.DraftTexts(r.Context(), st.DefaultLanguage, lang, missing)
		if err != nil {
			if !userError(err) {
				return err
			}
			v.Error = content.ErrorMessage(err)
			return a.render(w, r, statusOf(err), "settings_translation", v)
		}
		for i := range v.Items {
			if d := drafts[v.Items[i].Key]; d != "" {
				v.Items[i].Text = d
			}
		}
		v.Flash = "Machine draft: check every field before saving."
		return a.render(w, r, http.StatusOK, "settings_translation", v)
	}
	s := *st
	s.Translations = map[string]map[string]string{}
	for l, m := range st.Translations {
		if l != lang {
			s.Translations[l] = m
		}
	}
	if len(texts) > 0 {
		s.Translations[lang] = texts
	}
	if err := a.editor(r).UpdateSettings(r.Context(), &s); err != nil {
		if !userError(err) {
			return err
		}
		v := a.settingsTranslationView(st, lang, texts)
		v.Error, v.Fields = content.ErrorMessage(err), fieldsOf(err)
		return a.render(w, r, statusOf(err), "settings_translation", v)
	}
	a.audit(r, "settings.update", "settings", 0, "updated the site settings in "+lang)
	return seeOther(w, r, "/admin/settings/translations/"+lang+"?done=saved")
}
