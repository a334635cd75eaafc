package admin

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"folio/internal/content"
)

// TestBrowser_PageInHeaderMenuTwoLanguages: in the admin a page is written
// in English and in Persian, each is put in its language's header menu, and
// the public header of each language links to its page, which opens.
func TestBrowser_PageInHeaderMenuTwoLanguages(t *testing.T) {
	e := newEnv(t)
	st, err := e.db.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st.Languages = []string{"en", "fa"}
	if err := e.svc.System("test").UpdateSettings(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	// Menus are the admin's; pages anyone who writes may make.
	signIn(t, ctx, e, e.users[content.RoleAdmin])
	for _, p := range []struct{ lang, title, body string }{
		{"en", "Our ethics code", "We correct our mistakes in the open."},
		{"fa", "اصول اخلاقی ما", "خطاهایمان را آشکارا اصلاح می‌کنیم."},
	} {
		err := chromedp.Do(ctx,
			chromedp.Navigate(e.srv.URL+"/admin/pages/new"),
			chromedp.SendKeys(chromedp.CSS("#title"), p.title),
			chromedp.SetValue(chromedp.CSS("#slug"), "ethics"),
			chromedp.SetValue(chromedp.CSS("#body"), p.body),
			chromedp.SetValue(chromedp.CSS("#language"), p.lang),
			chromedp.Click(chromedp.CSS(`button[value=publish]`)),
			chromedp.WaitVisible(chromedp.CSS(`a[href$="/revisions"]`)),
		)
		if err != nil {
			t.Fatalf("%s page: %v", p.lang, err)
		}
		if f := text(t, ctx, ".flash"); f != "Published." {
			t.Fatalf("%s page: after publish %q", p.lang, f)
		}
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/admin/menus"),
		chromedp.SetValue(chromedp.CSS("#header_en"), "Ethics | /ethics/"),
		chromedp.SetValue(chromedp.CSS("#header_fa"), "اخلاق | /fa/ethics/"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/menus"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ home, label, href, h1 string }{
		{"/", "Ethics", "/ethics/", "Our ethics code"},
		{"/fa/", "اخلاق", "/fa/ethics/", "اصول اخلاقی ما"},
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+c.home)); err != nil {
			t.Fatal(err)
		}
		links := eval[[]string](t, ctx, `[...document.querySelectorAll("header nav a")].map(a => a.textContent.trim() + " " + a.getAttribute("href"))`)
		found := false
		for _, l := range links {
			found = found || l == c.label+" "+c.href
		}
		if !found {
			t.Fatalf("header of %s lacks %q → %s: %q", c.home, c.label, c.href, links)
		}
		err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`header nav a[href="`+c.href+`"]`)), chromedp.WaitVisible(chromedp.CSS("h1")))
		if err != nil {
			t.Fatal(err)
		}
		afterNavigation(t, ctx, `location.pathname === "`+c.href+`"`)
		if h := strings.TrimSpace(text(t, ctx, "h1")); h != c.h1 {
			t.Errorf("%s opens a page titled %q, want %q", c.href, h, c.h1)
		}
		if cur := eval[string](t, ctx, `(document.querySelector('header nav a[aria-current="page"]') || {}).textContent || ""`); strings.TrimSpace(cur) != c.label {
			t.Errorf("on %s the header marks %q as the current page, want %q", c.href, cur, c.label)
		}
	}
}
