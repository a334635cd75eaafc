package admin

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"folio/internal/content"
)

// TestSettings_BaseURLFlag: started with --base-url, the settings page
// shows that address read-only and says the stored one is not used, and a
// save keeps the stored value whatever the form carries.
func TestSettings_BaseURLFlag(t *testing.T) {
	e := newEnv(t)
	e.admin.cfg.BaseURL = "https://news.example/"
	b := e.login(e.users[content.RoleAdmin])
	stored := e.srv.URL
	_, body := b.get("/admin/settings")
	mustContain(t, body, `value="https://news.example" readonly`, "set by <code>--base-url</code>", "The stored value, <code>"+stored+"</code>")
	r, body := b.post("/admin/settings", url.Values{"title": {"Renamed"}, "base_url": {"https://elsewhere.example"}, "default_language": {"en"},
		"languages": {"en"}, "time_zone": {"UTC"}, "default_license": {content.LicenseAllRights}, "per_page": {"10"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.StatusCode, body)
	}
	st, err := e.db.Settings(context.Background())
	if err != nil || st.Title != "Renamed" || st.BaseURL != stored {
		t.Fatalf("stored %q %q (%v), want the title saved and the base URL kept as %q", st.Title, st.BaseURL, err, stored)
	}

	e.admin.cfg.BaseURL = ""
	_, body = b.get("/admin/settings")
	mustContain(t, body, `name="base_url" value="`+stored+`"`)
}
