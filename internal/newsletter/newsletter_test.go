package newsletter_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/jobs"
	"folio/internal/mail"
	"folio/internal/mail/mailtest"
	"folio/internal/newsletter"
	"folio/internal/readers"
	"folio/internal/store"
	"folio/internal/store/sqlite"
	"folio/internal/store/sqlite/sqlitetest"
)

var key = []byte(strings.Repeat("n", 32))

func TestAttributed(t *testing.T) {
	st := content.DefaultSettings()
	st.Title, st.BaseURL, st.DefaultLicense = "The Review", "https://news.example", content.LicenseCommunity
	a := &content.Article{ID: 3, Language: "fa", Title: "سیاست آب", Slug: "water", Status: content.StatusPublished,
		BodyHTML:    `<p>The <em>canal</em> takes <a href="https://example.org/r">a fifth</a>.</p><ul><li>One</li><li>Two</li></ul><blockquote><p>Quote</p></blockquote>`,
		Authors:     []*content.Author{{Name: "Leyla Hosseini"}, {Name: "Omar Farid"}},
		PublishedAt: time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)}
	at := newsletter.Attribute(&st, a)
	if at.Dir != "rtl" || at.Byline != "By Leyla Hosseini and Omar Farid" || at.CanonicalURL != "https://news.example/fa/water/" {
		t.Fatalf("attributed %+v", at)
	}
	text := at.Text()
	for _, want := range []string{"The canal takes a fifth <https://example.org/r>.", "  • One\n  • Two", "Copyright © Leyla Hosseini and Omar Farid, The Review, 2026",
		"First published by The Review: https://news.example/fa/water/", "License: "} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	html := newsletter.Inline(at.HTML())
	if !strings.Contains(html, `<p style="font-family:Georgia`) || !strings.Contains(html, `<a href="https://example.org/r" style="color:`) ||
		!strings.Contains(html, `dir="rtl"`) {
		t.Fatalf("inlined: %s", html)
	}
	if got := newsletter.Inline(`<style>p{color:red}</style><p style="x:y">a</p>`); strings.Contains(got, "color:red") || !strings.Contains(got, `;x:y"`) {
		t.Fatalf("style handling: %s", got)
	}
}

// sendEnv is a site with members subscribed to one newsletter, a mailpit
// and the reader pages (for unsubscribe links).
type sendEnv struct {
	db      *sqlite.DB
	svc     *editorial.Service
	nl      *store.Newsletter
	article *content.Article
	members map[string]int64
	mail    *mailtest.Server
	smtp    *mail.SMTP
	site    *httptest.Server
}

func newSendEnv(t *testing.T, n int) *sendEnv {
	t.Helper()
	ctx := context.Background()
	e := &sendEnv{db: sqlitetest.New(t), members: map[string]int64{}}
	e.svc = editorial.New(e.db)
	e.article = &content.Article{Language: "en", Title: "Dams and Diplomacy", BodyMarkdown: "The *Rogun* dam. [Report](https://example.org/r)",
		Status: content.StatusPublished, Authors: nil}
	if err := e.svc.System("test").CreateArticle(ctx, e.article); err != nil {
		t.Fatal(err)
	}
	e.nl = &store.Newsletter{Name: "Weekly digest"}
	if err := e.svc.System("test").CreateNewsletter(ctx, e.nl); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		addr := fmt.Sprintf("reader%04d@example.org", i)
		m, err := e.svc.System("test").JoinMember(ctx, addr, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.AsMember(m).SetSubscription(ctx, e.nl.ID, true); err != nil {
			t.Fatal(err)
		}
		e.members[addr] = m.ID
	}
	e.mail = mailtest.Start(t)
	e.smtp = &mail.SMTP{Host: e.mail.SMTPHost, Port: e.mail.SMTPPort, From: "The Review <news@example.org>", TLS: mail.TLSNone}
	mux := http.NewServeMux()
	e.site = httptest.NewServer(mux)
	t.Cleanup(e.site.Close)
	readers.New(readers.Config{Store: e.db, Editorial: e.svc, Key: key, BaseURL: func() string { return e.site.URL }}).Register(mux)
	return e
}

