package republish_test

import (
	"strings"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/republish"
	"folio/internal/testutil"
)

var now = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

func settings(license string) *content.Settings {
	st := content.DefaultSettings()
	st.Title, st.BaseURL, st.DefaultLicense = "The Meridian Review", "https://meridian.example", license
	st.CustomLicense = content.CustomLicense{Name: "Meridian reuse terms", Text: "Reuse with credit.", Republish: true}
	return &st
}

func article(license string, status content.Status) *content.Article {
	return &content.Article{ID: 7, Language: "en", Title: "Water & power", Slug: "water-power", Status: status,
		PublishedAt: now.Add(-time.Hour), License: license,
		Authors: []*content.Author{{ID: 1, Name: "Leyla Hosseini"}, {ID: 2, Name: "Omar Farid"}},
		Image:   &content.Image{URL: "/media/2026/12/dam.jpg", Alt: "The dam", Caption: "The dam at dawn", Credit: "A. Photographer"},
		BodyHTML: `<p>Read <a href="/other-piece/">the earlier piece</a> and <a href="#n1">note 1</a>.</p>` +
			`<figure><img src="/media/2026/12/chart.png" alt="Chart" srcset="/media/2026/12/chart-800.webp 800w"><figcaption>Levels</figcaption></figure>` +
			`<figure><img src="/media/2026/12/agency.jpg" alt="Agency photo"><figcaption>Agency</figcaption></figure>` +
			`<p><img src="https://elsewhere.example/x.jpg" alt="Hotlinked"></p>`}
}

// TestLicenseMatrix is which articles offer the republish tool and which
// of their images go with the copy.
func TestLicenseMatrix(t *testing.T) {
	for _, tc := range []struct {
		license string // the article's; "" takes the site default
		site    string
		status  content.Status
		access  content.Access
		offered bool
	}{
		{content.LicenseAllRights, content.LicenseAllRights, content.StatusPublished, "", false},
		{content.LicenseCommunity, content.LicenseAllRights, content.StatusPublished, "", true},
		{"", content.LicenseCommunity, content.StatusPublished, "", true},
		{"", content.LicenseAllRights, content.StatusPublished, "", false},
		{content.LicenseCCBY, content.LicenseAllRights, content.StatusPublished, "", true},
		{content.LicenseCCBYND, content.LicenseAllRights, content.StatusPublished, "", true},
		{content.LicenseCCBYNCND, content.LicenseAllRights, content.StatusPublished, "", true},
		{content.LicenseCustom, content.LicenseAllRights, content.StatusPublished, "", true}, // the site's custom terms allow it
		{"no-such-license", content.LicenseCCBY, content.StatusPublished, "", false},         // unknown never falls through to the default
		{content.LicenseCCBY, content.LicenseCCBY, content.StatusDraft, "", false},
		{content.LicenseCCBY, content.LicenseCCBY, content.StatusScheduled, "", false},
		{content.LicenseCCBY, content.LicenseCCBY, content.StatusArchived, "", false},
		{content.LicenseCCBY, content.LicenseCCBY, content.StatusPublished, content.AccessPublic, true},
		{content.LicenseCCBY, content.LicenseCCBY, content.StatusPublished, content.AccessMembers, false}, // members-only: never
		{content.LicenseCCBY, content.LicenseCCBY, content.StatusPublished, content.AccessPaid, false},
		{content.LicenseCCBY, content.LicenseCCBY, content.StatusPublished, content.AccessMembersFirst, false}, // not free yet
	} {
		name := tc.license + "/" + tc.site + "/" + string(tc.status) + "/" + string(tc.access)
		a := article(tc.license, tc.status)
		a.Access = tc.access
		if got := republish.Offered(settings(tc.site), a, now); got != tc.offered {
			t.Errorf("%s: offered = %v, want %v", name, got, tc.offered)
		}
	}

	rights := map[string]bool{"/media/2026/12/chart.png": true, "/media/2026/12/dam.jpg": true}
	for _, tc := range []struct {
		name          string
		rights        map[string]bool
		keep, drop    []string
		kept, dropped int
	}{
		{"no image may travel (the default)", nil, nil,
			[]string{"chart.png", "agency.jpg", "dam.jpg", "elsewhere.example", "<figcaption>Levels", "<figcaption>Agency"}, 0, 4},
		{"flagged images travel with their captions and credits", rights,
			[]string{"https://meridian.example/media/2026/12/chart.png", "<figcaption>Levels", "https://meridian.example/media/2026/12/dam.jpg", "(A. Photographer)"},
			[]string{"agency.jpg", "Agency</figcaption>", "elsewhere.example", "srcset", "chart-800.webp"}, 2, 2},
	} {
		c := republish.Build(settings(content.LicenseCCBYND), article("", content.StatusPublished), func(p string) bool { return tc.rights[p] })
		for _, s := range tc.keep {
			if !strings.Contains(c.HTML, s) {
				t.Errorf("%s: HTML lacks %q:\n%s", tc.name, s, c.HTML)
			}
		}
		for _, s := range tc.drop {
			if strings.Contains(c.HTML, s) {
				t.Errorf("%s: HTML has %q:\n%s", tc.name, s, c.HTML)
			}
		}
		if c.Images != tc.kept || c.Dropped != tc.dropped {
			t.Errorf("%s: kept %d dropped %d, want %d and %d", tc.name, c.Images, c.Dropped, tc.kept, tc.dropped)
		}
	}
}

