package republish_test

import (
	"fmt"
	"strings"
	"testing"

	"folio/internal/content"
	"folio/internal/republish"
)

// TestLicenseMatrix_Crossed crosses every kind of license with the
// article's access and the featured image's own flag: the tool is offered
// only for a public article whose license lets community sites cross-post
// it, and the image goes with the copy only when its record allows it.
// Every copy made is checked by the Nu Html Checker (all in one page, as a
// republisher might paste several).
func TestLicenseMatrix_Crossed(t *testing.T) {
	licenses := []struct {
		name, code        string
		customRepublish   bool // the site's custom terms, for "custom"
		offered           bool // for a public article
		changes, commerce bool
		badge             string
	}{
		{"all rights reserved", content.LicenseAllRights, false, false, false, false, ""},
		{"community cross-post", content.LicenseCommunity, false, true, false, false, "Community cross-post"},
		{"CC BY", content.LicenseCCBY, false, true, true, true, "CC BY 4.0"},
		{"CC BY-ND", content.LicenseCCBYND, false, true, false, true, "CC BY-ND 4.0"},
		{"CC BY-NC-ND", content.LicenseCCBYNCND, false, true, false, false, "CC BY-NC-ND 4.0"},
		{"custom terms that allow it", content.LicenseCustom, true, true, false, false, "Meridian reuse terms"},
		{"custom terms that do not", content.LicenseCustom, false, false, false, false, ""},
	}
	accesses := []struct {
		name   string
		access content.Access
		public bool
	}{
		{"public", content.AccessPublic, true},
		{"members-only", content.AccessMembers, false},
	}
	var page strings.Builder
	copies := 0
	for _, lc := range licenses {
		for _, ac := range accesses {
			for _, flag := range []bool{true, false} {
				name := fmt.Sprintf("%s/%s/image may be republished=%v", lc.name, ac.name, flag)
				st := settings(content.LicenseAllRights)
				st.CustomLicense.Republish = lc.customRepublish
				a := article(lc.code, content.StatusPublished)
				a.Access = ac.access
				a.BodyHTML = `<p>Read <a href="/other-piece/">the earlier piece</a>.</p>`
				wantOffered := lc.offered && ac.public
				if got := republish.Offered(st, a, now); got != wantOffered {
					t.Errorf("%s: offered = %v, want %v", name, got, wantOffered)
				}
				if !wantOffered {
					continue
				}
				c := republish.Build(st, a, func(p string) bool { return flag && p == "/media/2026/12/dam.jpg" })
				img := strings.Contains(c.HTML, `<img src="https://meridian.example/media/2026/12/dam.jpg"`)
				if img != flag || (c.Images == 1) != flag || (c.Dropped == 1) == flag {
					t.Errorf("%s: image in copy = %v (kept %d, dropped %d), want %v", name, img, c.Images, c.Dropped, flag)
				}
				if strings.Contains(c.Text, "The dam") != flag {
					t.Errorf("%s: the text variant and the image flag disagree:\n%s", name, c.Text)
				}
				if c.Changes != lc.changes || c.Commerce != lc.commerce {
					t.Errorf("%s: changes %v commerce %v, want %v %v", name, c.Changes, c.Commerce, lc.changes, lc.commerce)
				}
				if !strings.Contains(c.HTML, lc.badge) || !strings.Contains(c.HTML, "/republish/7/pixel.gif") ||
					!strings.Contains(c.HTML, `href="https://meridian.example/other-piece/"`) {
					t.Errorf("%s: copy lacks its badge %q, pixel or absolute link:\n%s", name, lc.badge, c.HTML)
				}
				copies++
				page.WriteString(c.HTML)
			}
		}
	}
	if copies != 10 { // five licenses that allow it × public × two image flags
		t.Errorf("%d copies made, want 10", copies)
	}
	vnu(t, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Republished</title></head><body>\n"+
		page.String()+"</body></html>\n")
}
