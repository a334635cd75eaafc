package site_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"folio/internal/content"
	"folio/internal/testutil"
)

// TestWideParts_KeyboardScroll: on a narrow screen a wide table and a long
// code line scroll sideways, and a keyboard reaches each with Tab and
// scrolls it with the arrow keys (axe's scrollable-region-focusable).
func TestWideParts_KeyboardScroll(t *testing.T) {
	ctx := testutil.Browser(t, 420, 800)
	f := newFixture(t)
	var head, row strings.Builder
	for i := range 12 {
		fmt.Fprintf(&head, "| Reservoir level %d ", i)
		fmt.Fprintf(&row, "| %d.5 million m³ ", i*7)
	}
	md := "Levels by year:\n\n" + head.String() + "|\n" + strings.Repeat("|---", 12) + "|\n" + row.String() + "|\n\n" +
		"The query:\n\n```\nSELECT reservoir, level FROM readings WHERE basin = 'Amu Darya' AND year BETWEEN 2015 AND 2025 ORDER BY level;\n```\n"
	f.publish(t, &content.Article{Language: "en", Title: "Reservoir levels", Slug: "levels", BodyMarkdown: md})
	srv := httptest.NewServer(f.cached)
	t.Cleanup(srv.Close)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/levels/"), chromedp.WaitVisible(chromedp.CSS(".table-scroll"))); err != nil {
		t.Fatal(err)
	}
	for _, sel := range []string{".prose .table-scroll", ".prose pre"} {
		label, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const e = document.querySelector("`+sel+`");
			return e.getAttribute("tabindex") + " " + e.getAttribute("role") + " " + e.getAttribute("aria-label") + " " + (e.scrollWidth > e.clientWidth); })()`))
		if err != nil {
			t.Fatal(err)
		}
		// tabindex=0 for browsers that do not focus scrollers themselves
		// (Chromium does since version 130).
		if !strings.HasPrefix(label, "0 region ") || strings.HasPrefix(label, "0 region null") || !strings.HasSuffix(label, " true") {
			t.Fatalf("%s: %q, want a focusable, named region wider than the screen", sel, label)
		}
		reached := false
		for range 80 {
			if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
				t.Fatal(err)
			}
			on, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement === document.querySelector("`+sel+`")`))
			if err != nil {
				t.Fatal(err)
			}
			if on {
				reached = true
				break
			}
		}
		if !reached {
			t.Fatalf("Tab never reached %s", sel)
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight)); err != nil {
			t.Fatal(err)
		}
		left, err := chromedp.Run(ctx, chromedp.Poll[float64](`(() => { const x = document.querySelector("`+sel+`").scrollLeft; return x > 0 ? x : null; })()`))
		if err != nil || left <= 0 {
			t.Errorf("%s did not scroll with the arrow keys (%v, %v)", sel, left, err)
		}
	}
}