// queue opens a job queue on the site's database with a sending worker.
func (e *sendEnv) queue(t *testing.T, interval time.Duration) (*jobs.Queue, *newsletter.Sender) {
	t.Helper()
	q, err := jobs.Open(context.Background(), e.db.SQL(), nil, jobs.Options{PollInterval: 50 * time.Millisecond,
		RetryPolicy: fastRetry{}})
	if err != nil {
		t.Fatal(err)
	}
	jobs.Register(q, &newsletter.Worker{Store: e.db, Deliveries: mustDeliveries(e.svc), Sender: e.smtp, Key: key,
		BaseURL: e.site.URL, Interval: interval, InFlight: 300 * time.Millisecond})
	s := &newsletter.Sender{Store: e.db, Queue: q}
	e.svc.SetSendQueue(s)
	return q, s
}

type fastRetry struct{}

func (fastRetry) NextRetry(*rivertype.JobRow) time.Time {
	return time.Now().Add(100 * time.Millisecond)
}

func (e *sendEnv) wait(t *testing.T, sendID int64, until func(*store.NewsletterSend) bool) *store.NewsletterSend {
	t.Helper()
	deadline := time.Now().Add(4 * time.Minute)
	for {
		s, err := e.db.FindSend(context.Background(), sendID)
		if err != nil {
			t.Fatal(err)
		}
		if until(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("send stuck: %+v", s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// copies counts the messages mailpit holds per recipient.
func (e *sendEnv) copies(t *testing.T) (map[string]int, []mailtest.Message) {
	t.Helper()
	all := e.mail.All(t, 5000)
	got := map[string]int{}
	for _, m := range all {
		for _, to := range m.To {
			got[strings.ToLower(to.Address)]++
		}
	}
	return got, all
}

var editor = &content.User{ID: 1, Role: content.RoleEditor}

func TestSend_ThousandMembers(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 1,000 messages")
	}
	t.Parallel()
	const n = 1000
	e := newSendEnv(t, n)
	ctx := context.Background()
	q, _ := e.queue(t, 0)
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Stop(context.Background()) })
	send, err := e.svc.As(editor).SendArticle(ctx, e.nl.ID, e.article.ID)
	if err != nil {
		t.Fatal(err)
	}
	if send.Total != n {
		t.Fatalf("total %d", send.Total)
	}
	done := e.wait(t, send.ID, func(s *store.NewsletterSend) bool { return s.Status == store.SendDone })
	if done.Sent != n || done.Failed != 0 || done.Sending != 0 || done.Pending != 0 {
		t.Fatalf("send %+v", done)
	}
	got, all := e.copies(t)
	if len(all) != n {
		t.Fatalf("mailpit holds %d messages, want %d", len(all), n)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	for addr, id := range e.members {
		if got[addr] != 1 {
			t.Errorf("%s got %d copies", addr, got[addr])
		}
		_ = id
	}
	// Every message: subject, both parts, the member's own one-click link.
	for _, sum := range all {
		addr := strings.ToLower(sum.To[0].Address)
		h := e.mail.Headers(t, sum.ID)
		want := "<" + newsletter.UnsubscribeURL(key, e.site.URL, e.members[addr], e.nl.ID) + ">"
		if first(h["List-Unsubscribe"]) != want || first(h["List-Unsubscribe-Post"]) != "List-Unsubscribe=One-Click" ||
			!strings.Contains(first(h["List-Id"]), "<weekly-digest.127.0.0.1>") || sum.Subject != "Dams and Diplomacy" ||
			!strings.HasPrefix(first(h["Content-Type"]), "multipart/alternative") {
			t.Fatalf("message to %s: subject %q headers %v", addr, sum.Subject, h)
		}
		u := strings.Trim(want, "<>")
		resp, err := client.Post(u, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("one-click unsubscribe of %s: %v %v", addr, err, resp)
		}
		resp.Body.Close()
	}
	full := e.mail.Message(t, all[0].ID)
	if !strings.Contains(full.Text, "Unsubscribe: "+e.site.URL) || !strings.Contains(full.HTML, `style="`) ||
		!strings.Contains(full.HTML, "<em style=") && !strings.Contains(full.HTML, "Rogun") {
		t.Fatalf("parts: %s\n%s", full.Text, full.HTML)
	}
	nls, _ := e.db.FindNewsletters(ctx)
	if nls[0].Subscribers != 0 {
		t.Fatalf("%d still subscribed after every one-click unsubscribe", nls[0].Subscribers)
	}
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// TestSend_Resume stops the sending process midway (its jobs cancelled
// between two messages, as a shutdown does) and starts a new one on the
// same database: every member gets exactly one copy.
func TestSend_Resume(t *testing.T) {
	t.Parallel()
	const n = 300
	e := newSendEnv(t, n)
	ctx := context.Background()
	q1, _ := e.queue(t, 5*time.Millisecond)
	if err := q1.Start(ctx); err != nil {
		t.Fatal(err)
	}
	send, err := e.svc.As(editor).SendArticle(ctx, e.nl.ID, e.article.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.wait(t, send.ID, func(s *store.NewsletterSend) bool { return s.Sent >= 40 })
	sctx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	_ = q1.Stop(sctx) // cut short: running batches are cancelled
	cancel()
	mid, _ := e.db.FindSend(ctx, send.ID)
	if mid.Status == store.SendDone || mid.Sent >= n {
		t.Fatalf("the send finished before the stop: %+v", mid)
	}
	if mid.Sending != 0 {
		t.Fatalf("%d recipients left in flight by a stop", mid.Sending)
	}
	got, _ := e.copies(t)
	if len(got) != mid.Sent {
		t.Fatalf("%d addresses mailed, %d recorded sent", len(got), mid.Sent)
	}

	var wg sync.WaitGroup
	q2, s2 := e.queue(t, 0)
	if err := q2.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wg.Wait(); _ = q2.Stop(context.Background()) })
	if err := s2.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	done := e.wait(t, send.ID, func(s *store.NewsletterSend) bool { return s.Status == store.SendDone })
	if done.Sent != n {
		t.Fatalf("after resume %+v", done)
	}
	got, all := e.copies(t)
	if len(all) != n {
		t.Fatalf("%d messages for %d members", len(all), n)
	}
	for addr := range e.members {
		if got[addr] != 1 {
			t.Errorf("%s got %d copies", addr, got[addr])
		}
	}
}

// TestSend_KilledMidMessage leaves a recipient as a killed process would:
// claimed, handed to the mail server, never marked. The resumed send mails
// everyone else once and that recipient not again, and says so.
func TestSend_KilledMidMessage(t *testing.T) {
	t.Parallel()
	const n = 20
	e := newSendEnv(t, n)
	ctx := context.Background()
	q, s := e.queue(t, 0)
	send, err := e.svc.As(editor).SendArticle(ctx, e.nl.ID, e.article.ID)
	if err != nil {
		t.Fatal(err)
	}
	victim := e.members["reader0007@example.org"]
	if ok, err := mustDeliveries(e.svc).Claim(ctx, send.ID, victim); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Stop(context.Background()) })
	if err := s.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	done := e.wait(t, send.ID, func(s *store.NewsletterSend) bool { return s.Status == store.SendDone })
	if done.Sent != n-1 || done.Sending != 1 || done.Pending != 0 {
		t.Fatalf("send %+v", done)
	}
	got, _ := e.copies(t)
	for addr := range e.members {
		want := 1
		if addr == "reader0007@example.org" {
			want = 0
		}
		if got[addr] != want {
			t.Errorf("%s got %d copies, want %d", addr, got[addr], want)
		}
	}
}

