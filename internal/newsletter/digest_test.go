package newsletter_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/jobs"
	"folio/internal/mail"
	"folio/internal/mail/mailtest"
	"folio/internal/newsletter"
	"folio/internal/store"
	"folio/internal/store/sqlite"
	"folio/internal/store/sqlite/sqlitetest"
)

// TestDigest runs a weekly digest (Fridays) over two weeks on a pinned
// clock: the first Friday's digest gathers the articles published since
// the week before in both languages, and nothing else; a second tick the
// same day sends nothing; the next Friday's holds only the article
// published after the first period ended.
func TestDigest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var mu sync.Mutex
	clock := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC) // a Monday
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	set := func(t time.Time) { mu.Lock(); clock = t; mu.Unlock() }
	db := sqlitetest.New(t, sqlite.WithClock(now))
	svc := editorial.New(db, editorial.WithClock(now))
	sys := svc.System("test")
	st, _ := db.Settings(ctx)
	st.Title, st.BaseURL = "The Review", "https://news.example.org"
	if err := sys.UpdateSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	nl := &store.Newsletter{Name: "The Week", Schedule: "weekly:fri"}
	if err := sys.CreateNewsletter(ctx, nl); err != nil {
		t.Fatal(err)
	}
	if err := sys.CreateNewsletter(ctx, &store.Newsletter{Name: "Bad", Schedule: "daily"}); content.ErrorCode(err) != content.EINVALID ||
		!strings.Contains(err.Error(), "schedule") {
		t.Fatalf("a bad schedule: %v", err)
	}
	const n = 30
	for i := 0; i < n; i++ {
		m, err := sys.JoinMember(ctx, fmt.Sprintf("reader%04d@example.org", i), nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.AsMember(m).SetSubscription(ctx, nl.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	day := func(d int, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	articles := []struct {
		lang, title string
		at          time.Time
		status      content.Status
	}{
		{"en", "Before the week", day(1, 9), content.StatusPublished}, // Oct 30 06:00 < Sun 1 09:00: in the first week
		{"en", "Tuesday piece", day(3, 9), content.StatusPublished},
		{"fa", "سیاست آب", day(4, 9), content.StatusPublished},
		{"en", "Thursday piece", day(5, 9), content.StatusPublished},
		{"en", "A draft", day(5, 10), content.StatusDraft},
		{"en", "Friday afternoon piece", day(6, 15), content.StatusPublished}, // after Friday 06:00: next week
		{"en", "Last month", time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC), content.StatusPublished},
	}
	ids := map[string]int64{}
	for _, a := range articles {
		set(a.at)
		art := &content.Article{Language: a.lang, Title: a.title, Deck: "Deck of " + a.title, BodyMarkdown: "Body of " + a.title + ".", Status: a.status}
		if err := sys.CreateArticle(ctx, art); err != nil {
			t.Fatal(err)
		}
		ids[a.title] = art.ID
	}
	// Sending: mailpit, the batch worker, the unsubscribe pages' base URL.
	mp := mailtest.Start(t)
	site := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(site.Close)
	q, err := jobs.Open(ctx, db.SQL(), nil, jobs.Options{PollInterval: 50 * time.Millisecond, RetryPolicy: fastRetry{}})
	if err != nil {
		t.Fatal(err)
	}
	jobs.Register(q, &newsletter.Worker{Store: db, Deliveries: mustDeliveries(svc), Key: key, BaseURL: site.URL, InFlight: 300 * time.Millisecond,
		Sender: &mail.SMTP{Host: mp.SMTPHost, Port: mp.SMTPPort, From: "The Review <news@example.org>", TLS: mail.TLSNone}})
	svc.SetSendQueue(&newsletter.Sender{Store: db, Queue: q})
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Stop(context.Background()) })
	sched := svc.System("scheduler")
	if _, err := svc.As(editor).SendDigests(ctx, day(6, 12)); content.ErrorCode(err) != content.EFORBIDDEN {
		t.Fatalf("an editor sent digests: %v", err)
	}
	waitDone := func(id int64) *store.NewsletterSend {
		t.Helper()
		deadline := time.Now().Add(2 * time.Minute)
		for {
			s, err := db.FindSend(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if s.Status == store.SendDone {
				return s
			}
			if time.Now().After(deadline) {
				t.Fatalf("digest stuck: %+v", s)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	// Monday: the newsletter's first Friday has not come.
	if sends, err := sched.SendDigests(ctx, day(2, 13)); err != nil || len(sends) != 0 {
		t.Fatalf("Monday tick: %v, %v", sends, err)
	}
	set(day(6, 12))
	sends, err := sched.SendDigests(ctx, day(6, 12))
	if err != nil || len(sends) != 1 {
		t.Fatalf("Friday tick: %v, %v", sends, err)
	}
	want := []int64{ids["Thursday piece"], ids["سیاست آب"], ids["Tuesday piece"], ids["Before the week"]}
	if !slices.Equal(sends[0].ArticleIDs, want) || sends[0].PeriodEnd != day(6, 6) ||
		sends[0].Subject != "The Week: Thursday piece and 3 more" {
		t.Fatalf("digest %+v; want articles %v ending %v", sends[0], want, day(6, 6))
	}
	if done := waitDone(sends[0].ID); done.Sent != n {
		t.Fatalf("digest %+v", done)
	}
	// A second tick, the same day and later that day: nothing new.
	for _, at := range []time.Time{day(6, 12), day(7, 20)} {
		if again, err := sched.SendDigests(ctx, at); err != nil || len(again) != 0 {
			t.Fatalf("tick at %v: %v, %v", at, again, err)
		}
	}
	all := mp.All(t, 1000)
	if len(all) != n {
		t.Fatalf("mailpit holds %d messages, want %d", len(all), n)
	}
	msg := mp.Message(t, all[0].ID)
	for _, s := range []string{"Tuesday piece", "Deck of Thursday piece", "Before the week", "سیاست آب", site.URL + "/fa/",
		`dir="rtl"`, `lang="fa"`} {
		if !strings.Contains(msg.HTML, s) {
			t.Errorf("digest HTML lacks %q", s)
		}
	}
	for _, s := range []string{"Friday afternoon", "A draft", "Last month", "Body of"} {
		if strings.Contains(msg.HTML, s) || strings.Contains(msg.Text, s) {
			t.Errorf("digest shows %q", s)
		}
	}
	if text := strings.ReplaceAll(msg.Text, "\r\n", "\n"); !strings.Contains(text, "Thursday piece\nDeck of Thursday piece\n"+site.URL+"/thursday-piece/") || !strings.Contains(msg.Text, "Unsubscribe: "+site.URL) {
		t.Errorf("digest text:\n%s", msg.Text)
	}

	// The next Friday: only what came after the first period.
	set(day(13, 12))
	sends, err = sched.SendDigests(ctx, day(13, 12))
	if err != nil || len(sends) != 1 || !slices.Equal(sends[0].ArticleIDs, []int64{ids["Friday afternoon piece"]}) {
		t.Fatalf("second Friday: %+v, %v", sends, err)
	}
	waitDone(sends[0].ID)
	if got := len(mp.All(t, 1000)); got != 2*n {
		t.Fatalf("mailpit holds %d messages after two digests, want %d", got, 2*n)
	}
	// A week without articles sends nothing.
	if sends, err := sched.SendDigests(ctx, day(20, 12)); err != nil || len(sends) != 0 {
		t.Fatalf("empty week: %v, %v", sends, err)
	}
}
