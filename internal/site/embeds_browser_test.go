package site_test

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"folio/internal/content"
	"folio/internal/testutil"
)

// TestEmbedFacade_Browser pastes a YouTube URL on its own line and checks,
// in headless Chromium, that the page shows a click-to-load facade and
// makes no request to a third party until the reader clicks it.
func TestEmbedFacade_Browser(t *testing.T) {
	ctx := testutil.Browser(t, 1000, 900)
	f := newFixture(t)
	f.publish(t, &content.Article{Language: "en", Title: "The dam in pictures", Slug: "dam-video",
		BodyMarkdown: "Watch the interview:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\nAnd the rest of the text."})
	srv := httptest.NewServer(f.cached)
	t.Cleanup(srv.Close)
	local, _ := url.Parse(srv.URL)

	var mu sync.Mutex
	var thirdParty []string
	// Listening starts the browser; the events arrive from then on.
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			u, err := url.Parse(e.Request.URL)
			if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != local.Host {
				mu.Lock()
				thirdParty = append(thirdParty, e.Request.URL)
				mu.Unlock()
			}
		}
	}); err != nil {
		t.Fatalf("listen: %v", err)
	}
	requests := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), thirdParty...)
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/dam-video/"),
		chromedp.WaitVisible(chromedp.CSS(`figure.embed a.embed-load`)),
		chromedp.WaitVisible(chromedp.CSS(`figure.embed .embed-hint`)),
	); err != nil {
		t.Fatalf("browser: %v", err)
	}
	hint, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`figure.embed .embed-hint`)))
	if err != nil {
		t.Fatal(err)
	}
	if got := requests(); len(got) != 0 {
		t.Fatalf("before the click the page requested %v", got)
	}
	if !strings.Contains(hint, "YouTube") || !strings.Contains(hint, "www.youtube-nocookie.com") {
		t.Errorf("facade hint %q does not name the provider and its host", hint)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`figure.embed a.embed-load`)),
		chromedp.WaitReady(chromedp.CSS(`figure.embed iframe.embed-frame`)),
	); err != nil {
		t.Fatalf("click: %v", err)
	}
	src, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`figure.embed iframe.embed-frame`), "src"))
	if err != nil {
		t.Fatal(err)
	}
	if src.Value != "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" {
		t.Errorf("iframe src = %q", src.Value)
	}
	// The frame's load is the first third-party request (the machine is
	// offline, so it fails, but it is sent).
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("iframe.embed-frame") !== null`)); err != nil {
		t.Fatal(err)
	}
	var got []string
	for range 50 {
		if got = requests(); len(got) > 0 {
			break
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`new Promise(r => setTimeout(() => r(true), 50))`)); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) == 0 || !strings.HasPrefix(got[0], "https://www.youtube-nocookie.com/embed/") {
		t.Errorf("after the click, third-party requests = %v; want the embed first", got)
	}
}
