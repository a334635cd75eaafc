package site_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"folio/internal/content"
)

func TestPages_UndatedAndUnlisted(t *testing.T) {
	f := newFixture(t)
	art := f.publish(t, &content.Article{Language: "en", Title: "Harbour reopens", Slug: "harbour"})
	about := f.publish(t, &content.Article{Type: content.TypePage, Language: "en", Title: "About the Review", Slug: "about",
		Template: content.TemplateAbout, Authors: []*content.Author{}})
	team := f.publish(t, &content.Article{Type: content.TypePage, Language: "en", Title: "Masthead", Slug: "masthead",
		ParentID: about.ID, Template: content.TemplateMasthead, Authors: []*content.Author{}})

	for _, path := range []string{"/", "/feed.xml", "/atom.xml", "/feed.json", "/sitemap-news.xml"} {
		body := get(f.cached, path).Body.String()
		if !strings.Contains(body, art.Slug) {
			t.Errorf("%s does not list the article", path)
		}
		if strings.Contains(body, "/about/") || strings.Contains(body, "/masthead/") {
			t.Errorf("%s lists a page:\n%s", path, body)
		}
	}
	if body := get(f.cached, "/sitemap-1.xml").Body.String(); !strings.Contains(body, "https://review.example/about/") {
		t.Errorf("the sitemap lacks the page:\n%s", body)
	}
	w := get(f.cached, "/masthead/")
	if w.Code != http.StatusOK {
		t.Fatalf("GET /masthead/ = %d", w.Code)
	}
	page := w.Body.String()
	for _, want := range []string{`"@type":"AboutPage"`, `"BreadcrumbList"`, `<nav class="breadcrumb"`, `<a href="/about/">About the Review</a>`,
		`id="masthead-heading"`, "Leyla Hosseini"} {
		if !strings.Contains(page, want) {
			t.Errorf("masthead page lacks %s", want)
		}
	}
	if strings.Contains(page, "NewsArticle") || strings.Contains(page, `class="reading-time"`) || strings.Contains(page, "share-") {
		t.Errorf("a page is marked up or laid out as a news article:\n%s", page)
	}
	parent := get(f.cached, "/about/").Body.String()
	if !strings.Contains(parent, `<a href="/masthead/">Masthead</a>`) {
		t.Errorf("the parent page does not list its child")
	}
	// Renaming the child reaches the parent's cached page.
	team.Title = "Our people"
	if err := f.svc.System("test").UpdateArticle(context.Background(), team); err != nil {
		t.Fatal(err)
	}
	if parent := get(f.cached, "/about/").Body.String(); !strings.Contains(parent, "Our people") {
		t.Errorf("the parent page still shows the old child title")
	}
}

func TestCorrections_PageFeedAndJSONLD(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	art := f.publish(t, &content.Article{Language: "en", Title: "Dam output", Slug: "dam-output"})
	f.publish(t, &content.Article{Type: content.TypePage, Language: "en", Title: "Corrections", Slug: "corrections",
		Template: content.TemplateCorrections, Authors: []*content.Author{}})
	// Cache the pages first, so the note must invalidate them.
	for _, p := range []string{"/dam-output/", "/feed.xml", "/corrections/", "/"} {
		get(f.cached, p)
	}
	c := &content.Correction{ArticleID: art.ID, Text: "An earlier version gave the output as 2 GW; it is 1.2 GW.", Position: content.PositionTop}
	if err := f.svc.System("test").AddCorrection(ctx, c); err != nil {
		t.Fatal(err)
	}
	page := get(f.cached, "/dam-output/").Body.String()
	for _, want := range []string{`class="corrections corrections--top"`, "Correction", "it is 1.2 GW", `"CorrectionComment"`, `class="updated"`} {
		if !strings.Contains(page, want) {
			t.Errorf("article page lacks %s", want)
		}
	}
	if top, body := strings.Index(page, "corrections--top"), strings.Index(page, "article__body"); top > body {
		t.Errorf("a top note is below the body")
	}
	if feed := get(f.cached, "/feed.xml").Body.String(); !strings.Contains(feed, "it is 1.2 GW") {
		t.Errorf("the feed lacks the correction")
	}
	if log := get(f.cached, "/corrections/").Body.String(); !strings.Contains(log, `<a href="/dam-output/">Dam output</a>`) {
		t.Errorf("the corrections log lacks the note")
	}
	if home := get(f.cached, "/").Body.String(); !strings.Contains(home, `class="updated"`) {
		t.Errorf("the home card does not say Updated")
	}
	// Withdrawing it takes it everywhere off.
	if err := f.svc.System("test").DeleteCorrection(ctx, art.ID, c.ID); err != nil {
		t.Fatal(err)
	}
	if page := get(f.cached, "/dam-output/").Body.String(); strings.Contains(page, "1.2 GW") {
		t.Errorf("withdrawn correction still shown")
	}
	if err := f.svc.System("test").AddCorrection(ctx, &content.Correction{ArticleID: art.ID, Text: " ", Kind: "erratum"}); content.ErrorCode(err) != content.EINVALID {
		t.Errorf("bad note: err = %v, want invalid", err)
	}
}

func TestMenusAndBanner_TwoLanguages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	en := f.publish(t, &content.Article{Type: content.TypePage, Language: "en", Title: "About us", Slug: "about", Authors: []*content.Author{}})
	f.publish(t, &content.Article{Type: content.TypePage, Language: "fa", Title: "درباره ما", Slug: "darbare", TranslationGroup: en.ID, Authors: []*content.Author{}})
	get(f.cached, "/")
	get(f.cached, "/fa/")
	st, err := f.st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.Menus = map[string]content.Menus{
		"en": {Header: []content.MenuItem{{Label: "About us", URL: "/about/", Children: []content.MenuItem{{Label: "Masthead", URL: "/masthead/"}}}},
			Footer: []content.MenuItem{{Label: "Contact", URL: "/contact/"}}},
		"fa": {Header: []content.MenuItem{{Label: "درباره ما", URL: "/fa/darbare/"}}},
	}
	st.Banner = &content.Banner{Kind: content.BannerFundraising, Text: "Support independent reporting", URL: "/donate/",
		Start: fixedNow.Add(-time.Hour), End: fixedNow.Add(time.Hour)}
	if err := f.svc.System("test").UpdateSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	home := get(f.cached, "/").Body.String()
	for _, want := range []string{`<a href="/about/">About us</a><ul class="site-nav__sub">`, `<a href="/masthead/">Masthead</a>`,
		`class="site-footer__menu"`, `<a href="/contact/">Contact</a>`, `site-banner--fundraising`, "Support independent reporting"} {
		if !strings.Contains(home, want) {
			t.Errorf("home lacks %s", want)
		}
	}
	if fa := get(f.cached, "/fa/").Body.String(); !strings.Contains(fa, `<a href="/fa/darbare/">درباره ما</a>`) || strings.Contains(fa, "/about/\"") {
		t.Errorf("the Persian header does not carry the Persian menu")
	}
	if about := get(f.cached, "/about/").Body.String(); !strings.Contains(about, `<a href="/about/" aria-current="page">About us</a>`) {
		t.Errorf("the menu does not mark the current page")
	}
	st.Menus = map[string]content.Menus{"en": {Header: []content.MenuItem{{Label: "x", URL: "javascript:alert(1)"}}}}
	if err := f.svc.System("test").UpdateSettings(ctx, st); content.ErrorCode(err) != content.EINVALID {
		t.Errorf("a javascript: menu link: err = %v, want invalid", err)
	}
}
