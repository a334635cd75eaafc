package admin

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"folio/internal/content"
	"folio/internal/server"
)

// recordViolations makes every page the browser opens keep the Content
// Security Policy violations it meets in window.cspViolations (the
// directive and what was blocked), from before the first byte is parsed.
const recordViolations = `window.cspViolations = [];
document.addEventListener("securitypolicyviolation", e => window.cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " line " + e.lineNumber));`

// TestBrowser_AdminCSP opens every admin page an admin can open behind the
// headers the server sends (server.WithSecurityHeaders: style-src 'self',
// script-src 'self', so no inline style or script) and counts the policy
// violations Chromium reports: there must be none. The author-order boxes
// keep their narrow width, which an inline style once gave them.
func TestBrowser_AdminCSP(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(server.WithSecurityHeaders(e.srv.Config.Handler))
	t.Cleanup(srv.Close)
	a := e.article(e.users[content.RoleEditor], content.StatusPublished)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recordViolations})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	visit := func(path, wait string) []string {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+path), chromedp.WaitReady(chromedp.CSS(wait))); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return eval[[]string](t, ctx, `window.cspViolations || ["the recorder did not run"]`)
	}
	total := 0
	for _, p := range []string{"/admin/login", "/admin/reset", "/admin/unlock"} {
		v := visit(p, "main")
		total += len(v)
		for _, s := range v {
			t.Errorf("%s: %s", p, s)
		}
	}
	u := e.users[content.RoleAdmin]
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), u.Email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/admin/articles/new"]`)),
	); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	pages := 0
	for _, pattern := range e.admin.patterns {
		method, path, _ := strings.Cut(pattern, " ")
		// The media picker answers JSON for the editor's dialog, not a page.
		if method != "GET" || policy[pattern] == Public || strings.Contains(path, "{lang}") || strings.HasSuffix(path, ".csv") ||
			pattern == "GET /admin/media/picker" {
			continue
		}
		if path == "/admin/media/picker" {
			continue // JSON for the editor's library dialog, not a page
		}
		path = strings.TrimSuffix(path, "{$}")
		if strings.Contains(path, "{id}") {
			if !strings.HasPrefix(path, "/admin/articles/") {
				continue // other items' pages share these pages' parts
			}
			path = strings.ReplaceAll(path, "{id}", fmt.Sprint(a.ID))
		}
		pages++
		for _, s := range visit(path, "main") {
			total++
			t.Errorf("%s: %s", path, s)
		}
		if path == fmt.Sprintf("/admin/articles/%d", a.ID) {
			if w := eval[float64](t, ctx, `document.querySelector("input.order").getBoundingClientRect().width`); w > 80 {
				t.Errorf("author order box is %.0f px wide, want at most 80", w)
			}
		}
	}
	t.Logf("%d admin pages opened, %d CSP violations", pages+3, total)
}