func TestBuild(t *testing.T) {
	a := article("", content.StatusPublished)
	a.BodyHTML += `<script>alert(1)</script><p onclick="x()">Clean</p>`
	c := republish.Build(settings(content.LicenseCCBYND), a, nil)
	for _, want := range []string{
		`<h2>Water &amp; power</h2>`,
		`By Leyla Hosseini and Omar Farid`,
		`Copyright © Leyla Hosseini and Omar Farid, The Meridian Review, 2026`,
		`originally published by <a href="https://meridian.example/water-power/">The Meridian Review</a>`,
		`<a href="https://meridian.example/other-piece/">the earlier piece</a>`, // made absolute
		`<a rel="license" href="https://creativecommons.org/licenses/by-nd/4.0/"><strong>CC BY-ND 4.0</strong></a>`,
		`<img src="https://meridian.example/republish/7/pixel.gif" width="1" height="1" alt="" referrerpolicy="no-referrer-when-downgrade">`,
	} {
		if !strings.Contains(c.HTML, want) {
			t.Errorf("HTML lacks %s:\n%s", want, c.HTML)
		}
	}
	if strings.Contains(c.Text, "[Chart]") || strings.Contains(c.Text, "[Agency photo]") {
		t.Errorf("text names images that were left out:\n%s", c.Text)
	}
	for _, bad := range []string{"<script", "onclick", `href="#n1"`} {
		if strings.Contains(c.HTML, bad) {
			t.Errorf("HTML keeps %s", bad)
		}
	}
	if c.HeadHTML != `<link rel="canonical" href="https://meridian.example/water-power/">` {
		t.Errorf("head = %s", c.HeadHTML)
	}
	for _, want := range []string{"Water & power\n", "Copyright © Leyla Hosseini and Omar Farid", "https://meridian.example/water-power/", "Creative Commons Attribution-NoDerivatives 4.0",
		"<https://meridian.example/other-piece/>"} {
		if !strings.Contains(c.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, c.Text)
		}
	}
	vnu(t, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Republished</title>\n"+c.HeadHTML+
		"\n</head><body>\n"+c.HTML+"</body></html>\n")
}

// vnu checks page with the Nu Html Checker; it skips on a laptop without
// it and fails in CI.
func vnu(t *testing.T, page string) {
	t.Helper()
	testutil.CheckHTML(t, page)
}