func mustDeliveries(svc *editorial.Service) *editorial.Delivery {
	d, err := svc.System("newsletter").Deliveries()
	if err != nil {
		panic(err)
	}
	return d
}

// TestSend_MemberLanguage sends a Persian article to a Persian newsletter:
// the message's own words are Persian and its unsubscribe link, in the
// header and the body, opens the Persian page and unsubscribes in one click.
func TestSend_MemberLanguage(t *testing.T) {
	t.Parallel()
	e := newSendEnv(t, 2)
	ctx := context.Background()
	a := &content.Article{Language: "fa", Title: "سد و دیپلماسی", BodyMarkdown: "سد *راغون*.", Status: content.StatusPublished}
	if err := e.svc.System("test").CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	nl := &store.Newsletter{Name: "خبرنامه", Slug: "khabarnameh", Language: "fa"}
	if err := e.svc.System("test").CreateNewsletter(ctx, nl); err != nil {
		t.Fatal(err)
	}
	for _, id := range e.members {
		m, err := e.db.FindMemberByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.AsMember(m).SetSubscription(ctx, nl.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	q, _ := e.queue(t, 0)
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Stop(context.Background()) })
	send, err := e.svc.As(editor).SendArticle(ctx, nl.ID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.wait(t, send.ID, func(s *store.NewsletterSend) bool { return s.Status == store.SendDone })
	_, all := e.copies(t)
	if len(all) != 2 {
		t.Fatalf("mailpit holds %d messages, want 2", len(all))
	}
	client := &http.Client{Timeout: 10 * time.Second}
	for _, sum := range all {
		addr := strings.ToLower(sum.To[0].Address)
		h := e.mail.Headers(t, sum.ID)
		unsub := newsletter.UnsubscribeURL(key, e.site.URL+"/fa", e.members[addr], nl.ID)
		if first(h["List-Unsubscribe"]) != "<"+unsub+">" || first(h["Content-Language"]) != "fa" {
			t.Fatalf("message to %s: headers %v, want unsubscribe %s", addr, h, unsub)
		}
		full := e.mail.Message(t, sum.ID)
		for _, want := range []string{"خبرنامه را دریافت می‌کنید چون در", "لغو اشتراک: " + unsub, "در مرورگر بخوانید: " + e.site.URL + "/fa/"} {
			if !strings.Contains(full.Text, want) {
				t.Errorf("text part lacks %q:\n%s", want, full.Text)
			}
		}
		if !strings.Contains(full.HTML, `lang="fa" dir="rtl"`) || !strings.Contains(full.HTML, ">لغو اشتراک</a>") ||
			strings.Contains(full.HTML, "You receive") {
			t.Errorf("HTML part not in Persian:\n%s", full.HTML)
		}
		resp, err := client.Get(unsub)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), `lang="fa"`) ||
			!strings.Contains(string(page), `action="/fa/newsletters/unsubscribe?`) {
			t.Fatalf("GET %s: %d\n%s", unsub, resp.StatusCode, page)
		}
		resp, err = client.Post(unsub, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("one-click unsubscribe of %s: %v %v", addr, err, resp)
		}
		resp.Body.Close()
	}
	subs, err := e.db.FindNewsletters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range subs {
		if n.ID == nl.ID && n.Subscribers != 0 {
			t.Fatalf("%d still subscribed after one-click unsubscribe", n.Subscribers)
		}
	}
}

