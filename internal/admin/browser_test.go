package admin

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"folio/internal/content"
	"folio/internal/store"
	"folio/internal/testutil"
)

// newBrowser starts a headless Chromium with a fresh profile; the returned
// context lives until the test ends.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return testutil.Browser(t, 1280, 1000)
}

// signIn signs u in through the login form.
func signIn(t *testing.T, ctx context.Context, e *env, u *content.User) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), u.Email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/admin/articles/new"]`)),
	)
	if err != nil {
		t.Fatalf("sign in as %s: %v", u.Email, err)
	}
}

// text returns the text of the first element matching css.
func text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return s
}

func eval[T any](t *testing.T, ctx context.Context, js string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, opts...))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func TestBrowser_WritePublishWithImage(t *testing.T) {
	e := newEnv(t)
	ctx := newBrowser(t)
	ed := e.users[content.RoleEditor]
	pic := filepath.Join(t.TempDir(), "harbour.png")
	if err := os.WriteFile(pic, pngBytes(t), 0o644); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, e, ed)
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/admin/media"),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{pic}),
		chromedp.SendKeys(chromedp.CSS("#alt"), "Boats in a grey harbour"),
		chromedp.SendKeys(chromedp.CSS("#credit"), "Studio Desk"),
		chromedp.SetValue(chromedp.CSS("#credit_type"), "illustration"),
		chromedp.Submit(chromedp.CSS("#alt")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if f := text(t, ctx, ".flash"); f != "File uploaded." {
		t.Fatalf("after upload: %q", f)
	}
	ms, _, err := e.db.FindMedia(context.Background(), 1, 0)
	if err != nil || len(ms) != 1 {
		t.Fatalf("media: %v %v", ms, err)
	}
	if ms[0].CreditType != content.CreditIllustration {
		t.Fatalf("credit type = %q, want illustration", ms[0].CreditType)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/admin/articles/new"),
		chromedp.SendKeys(chromedp.CSS("#title"), "Harbour Lights"),
		chromedp.SendKeys(chromedp.CSS("#body"), "The *harbour* at dawn."),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The live preview comes from the server's sanitizing renderer.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("#live-preview em") !== null`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("live preview: %v", err)
	}
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#image_media_id"), fmt.Sprint(ms[0].ID)),
		chromedp.Click(chromedp.CSS(`button[value=publish]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/admin/articles/1/revisions"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The editor's own byline was ticked for them.
	if f := text(t, ctx, ".flash"); f != "Published." {
		t.Fatalf("after publish: %q", f)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Fatal(err)
	}
	art := filepath.Join(t.ArtifactDir(), "admin-editor-published.jpg")
	if err := os.WriteFile(art, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the editor after publishing: %s", art)

	resp, err := http.Get(e.srv.URL + "/harbour-lights/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("public page: %d", resp.StatusCode)
	}
	mustContain(t, string(body), "Harbour Lights", "<em>harbour</em>", "/media/"+ms[0].Path, "Boats in a grey harbour",
		// The article takes the library image's credit type: labelled, not "Photo:".
		`<span class="credit">Illustration: <bdi>Studio Desk</bdi></span>`, "Writer editor")
}

func TestBrowser_ContributorCannotPublish(t *testing.T) {
	e := newEnv(t)
	ctx := newBrowser(t)
	c := e.users[content.RoleContributor]
	a := e.article(c, content.StatusDraft)
	signIn(t, ctx, e, c)
	if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/admin/articles/%d", e.srv.URL, a.ID)),
		chromedp.WaitVisible(chromedp.CSS("#title"))); err != nil {
		t.Fatal(err)
	}
	publish := eval[int](t, ctx, `document.querySelectorAll("button[value=publish]").length`)
	submit := eval[int](t, ctx, `document.querySelectorAll("button[value=submit]").length`)
	if publish != 0 || submit != 1 {
		t.Fatalf("publish buttons %d, submit buttons %d", publish, submit)
	}
	// Forge the publish request the page does not offer, with a valid token.
	status := eval[int](t, ctx, fmt.Sprintf(`(async () => {
		const f = new FormData(document.getElementById("editor"));
		f.set("action", "publish");
		const r = await fetch("/admin/articles/%d", {method: "POST", body: new URLSearchParams(f), redirect: "manual"});
		return r.status;
	})()`, a.ID), chromedp.EvalAwaitPromise)
	if status != http.StatusForbidden {
		t.Fatalf("forged publish: status %d, want 403", status)
	}
	got, err := e.db.FindArticleByID(context.Background(), a.ID)
	if err != nil || got.Status != content.StatusDraft {
		t.Fatalf("status after forged publish: %s (%v)", got.Status, err)
	}
}

func TestBrowser_FormWithoutCSRFRefused(t *testing.T) {
	e := newEnv(t)
	ctx := newBrowser(t)
	signIn(t, ctx, e, e.users[content.RoleEditor])
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/admin/articles/new"),
		chromedp.SendKeys(chromedp.CSS("#title"), "No token"),
	)
	if err != nil {
		t.Fatal(err)
	}
	eval[any](t, ctx, `document.querySelectorAll("#editor input[name=_csrf]").forEach(n => n.remove())`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[value=save]`))); err != nil {
		t.Fatal(err)
	}
	// The click navigates; evaluating while it does fails, so retry.
	deadline := time.Now().Add(10 * time.Second)
	for {
		refused, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.body.innerText.includes("Reload the page")`))
		if err == nil && refused {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no refusal page (last error %v)", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	_, n, err := e.db.FindArticles(context.Background(), store.ArticleFilter{})
	if err != nil || n != 0 {
		t.Fatalf("articles after refused form: %d (%v)", n, err)
	}
}
