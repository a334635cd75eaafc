package newsletter_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/jobs"
	"folio/internal/mailtrack"
	"folio/internal/newsletter"
	"folio/internal/store"
)

// TestSend_Tracking sends with first-party tracking on: each message has
// the site's own image and its links go through the site's redirect (the
// unsubscribe link excepted); opening and clicking count each recipient
// once; a link whose signature does not match is refused and counts
// nothing. With tracking off (the default) a message has neither.
func TestSend_Tracking(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newSendEnv(t, 3)
	st, _ := e.db.Settings(ctx)
	st.BaseURL = e.site.URL
	off := &newsletter.Issue{Newsletter: e.nl, Article: newsletter.Attribute(st, e.article), BaseURL: e.site.URL, ListDomain: "x"}
	m, err := off.Message(key, &store.Recipient{SendID: 1, MemberID: 1, Email: "a@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.HTML, newsletter.OpenPath) || strings.Contains(m.HTML, newsletter.ClickPath) {
		t.Fatal("a message without tracking has a tracking image or link")
	}

	q, err := jobs.Open(ctx, e.db.SQL(), nil, jobs.Options{PollInterval: 50 * time.Millisecond, RetryPolicy: fastRetry{}})
	if err != nil {
		t.Fatal(err)
	}
	jobs.Register(q, &newsletter.Worker{Store: e.db, Deliveries: mustDeliveries(e.svc), Sender: e.smtp, Key: key,
		BaseURL: e.site.URL, InFlight: 300 * time.Millisecond, Track: true})
	e.svc.SetSendQueue(&newsletter.Sender{Store: e.db, Queue: q})
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Stop(context.Background()) })
	send, err := e.svc.As(editor).SendArticle(ctx, e.nl.ID, e.article.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.wait(t, send.ID, func(s *store.NewsletterSend) bool { return s.Status == store.SendDone })

	mux := http.NewServeMux()
	(&mailtrack.Handler{Key: key, Tracker: mustDeliveries(e.svc)}).Register(mux)
	tracker := httptest.NewServer(mux)
	t.Cleanup(tracker.Close)
	local := func(u string) string { return strings.Replace(u, e.site.URL, tracker.URL, 1) }
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(u string) *http.Response {
		t.Helper()
		resp, err := client.Get(local(u))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}

	_, all := e.copies(t)
	msg := e.mail.Message(t, all[0].ID)
	img := regexp.MustCompile(`<img src="([^"]*` + newsletter.OpenPath + `[^"]*)"`).FindStringSubmatch(msg.HTML)
	report := regexp.MustCompile(`href="([^"]*`+newsletter.ClickPath+`[^"]*)"`).FindAllStringSubmatch(msg.HTML, -1)
	if img == nil || len(report) == 0 || !strings.Contains(msg.HTML, `href="`+html.EscapeString(e.site.URL+newsletter.UnsubscribePath)) {
		t.Fatalf("tracked message HTML:\n%s", msg.HTML)
	}
	var click string
	for _, r := range report {
		if u := html.UnescapeString(r[1]); strings.Contains(u, "example.org%2Fr") {
			click = u
		}
	}
	if click == "" {
		t.Fatalf("the article's link to https://example.org/r is not tracked: %v", report)
	}
	for range 2 {
		if resp := get(html.UnescapeString(img[1])); resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/gif" {
			t.Fatalf("open: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if resp := get(click); resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "https://example.org/r" {
			t.Fatalf("click: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	for _, bad := range []string{strings.Replace(click, "example.org%2Fr", "attacker.example%2F", 1), strings.Replace(click, "s=", "s=9", 1)} {
		if resp := get(bad); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("a tampered link %s: %d, want 400", bad, resp.StatusCode)
		}
	}
	got, err := e.db.FindSend(ctx, send.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Opened != 1 || got.Clicked != 1 {
		t.Fatalf("send %+v: want one open and one click counted", got)
	}
	if _, err := mustDeliveries(e.svc).Track(ctx, send.ID, 1, "glance"); content.ErrorCode(err) != content.EINVALID {
		t.Fatalf("an unknown kind: %v", err)
	}
}
