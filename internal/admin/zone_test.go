package admin

import (
	"context"
	"strings"
	"testing"
	"time"

	"folio/internal/content"
)

// TestAdminTimes_SiteZone: the admin shows times in the site's time zone
// (Europe/Berlin here), named, not in UTC, and follows a change of zone.
func TestAdminTimes_SiteZone(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := e.svc.System("test").PutRedirect(ctx, &content.Redirect{From: "/old/", To: "/new/", Status: 301}); err != nil {
		t.Fatal(err)
	}
	rd, err := e.db.FindRedirect(ctx, "/old/")
	if err != nil {
		t.Fatal(err)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	b := e.login(e.users[content.RoleEditor])
	_, body := b.get("/admin/redirects")
	want := rd.CreatedAt.In(berlin).Format("2006-01-02 15:04 MST")
	if !strings.Contains(body, want) || strings.Contains(body, rd.CreatedAt.UTC().Format("2006-01-02 15:04 UTC")) {
		t.Fatalf("redirects page lacks %q (Berlin time) or still shows UTC", want)
	}

	st, err := e.db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cp := *st
	cp.TimeZone = "Asia/Kabul"
	if err := e.svc.System("test").UpdateSettings(ctx, &cp); err != nil {
		t.Fatal(err)
	}
	kabul, _ := time.LoadLocation("Asia/Kabul")
	// html/template writes the offset's + as &#43;.
	kabulTime := strings.ReplaceAll(rd.CreatedAt.In(kabul).Format("2006-01-02 15:04 MST"), "+", "&#43;")
	if _, body = b.get("/admin/redirects"); !strings.Contains(body, kabulTime) {
		t.Errorf("after the zone changed to Kabul the page lacks %q", kabulTime)
	}
}

func TestFormatTime(t *testing.T) {
	at := time.Date(2026, 7, 1, 10, 30, 0, 0, time.UTC)
	kabul, _ := time.LoadLocation("Asia/Kabul")
	berlin, _ := time.LoadLocation("Europe/Berlin")
	for loc, want := range map[*time.Location]string{time.UTC: "2026-07-01 10:30 UTC", berlin: "2026-07-01 12:30 CEST", kabul: "2026-07-01 15:00 +0430"} {
		if got := formatTime(at, loc); got != want {
			t.Errorf("%s: %q, want %q", loc, got, want)
		}
	}
}
