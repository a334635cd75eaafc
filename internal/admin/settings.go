package admin

import (
	"net/http"
	"strings"

	"folio/internal/content"
)

// SettingsView is the site settings form.
type SettingsView struct {
	Base
	S         *content.Settings
	Languages string // comma-separated
	Social    string // one "Name | URL" per line
	Licenses  []content.License
	// BaseURLFlag is the base URL the server was started with
	// (--base-url), which wins over the stored one; empty when not set.
	BaseURLFlag string
}

func (a *Admin) handleSettings(w http.ResponseWriter, r *http.Request) error {
	if !a.editor(r).Can(content.ActManageSettings) {
		return content.Errorf(content.EFORBIDDEN, "your role may not change the site settings")
	}
	st, err := a.st.Settings(r.Context())
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "settings", &SettingsView{Base: Base{Title: "Settings"}, S: st,
		Languages: strings.Join(st.Languages, ", "), Social: formatLinks(st.SocialLinks), Licenses: content.Licenses,
		BaseURLFlag: a.baseURLFlag()})
}

// baseURLFlag is Config.BaseURL without its trailing slash.
func (a *Admin) baseURLFlag() string { return strings.TrimRight(a.cfg.BaseURL, "/") }

func (a *Admin) handleSettingsSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	st, err := a.st.Settings(ctx)
	if err != nil {
		return err
	}
	s := *st // keeps what the form does not show (translations)
	f := r.PostFormValue
	s.Title, s.Tagline, s.Description = strings.TrimSpace(f("title")), strings.TrimSpace(f("tagline")), f("description")
	s.DefaultLanguage, s.TimeZone = strings.TrimSpace(f("default_language")), strings.TrimSpace(f("time_zone"))
	if a.baseURLFlag() == "" {
		// With --base-url the field is shown read-only and not sent: the
		// stored value stays as it was.
		s.BaseURL = strings.TrimSpace(f("base_url"))
	}
	s.DefaultLicense, s.LogoURL, s.ContactEmail = f("default_license"), strings.TrimSpace(f("logo_url")), strings.TrimSpace(f("contact_email"))
	s.PerPage = formInt(r, "per_page")
	if _, ok := r.PostForm["custom_license_name"]; ok {
		s.CustomLicense = content.CustomLicense{Name: strings.TrimSpace(f("custom_license_name")), Text: strings.TrimSpace(f("custom_license_text")),
			URL: strings.TrimSpace(f("custom_license_url")), Republish: f("custom_license_republish") == "1",
			Changes: f("custom_license_changes") == "1", Commercial: f("custom_license_commercial") == "1"}
	}
	s.Languages = nil
	for _, l := range strings.Split(f("languages"), ",") {
		if l = strings.TrimSpace(l); l != "" {
			s.Languages = append(s.Languages, l)
		}
	}
	s.SocialLinks = parseLinks(f("social_links"))
	s.LatinDigits, s.TranslateOnDemand = f("latin_digits") != "", f("translate_on_demand") != ""
	s.PublishMachineTranslations = f("publish_machine_translations") != ""
	s.Notices = content.Notices{NoteToReaders: f("note_to_readers"), RepublishingPolicy: f("republishing_policy"),
		Disclaimer: f("disclaimer"), FairUse: f("fair_use"), MediaContact: f("media_contact"), MembershipCall: f("membership_call")}
	if err := a.editor(r).UpdateSettings(ctx, &s); err != nil {
		if !userError(err) {
			return err
		}
		v := &SettingsView{Base: Base{Title: "Settings", Error: content.ErrorMessage(err), Fields: fieldsOf(err)}, S: &s,
			Languages: f("languages"), Social: f("social_links"), Licenses: content.Licenses, BaseURLFlag: a.baseURLFlag()}
		return a.render(w, r, statusOf(err), "settings", v)
	}
	a.audit(r, "settings.update", "settings", 0, "updated site settings")
	return seeOther(w, r, "/admin/settings?done=saved")
}
