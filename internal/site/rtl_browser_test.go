package site_test

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"folio/internal/content"
	"folio/internal/testutil"
)

// TestRTLArticle_Browser renders a Persian article in headless Chromium and
// checks the computed layout: the body runs right to left and the byline
// sits on the right. A screenshot is kept in $FOLIO_TEST_ARTIFACTS.
func TestRTLArticle_Browser(t *testing.T) {
	ctx := testutil.Browser(t, 1200, 900)
	f := newFixture(t)
	f.publish(t, &content.Article{Language: "fa", Title: "سیاست آب در آمودریا", Slug: "siasat-ab",
		Deck:         "کانال قوش‌تپه و آیندهٔ کشاورزی در پایین‌دست",
		BodyMarkdown: "افغانستان کانال قوش‌تپه را در سال ۲۰۲۲ آغاز کرد. این کانال ۲۸۵ کیلومتر طول دارد و آب آمودریا را به شمال می‌برد.\n\nکشاورزان ازبکستان و ترکمنستان نگران‌اند.",
		Authors:      f.authors[:2]})
	srv := httptest.NewServer(f.cached)
	t.Cleanup(srv.Close)

	type box struct{ Left, Right, Width float64 }
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/fa/siasat-ab/"),
		chromedp.WaitVisible(chromedp.CSS(".article__body")),
	); err != nil {
		t.Fatalf("browser: %v", err)
	}
	evaluate := func(js string, out any) {
		t.Helper()
		var err error
		switch p := out.(type) {
		case *string:
			*p, err = chromedp.Run(ctx, chromedp.Evaluate[string](js))
		case *box:
			*p, err = chromedp.Run(ctx, chromedp.Evaluate[box](js))
		}
		if err != nil {
			t.Fatalf("evaluate %s: %v", js, err)
		}
	}
	var dir, htmlDir string
	var byline box
	evaluate(`getComputedStyle(document.querySelector('.article__body')).direction`, &dir)
	evaluate(`document.documentElement.dir`, &htmlDir)
	evaluate(`(() => { const r = document.querySelector('.article__meta .byline').getBoundingClientRect();
		return {Left: r.left, Right: r.right, Width: document.documentElement.clientWidth}; })()`, &byline)
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if dir != "rtl" || htmlDir != "rtl" {
		t.Errorf("direction = %q, html dir = %q; want rtl", dir, htmlDir)
	}
	// The byline starts at the inline start, which is the right in RTL.
	if byline.Right <= byline.Width/2 || byline.Width-byline.Right > byline.Left {
		t.Errorf("byline is not on the right: left %.0f, right %.0f, viewport %.0f", byline.Left, byline.Right, byline.Width)
	}
	out := os.Getenv("FOLIO_TEST_ARTIFACTS")
	if out == "" {
		out = t.TempDir()
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(out, "rtl-article-fa.jpg")
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}
