package admin

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

func TestRepublishDashboard(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.article(e.users[content.RoleEditor], content.StatusPublished)
	day := e.clock.now().UTC().Truncate(24 * time.Hour)
	if err := e.db.RecordRepublishViews(ctx, []store.RepublishView{
		{ArticleID: a.ID, Domain: "blog.example", Page: "https://blog.example/post", Day: day, Views: 3},
		{ArticleID: a.ID, Domain: "=cmd.example", Page: "", Day: day, Views: 1},
	}); err != nil {
		t.Fatal(err)
	}

	// Contributors see none of it.
	if res, _ := e.login(e.users[content.RoleContributor]).get("/admin/republish"); res.StatusCode != 403 {
		t.Errorf("contributor: %d, want 403", res.StatusCode)
	}
	// Editors see the counts and the CSV, and manage nothing.
	ed := e.login(e.users[content.RoleEditor])
	_, body := ed.get("/admin/republish")
	mustContain(t, body, "blog.example", "https://blog.example/post", a.Title)
	if strings.Contains(body, "New webhook") {
		t.Error("an editor is offered webhooks")
	}
	res, csv := ed.get("/admin/republish/export.csv")
	if res.Header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.Contains(csv, "blog.example,https://blog.example/post,3") ||
		!strings.Contains(csv, ",'=cmd.example,") {
		t.Errorf("csv %q:\n%s", res.Header.Get("Content-Type"), csv)
	}
	if res, _ := ed.post("/admin/republish/partners", url.Values{"name": {"Ledger"}}); res.StatusCode != 403 {
		t.Errorf("editor creating a partner: %d, want 403", res.StatusCode)
	}

	adm := e.login(e.users[content.RoleAdmin])
	_, body = adm.post("/admin/republish/partners", url.Values{"name": {"Daily Ledger"}})
	mustContain(t, body, "/syndication/feed.xml?token=", "Daily Ledger")
	if _, again := adm.get("/admin/republish"); strings.Contains(again, "feed.xml?token=") {
		t.Error("the partner's token is shown twice")
	}
	if res, _ := adm.post("/admin/republish/domains", url.Values{"domain": {"Spam.Example"}, "rule": {"block"}}); res.StatusCode != 303 {
		t.Errorf("domain rule: %d, want 303", res.StatusCode)
	}
	_, body = adm.get("/admin/republish")
	mustContain(t, body, "spam.example")
	if res, body := adm.post("/admin/republish/domains", url.Values{"domain": {"not a domain"}, "rule": {"block"}}); res.StatusCode != 422 ||
		!strings.Contains(body, "is not a domain name") {
		t.Errorf("bad domain: %d", res.StatusCode)
	}
	_, body = adm.post("/admin/republish/webhooks", url.Values{"url": {"https://hooks.example.org/in"}, "events": {"article.published"}})
	mustContain(t, body, "whsec_", "https://hooks.example.org/in")
	if res, body := adm.post("/admin/republish/webhooks", url.Values{"url": {"https://hooks.example.org/in"}}); res.StatusCode != 422 ||
		!strings.Contains(body, "name at least one") {
		t.Errorf("webhook without events: %d", res.StatusCode)
	}
	if res, _ := adm.post("/admin/republish/releases", url.Values{"article": {"x"}}); res.StatusCode != 422 {
		t.Errorf("bad release: %d", res.StatusCode)
	}
	if res, _ := adm.post("/admin/republish/partners", url.Values{"name": {"x"}, "_csrf": {"wrong"}}); res.StatusCode != 403 {
		t.Errorf("bad CSRF token: %d", res.StatusCode)
	}
}
