package admin

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"

	"folio/internal/content"
)

// jpegFile writes a w×h JPEG photograph-like gradient to a temp file.
func jpegFile(t *testing.T, name string, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func poll(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("%s (%s): %v", what, js, err)
	}
}

// afterNavigation waits until js is true on the page a click is loading;
// evaluating while the page changes fails, so errors are retried.
func afterNavigation(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is not true after the navigation (last error %v)", js, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestBrowser_BodyFigureFromLibrary uploads a photograph, inserts it into a
// body with the toolbar's library dialog, formats text with the toolbar,
// pastes rich text, publishes, and finds the figure with its responsive
// variants (srcset) on the public page.
func TestBrowser_BodyFigureFromLibrary(t *testing.T) {
	e := newEnv(t)
	ctx := newBrowser(t)
	signIn(t, ctx, e, e.users[content.RoleEditor])
	pic := jpegFile(t, "harbour.jpg", 1400, 900)
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/admin/media"),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{pic}),
		chromedp.SendKeys(chromedp.CSS("#alt"), "Boats in a grey harbour"),
		chromedp.SendKeys(chromedp.CSS("#caption"), "The harbour at dawn."),
		chromedp.SendKeys(chromedp.CSS("#credit"), "Photo Desk"),
		chromedp.Submit(chromedp.CSS("#alt")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if err != nil {
		t.Fatal(err)
	}
	ms, _, err := e.db.FindMedia(context.Background(), 1, 0)
	if err != nil || len(ms) != 1 {
		t.Fatalf("media: %v %v", ms, err)
	}
	m := ms[0]
	// The background job's work, done here: this env runs no queue.
	vs, err := e.admin.cfg.Media.MakeVariants(context.Background(), m)
	if err != nil || len(vs) == 0 {
		t.Fatalf("variants: %v %v", vs, err)
	}
	if err := e.svc.System("media variants").SetMediaVariants(context.Background(), m.ID, vs); err != nil {
		t.Fatal(err)
	}

	err = chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/admin/articles/new"),
		chromedp.SendKeys(chromedp.CSS("#title"), "Harbour Lights"),
		chromedp.WaitVisible(chromedp.CSS(`.toolbar button[data-action=bold]`)),
		chromedp.SendKeys(chromedp.CSS("#body"), "Dawn over the water."),
	)
	if err != nil {
		t.Fatal(err)
	}
	// Bold the word "water" with the toolbar.
	eval[any](t, ctx, `(() => { const b = document.getElementById("body"); const i = b.value.indexOf("water"); b.setSelectionRange(i, i + 5); })()`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.toolbar button[data-action=bold]`))); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `document.getElementById("body").value`); got != "Dawn over the **water**." {
		t.Fatalf("after Bold: %q", got)
	}
	// Insert the photograph from the library dialog.
	eval[any](t, ctx, `(() => { const b = document.getElementById("body"); b.setSelectionRange(b.value.length, b.value.length); })()`)
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.toolbar button[data-action=media]`)),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`dialog.picker button[data-media-id="%d"]`, m.ID))),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`dialog.picker button[data-media-id="%d"]`, m.ID))),
	)
	if err != nil {
		t.Fatal(err)
	}
	wantBlock := fmt.Sprintf("\n\n::: figure %d\n![Boats in a grey harbour](/media/%s)\nThe harbour at dawn.\nCredit: Photo Desk\n:::", m.ID, m.Path)
	if got := eval[string](t, ctx, `document.getElementById("body").value`); got != "Dawn over the **water**."+wantBlock {
		t.Fatalf("after inserting from the library:\n%q\nwant\n%q", got, "Dawn over the **water**."+wantBlock)
	}
	// The live preview shows the figure with its variants.
	poll(t, ctx, "live preview figure", fmt.Sprintf(`!!document.querySelector('#live-preview figure.figure[data-media-id="%d"] picture source[type="image/webp"][srcset]')`, m.ID))

	// Paste rich text as Google Docs puts it on the clipboard.
	eval[any](t, ctx, `(() => {
		const b = document.getElementById("body");
		b.setRangeText("\n\n", b.value.length, b.value.length, "end");
		const dt = new DataTransfer();
		dt.setData("text/html", '<b style="font-weight:normal" id="docs-internal-guid-1"><p><span style="font-weight:700">Tides</span> <span style="font-style:italic">rise</span> <a href="https://www.google.com/url?q=https://example.org/tides&amp;sa=D">twice</a>.</p></b>');
		dt.setData("text/plain", "Tides rise twice.");
		b.dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
	})()`)
	poll(t, ctx, "pasted Markdown", `document.getElementById("body").value.endsWith("**Tides** *rise* [twice](https://example.org/tides).")`)
	if s := text(t, ctx, "#editor-status"); s != "Pasted as Markdown." {
		t.Errorf("status after paste: %q", s)
	}

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[value=publish]`))); err != nil {
		t.Fatal(err)
	}
	afterNavigation(t, ctx, `location.search.includes("done=published")`)
	if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/harbour-lights/")); err != nil {
		t.Fatal(err)
	}
	fig := fmt.Sprintf(`figure.figure[data-media-id="%d"]`, m.ID)
	poll(t, ctx, "figure loaded", `(() => { const i = document.querySelector('`+fig+` img'); return !!i && i.complete && i.naturalWidth > 0; })()`)
	srcset := eval[string](t, ctx, `document.querySelector('`+fig+` picture img').getAttribute("srcset")`)
	webp := eval[string](t, ctx, `document.querySelector('`+fig+` picture source[type="image/webp"]').getAttribute("srcset")`)
	for _, w := range []string{"320w", "640w", "1280w"} {
		if !strings.Contains(srcset, w) || !strings.Contains(webp, w) {
			t.Errorf("srcset %q / webp %q lacks %s", srcset, webp, w)
		}
	}
	// The browser picked a variant, not the 1400 px original.
	cur := eval[string](t, ctx, `document.querySelector('`+fig+` picture img').currentSrc`)
	if !strings.Contains(cur, ".w") || strings.HasSuffix(cur, m.Path) {
		t.Errorf("the page shows %s, not a variant", cur)
	}
	if got := text(t, ctx, fig+" figcaption"); got != "The harbour at dawn. Photo Desk" {
		t.Errorf("caption %q", got)
	}
	if got := eval[string](t, ctx, `document.querySelector('`+fig+` img').alt`); got != "Boats in a grey harbour" {
		t.Errorf("alt %q", got)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err == nil {
		p := filepath.Join(t.ArtifactDir(), "body-figure.jpg")
		_ = os.WriteFile(p, shot, 0o644)
		t.Logf("screenshot of the public page: %s", p)
	}
}

// requestLog records every request the page makes. Requests to the test
// server go on; any other is answered here with an empty page, so nothing
// leaves the machine, and counted.
type requestLog struct {
	mu          sync.Mutex
	own, others []string
}

func (l *requestLog) third() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.others...)
}

func interceptRequests(t *testing.T, ctx context.Context, origin string) *requestLog {
	t.Helper()
	l := &requestLog{}
	lctx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	events := chromedp.Events(lctx, fetch.RequestPaused)
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}}); err != nil {
		t.Fatalf("fetch.enable: %v", err)
	}
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			u, _ := url.Parse(ev.Request.URL)
			l.mu.Lock()
			if u != nil && u.Scheme+"://"+u.Host == origin {
				l.own = append(l.own, ev.Request.URL)
				l.mu.Unlock()
				if _, err := chromedp.Call(lctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID}); err != nil {
					t.Logf("continue: %v", err)
				}
				continue
			}
			l.others = append(l.others, ev.Request.URL)
			l.mu.Unlock()
			_, _ = chromedp.Call(lctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: ev.RequestID, ResponseCode: 200,
				ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/html"}}, Body: []byte("<!doctype html><title>player</title>")})
		}
	}()
	return l
}

// TestBrowser_YouTubeFacade pastes a YouTube URL alone on its line, sees the
// click-to-load facade in the preview and on the published page, counts
// the page's requests (none to a third party before the click), clicks, and
// sees the player frame load from youtube-nocookie.com. A URL no provider
// embeds stays a link, and the editor is told why.
func TestBrowser_YouTubeFacade(t *testing.T) {
	e := newEnv(t)
	ctx := newBrowser(t)
	signIn(t, ctx, e, e.users[content.RoleEditor])
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/admin/articles/new"),
		chromedp.SendKeys(chromedp.CSS("#title"), "Glacier Film"),
		chromedp.WaitVisible(chromedp.CSS(`.toolbar`)),
		chromedp.SendKeys(chromedp.CSS("#body"), "Watch the melt.\n\n"),
	)
	if err != nil {
		t.Fatal(err)
	}
	// Paste the link as a browser copies it from a web page: as rich text.
	eval[any](t, ctx, `(() => {
		const dt = new DataTransfer();
		dt.setData("text/html", '<meta charset="utf-8"><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">https://www.youtube.com/watch?v=dQw4w9WgXcQ</a>');
		dt.setData("text/plain", "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
		document.getElementById("body").dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
	})()`)
	poll(t, ctx, "pasted link", `document.getElementById("body").value.includes("https://www.youtube.com/watch?v=dQw4w9WgXcQ")`)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#body"), "\n\nhttps://videos.example.org/melt\n\nThe end.")); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, "facade in the live preview", `!!document.querySelector('#live-preview figure.embed[data-embed-provider="YouTube"] a.embed-load')`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[value=save]`)), chromedp.WaitVisible(chromedp.CSS(`.flash.error`))); err != nil {
		t.Fatal(err)
	}
	notes := text(t, ctx, ".flash.error")
	if !strings.Contains(notes, "https://videos.example.org/melt stays a link: it is not an embed from YouTube, Vimeo") {
		t.Errorf("editor notes: %q", notes)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[value=publish]`))); err != nil {
		t.Fatal(err)
	}
	// The page already had this address: wait for the answer to the click.
	afterNavigation(t, ctx, `location.search.includes("done=published")`)

	log := interceptRequests(t, ctx, e.srv.URL)
	if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/glacier-film/")); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, "facade on the page", `!!document.querySelector('figure.embed a.embed-load .embed-hint')`)
	time.Sleep(500 * time.Millisecond) // let lazy work (images, fonts) start, if any
	if third := log.third(); len(third) != 0 {
		t.Fatalf("requests to third parties before the click: %q", third)
	}
	log.mu.Lock()
	own := len(log.own)
	log.mu.Unlock()
	if own == 0 {
		t.Fatal("no request of the page itself was seen: the count above proves nothing")
	}
	if href := eval[string](t, ctx, `document.querySelector('p a[href="https://videos.example.org/melt"]').textContent`); href != "https://videos.example.org/melt" {
		t.Errorf("the other URL is not a plain link: %q", href)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`figure.embed a.embed-load`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, "player frame", `!!document.querySelector('figure.embed iframe.embed-frame[src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"]')`)
	deadline := time.Now().Add(10 * time.Second)
	for {
		third := log.third()
		if len(third) > 0 {
			if !strings.HasPrefix(third[0], "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ") {
				t.Fatalf("first third-party request after the click: %s", third[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no request for the player after the click")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
