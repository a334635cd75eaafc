package admin

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"folio/internal/content"
	"folio/internal/testutil"
)

// TestBrowser_AxeAdminScreens runs axe-core's WCAG 2.x A and AA rules on
// the screens an editor spends the day on: the media library holding an
// upload, the new-article editor, the editor of a published article, and
// the pages, menus and redirects screens a newsroom sets up in week one.
func TestBrowser_AxeAdminScreens(t *testing.T) {
	e := newEnv(t)
	ctx := newBrowser(t)
	ed := e.users[content.RoleAdmin] // the menus are the admin's
	pic := filepath.Join(t.TempDir(), "harbour.png")
	if err := os.WriteFile(pic, pngBytes(t), 0o644); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, e, ed)
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/admin/media"),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{pic}),
		chromedp.SendKeys(chromedp.CSS("#alt"), "Boats in a grey harbour"),
		chromedp.Submit(chromedp.CSS("#alt")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if err != nil {
		t.Fatal(err)
	}
	a := e.article(ed, content.StatusPublished)
	for _, p := range []string{"/admin/media", "/admin/articles/new", fmt.Sprintf("/admin/articles/%d", a.ID),
		"/admin/pages", "/admin/pages/new", "/admin/menus", "/admin/redirects"} {
		t.Run(p, func(t *testing.T) {
			resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(e.srv.URL+p))
			if err != nil || resp.Status != 200 {
				t.Fatalf("GET %s: %v %v", p, resp, err)
			}
			for _, v := range testutil.Axe(t, ctx) {
				t.Errorf("%s: %s", p, v)
			}
		})
	}
}
