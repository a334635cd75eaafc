package readers_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"folio/internal/cache"
	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/mail"
	"folio/internal/mail/mailtest"
	"folio/internal/readers"
	"folio/internal/render"
	"folio/internal/site"
	"folio/internal/store"
	"folio/internal/store/sqlite/sqlitetest"
	"folio/internal/testutil"
)

// TestJoinAndComment_Browser is a reader's first visit, in headless
// Chromium against the cached public site: the article page loads the
// comment form in place, the reader joins with the mailed link (read from
// mailpit), comments, and sees the comment on the page once a moderator
// approves it. The cached article bytes stay the same for every reader.
func TestJoinAndComment_Browser(t *testing.T) {
	ctx := testutil.Browser(t, 1100, 900)
	bg := context.Background()
	db := sqlitetest.New(t)
	pc := cache.New(64 << 20)
	svc := editorial.New(db, editorial.OnChange(func(ev key.Event) { pc.Invalidate(ev.Keys...) }))
	a := &content.Article{Language: "en", Title: "Water Rights", BodyMarkdown: "The *canal* takes a fifth of the flow.",
		Status: content.StatusPublished, PublishedAt: time.Now().Add(-time.Hour)}
	if err := svc.System("test").CreateArticle(bg, a); err != nil {
		t.Fatal(err)
	}
	rnd, err := render.New(render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mp := mailtest.Start(t)
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	st, _ := db.Settings(bg)
	cp := *st
	cp.BaseURL = srv.URL
	if err := svc.System("test").UpdateSettings(bg, &cp); err != nil {
		t.Fatal(err)
	}
	site.New(site.Config{Store: db, Renderer: rnd, Cache: pc}).Register(mux)
	readers.New(readers.Config{Store: db, Editorial: svc, Key: []byte(strings.Repeat("b", 32)),
		Mailer:  &mail.SMTP{Host: mp.SMTPHost, Port: mp.SMTPPort, From: "The Review <news@example.org>", TLS: mail.TLSNone},
		BaseURL: func() string { return srv.URL }, AssetURL: rnd.AssetURL, MinTimeOnPage: 500 * time.Millisecond}).Register(mux)
	page := srv.URL + "/water-rights/"

	// Signed out, the fragment offers to join; follow it and ask for a link.
	err = chromedp.Do(ctx,
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.CSS(`.comments__form a[href^="/members/signin"]`)),
		chromedp.Click(chromedp.CSS(`.comments__form a[href^="/members/signin"]`)),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "ana@example.org"),
		chromedp.Submit(chromedp.CSS("#email")),
		chromedp.WaitVisible(chromedp.CSS(".reader-notice")),
	)
	if err != nil {
		t.Fatalf("ask for a link: %v", err)
	}
	link := ""
	for deadline := time.Now().Add(10 * time.Second); link == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if mp.Count(t, "ana@example.org") > 0 {
			link = linkRE.FindString(mp.Last(t, "ana@example.org").Text)
		}
	}
	if link == "" {
		t.Fatal("no sign-in mail")
	}
	// The link signs this browser in and leads back to the comments.
	err = chromedp.Do(ctx,
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS("#comment-body")),
		chromedp.SendKeys(chromedp.CSS("#comment-body"), "Thanks for *explaining* the quotas."),
		chromedp.Sleep(600*time.Millisecond), // the minimum time on page
		chromedp.Submit(chromedp.CSS("#comment-body")),
		chromedp.WaitVisible(chromedp.CSS(".reader-notice")),
	)
	if err != nil {
		t.Fatalf("comment: %v", err)
	}
	notice, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".reader-notice")))
	if err != nil || !strings.Contains(notice, "once a moderator approves") {
		t.Fatalf("after posting: %q %v", notice, err)
	}
	who, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".reader-account")))
	if err != nil || !strings.Contains(who, "ana@example.org") {
		t.Fatalf("signed in as: %q %v", who, err)
	}

	// Held: not on the page. The cached bytes are the same signed in or not.
	before := fetch(t, page)
	if strings.Contains(before, "explaining") || strings.Contains(before, "ana@example.org") {
		t.Fatal("a held comment or the member's address is on the public page")
	}
	q, _, err := db.FindCommentQueue(bg, store.CommentFilter{Statuses: []string{store.CommentPending}})
	if err != nil || len(q) != 1 {
		t.Fatalf("queue: %v %d", err, len(q))
	}
	if err := svc.As(&content.User{ID: 1, Role: content.RoleEditor}).Moderate(bg, q[0].ID, editorial.ModApprove); err != nil {
		t.Fatal(err)
	}
	// Reload: the browser keeps the page for a minute (Cache-Control) and
	// asks the server again only when told to; the server's copy is fresh.
	err = chromedp.Do(ctx,
		chromedp.Navigate(page),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS("#comments .comment__body em")),
		chromedp.WaitVisible(chromedp.CSS("#comment-body")), // the form, signed in, loaded in place
	)
	if err != nil {
		t.Fatalf("approved comment: %v", err)
	}
	text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#comments .comment__body")))
	if !strings.Contains(text, "Thanks for explaining the quotas.") {
		t.Fatalf("comment text %q", text)
	}
	after := fetch(t, page)
	if !strings.Contains(after, "explaining") || strings.Contains(after, "Commenting as") || strings.Contains(after, "_csrf") {
		t.Fatal("the cached page lacks the comment or carries member-specific bits")
	}
}

func fetch(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	return string(b)
}
