package admin

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"folio/internal/content"
)

// TestSettingsTranslation_SideBySide: an admin edits the notices in Spanish
// beside the English text, starts from a machine draft (not stored), and
// saves; other languages' translations are kept; authors may not.
func TestSettingsTranslation_SideBySide(t *testing.T) {
	e := newEnv(t)
	withTranslation(t, e)
	ctx := context.Background()
	st, err := e.db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.Notices.Disclaimer = "Views are the authors' own."
	st.Translations = map[string]map[string]string{"fa": {"tagline": "تحلیل مستقل"}}
	if err := e.svc.System("test").UpdateSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	b := e.login(e.users[content.RoleAdmin])
	_, body := b.get("/admin/settings/translations/es")
	mustContain(t, body, `readonly dir="ltr">Views are the authors&#39; own.</textarea>`, `name="notices.disclaimer" lang="es"`)

	resp, body := b.post("/admin/settings/translations/es", url.Values{"draft": {"1"}, "tagline": {"Análisis"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("draft: status %d", resp.StatusCode)
	}
	mustContain(t, body, "ES Views are the authors", `value="Análisis"`, "Machine draft")
	if got, _ := e.db.Settings(ctx); got.Translations["es"] != nil {
		t.Fatal("a machine draft was stored before anyone saved it")
	}

	resp, _ = b.post("/admin/settings/translations/es", url.Values{"tagline": {"Análisis"}, "notices.disclaimer": {"Las opiniones son de sus autores."}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d", resp.StatusCode)
	}
	got, err := e.db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Translations["es"]["notices.disclaimer"] != "Las opiniones son de sus autores." || got.Translations["fa"]["tagline"] != "تحلیل مستقل" {
		t.Fatalf("translations = %v", got.Translations)
	}
	if text, lang := got.Localized("es", "notices.disclaimer"); lang != "es" || !strings.HasPrefix(text, "Las opiniones") {
		t.Fatalf("Localized = %q (%s)", text, lang)
	}
	resp, _ = e.login(e.users[content.RoleAuthor]).get("/admin/settings/translations/es")
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("author: status %d, want 403", resp.StatusCode)
	}
}