// TestSend_EveryLanguageNewsletter: a newsletter of every language speaks
// to each member in their first language, with the unsubscribe page under
// its prefix; a member without one gets the article's language.
func TestSend_EveryLanguageNewsletter(t *testing.T) {
	t.Parallel()
	e := newSendEnv(t, 1)
	ctx := context.Background()
	de, err := e.svc.System("test").JoinMember(ctx, "leser@example.de", []string{"de", "en"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.AsMember(de).SetSubscription(ctx, e.nl.ID, true); err != nil {
		t.Fatal(err)
	}
	e.members["leser@example.de"] = de.ID
	q, _ := e.queue(t, 0)
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Stop(context.Background()) })
	send, err := e.svc.As(editor).SendArticle(ctx, e.nl.ID, e.article.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.wait(t, send.ID, func(s *store.NewsletterSend) bool { return s.Status == store.SendDone })
	_, all := e.copies(t)
	if len(all) != 2 {
		t.Fatalf("mailpit holds %d messages, want 2", len(all))
	}
	for _, sum := range all {
		addr := strings.ToLower(sum.To[0].Address)
		full := e.mail.Message(t, sum.ID)
		h := e.mail.Headers(t, sum.ID)
		prefix, words, lang := "", "You receive Weekly digest because you subscribed at", "en"
		if addr == "leser@example.de" {
			prefix, words, lang = "/de", "Sie erhalten Weekly digest, weil Sie sich bei", "de"
		}
		unsub := newsletter.UnsubscribeURL(key, e.site.URL+prefix, e.members[addr], e.nl.ID)
		if first(h["List-Unsubscribe"]) != "<"+unsub+">" || first(h["Content-Language"]) != lang ||
			!strings.Contains(full.Text, words) || !strings.Contains(full.HTML, `href="`+strings.ReplaceAll(unsub, "&", "&amp;")+`"`) {
			t.Errorf("message to %s: headers %v\ntext %s\nhtml %s", addr, h, full.Text, full.HTML)
		}
	}
}
