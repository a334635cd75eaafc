package readers_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"folio/internal/cache"
	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/i18n"
	"folio/internal/mail"
	"folio/internal/mail/mailtest"
	"folio/internal/readers"
	"folio/internal/render"
	"folio/internal/site"
	"folio/internal/store"
	"folio/internal/store/sqlite/sqlitetest"
	"folio/internal/testutil"
)

// TestJoinAndComment_Browser_Persian is the first visit of
// TestJoinAndComment_Browser on a Persian article, in headless Chromium:
// the cached right-to-left page loads the Persian comment form from
// /fa/members, the reader joins by the Persian mail's link, comments, and
// after approval sees the comment under a Persian heading.
func TestJoinAndComment_Browser_Persian(t *testing.T) {
	ctx := testutil.Browser(t, 1100, 900)
	bg := context.Background()
	db := sqlitetest.New(t)
	pc := cache.New(64 << 20)
	svc := editorial.New(db, editorial.OnChange(func(ev key.Event) { pc.Invalidate(ev.Keys...) }))
	mp := mailtest.Start(t)
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	st, _ := db.Settings(bg)
	cp := *st
	cp.BaseURL, cp.Languages = srv.URL, []string{"en", "fa"}
	if err := svc.System("test").UpdateSettings(bg, &cp); err != nil {
		t.Fatal(err)
	}
	a := &content.Article{Language: "fa", Title: "حقابه", Slug: "haqabeh", BodyMarkdown: "کانال یک‌پنجم آب را می‌برد.",
		Status: content.StatusPublished, PublishedAt: time.Now().Add(-time.Hour)}
	if err := svc.System("test").CreateArticle(bg, a); err != nil {
		t.Fatal(err)
	}
	rnd, err := render.New(render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	site.New(site.Config{Store: db, Renderer: rnd, Cache: pc}).Register(mux)
	readers.New(readers.Config{Store: db, Editorial: svc, Key: []byte(strings.Repeat("b", 32)),
		Mailer:  &mail.SMTP{Host: mp.SMTPHost, Port: mp.SMTPPort, From: "The Review <news@example.org>", TLS: mail.TLSNone},
		BaseURL: func() string { return srv.URL }, AssetURL: rnd.AssetURL, MinTimeOnPage: 500 * time.Millisecond}).Register(mux)
	fa := i18n.For("fa")
	page := srv.URL + "/fa/haqabeh/"

	err = chromedp.Do(ctx,
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.CSS(`.comments__form a[href^="/fa/members/signin"]`)),
		chromedp.Click(chromedp.CSS(`.comments__form a[href^="/fa/members/signin"]`)),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "reza@example.org"),
		chromedp.Submit(chromedp.CSS("#email")),
		chromedp.WaitVisible(chromedp.CSS(".reader-notice")),
	)
	if err != nil {
		t.Fatalf("ask for a link: %v", err)
	}
	if dir, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.dir`)); err != nil || dir != "rtl" {
		t.Fatalf("the Persian sign-in page is %q (%v)", dir, err)
	}
	link := ""
	for deadline := time.Now().Add(10 * time.Second); link == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if mp.Count(t, "reza@example.org") > 0 {
			link = regexp.MustCompile(`http://\S+/fa/members/confirm\?token=\S+`).FindString(mp.Last(t, "reza@example.org").Text)
		}
	}
	if link == "" {
		t.Fatal("no Persian sign-in mail")
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS("#comment-body")),
		chromedp.SendKeys(chromedp.CSS("#comment-body"), "سپاس از این *توضیح*."),
		chromedp.Sleep(600*time.Millisecond),
		chromedp.Submit(chromedp.CSS("#comment-body")),
		chromedp.WaitVisible(chromedp.CSS(".reader-notice")),
	)
	if err != nil {
		t.Fatalf("comment: %v", err)
	}
	thanks, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".reader-notice")))
	if !strings.Contains(thanks, fa.T("members.comment.thanks")) {
		t.Fatalf("after posting: %q", thanks)
	}
	q, _, err := db.FindCommentQueue(bg, store.CommentFilter{Statuses: []string{store.CommentPending}})
	if err != nil || len(q) != 1 {
		t.Fatalf("queue: %v %d", err, len(q))
	}
	if err := svc.As(&content.User{ID: 1, Role: content.RoleEditor}).Moderate(bg, q[0].ID, editorial.ModApprove); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(page),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS("#comments .comment__body em")),
		chromedp.WaitVisible(chromedp.CSS("#comment-body")),
	)
	if err != nil {
		t.Fatalf("approved comment: %v", err)
	}
	heading, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#comments-heading")))
	reply, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".comment__reply a")))
	if heading != fa.N("members.thread.count", 1) || reply != fa.T("members.thread.reply") {
		t.Fatalf("heading %q, reply %q", heading, reply)
	}
	if after := fetch(t, page); !strings.Contains(after, `href="/fa/members/comment?`+url.Values{"article": {itoa(a.ID)}}.Encode()) {
		t.Fatal("the cached page's reply links lost the /fa prefix")
	}
}
