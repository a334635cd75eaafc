package api

import (
	"net/http"

	"folio/internal/content"
)

// settingsOutput never shows null for lists.
type settingsOutput struct {
	*content.Settings
}

func writeSettings(w http.ResponseWriter, s *content.Settings) {
	if s.Languages == nil {
		s.Languages = []string{}
	}
	if s.SocialLinks == nil {
		s.SocialLinks = []content.Link{}
	}
	writeJSON(w, http.StatusOK, settingsOutput{s})
}

func (a *API) handleSettingsShow(w http.ResponseWriter, r *http.Request) error {
	s, err := a.settings(r.Context())
	if err != nil {
		return err
	}
	writeSettings(w, s)
	return nil
}

// handleSettingsPut replaces every setting: absent fields become empty, so
// required ones fail validation.
func (a *API) handleSettingsPut(w http.ResponseWriter, r *http.Request) error {
	raw, err := a.readBody(w, r, false)
	if err != nil {
		return err
	}
	var s content.Settings
	if err := decodeInto(raw, &s); err != nil {
		return err
	}
	return a.saveSettings(w, r, &s)
}

// handleSettingsPatch changes the settings present in the body; nested
// objects such as notices merge, lists and maps are replaced.
func (a *API) handleSettingsPatch(w http.ResponseWriter, r *http.Request) error {
	raw, err := a.readBody(w, r, false)
	if err != nil {
		return err
	}
	s, err := a.store.Settings(r.Context())
	if err != nil {
		return err
	}
	if err := decodeInto(raw, s); err != nil {
		return err
	}
	return a.saveSettings(w, r, s)
}

func (a *API) saveSettings(w http.ResponseWriter, r *http.Request, s *content.Settings) error {
	if err := a.ed().UpdateSettings(r.Context(), s); err != nil {
		return err
	}
	if a.baseURL != "" {
		s.BaseURL = a.baseURL // what the site uses, as GET shows it
	}
	writeSettings(w, s)
	return nil
}
