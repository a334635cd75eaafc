package main

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"folio/internal/testutil"
)

// TestDemo_AxeEveryPageKind runs axe-core's WCAG 2.x A and AA rules in
// headless Chromium on one page of every public kind the demo serves, the
// reader pages and the republish tool included, in a left-to-right and a
// right-to-left language, on a desktop and a phone screen (target sizes
// and reflow differ); no rule may be broken.
func TestDemo_AxeEveryPageKind(t *testing.T) {
	ts := startServer(t, t.TempDir(), "--demo")
	for _, width := range []int{1280, 390} {
		t.Run(fmt.Sprint(width), func(t *testing.T) { axePages(t, testutil.Browser(t, width, 900), ts) })
	}
}

func axePages(t *testing.T, ctx context.Context, ts *testServer) {
	pages := []string{
		"/",
		"/the-canal-that-rewrites-a-river/",
		"/fa/",
		"/fa/" + url.PathEscape("کانالی-که-رودخانه-را-از-نو-می-نویسد") + "/",
		"/region/central-asia/",
		"/theme/water/",
		"/dossier/water-wars-of-the-amu-darya/",
		"/author/zarmina-haqyar/",
		"/search/?q=water",
		"/about/",
		"/contact/",
		"/masthead/",
		"/corrections/",
		"/republish/1/",
		"/members/signin",
		"/page/2/",
		// The Persian pages: right to left, Persian digits and dates.
		"/fa/contact/",
		"/fa/corrections/",
		"/fa/members/signin",
		"/fa/search/?q=" + url.QueryEscape("آب"),
	}
	for _, p := range pages {
		t.Run(p, func(t *testing.T) {
			resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(ts.base+p))
			if err != nil {
				t.Fatalf("GET %s: %v", p, err)
			}
			if resp.Status != 200 {
				t.Fatalf("GET %s: status %d", p, resp.Status)
			}
			for _, v := range testutil.Axe(t, ctx) {
				t.Errorf("%s: %s", p, v)
			}
		})
	}
}
