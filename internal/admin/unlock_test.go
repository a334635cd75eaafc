package admin

import (
	"net/http"
	"net/url"
	"testing"
)

func TestUnlockPage(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	resp, body := b.get("/admin/unlock?token=abc")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET status %d", resp.StatusCode)
	}
	// The link only shows a button: fetching it (as mail scanners do)
	// must not spend the token.
	mustContain(t, body, `action="/admin/unlock"`, `name="token" value="abc"`)
	resp, body = b.post("/admin/unlock", url.Values{"token": {"abc"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("POST with a bad token: status %d", resp.StatusCode)
	}
	mustContain(t, body, "This link is invalid, already used or expired.")
	resp, _ = b.post("/admin/unlock", url.Values{"token": {"abc"}, "_csrf": {""}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("POST without CSRF: status %d", resp.StatusCode)
	}
}
