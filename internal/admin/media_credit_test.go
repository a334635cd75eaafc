package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"folio/internal/content"
)

// TestMediaSave_CreditType checks the media form's credit type: stored
// through the editorial service when it is one of the four, refused with
// the field named otherwise, the record unchanged.
func TestMediaSave_CreditType(t *testing.T) {
	e := newEnv(t)
	b := e.login(e.users[content.RoleEditor])
	m, err := e.svc.System("test").SaveMedia(context.Background(), e.admin.cfg.Media, "map.png", strings.NewReader(string(pngBytes(t))), mediaMeta("A map"))
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/admin/media/%d", m.ID)
	form := url.Values{"alt": {"A map of the basin"}, "credit": {"Data desk"}, "credit_type": {"chart"}}
	if resp, _ := b.post(path, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	got, err := e.db.FindMediaByID(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.CreditType != content.CreditChart || got.Alt != "A map of the basin" {
		t.Fatalf("stored %+v", got)
	}
	if _, body := b.get(path); !strings.Contains(body, `<option value="chart" selected>`) {
		t.Error("the form does not show the stored credit type")
	}
	form.Set("credit_type", "painting")
	form.Set("alt", "changed")
	resp, body := b.post(path, form)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "&#34;painting&#34; is not one of photo, illustration, chart, video") {
		t.Fatalf("bad credit type: %d %s", resp.StatusCode, body)
	}
	if got, _ := e.db.FindMediaByID(context.Background(), m.ID); got.CreditType != content.CreditChart || got.Alt != "A map of the basin" {
		t.Fatalf("a refused save changed the record: %+v", got)
	}
}
