package readers_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/jobs"
	"folio/internal/mail"
	"folio/internal/mail/mailtest"
	"folio/internal/readers"
	"folio/internal/store"
	"folio/internal/store/sqlite/sqlitetest"
)

// newReplyEnv is newEnv with reply notices wired as serve wires them: the
// service's change events feed a Notifier that queues durable jobs on a
// River queue in the same database, worked by a ReplyWorker that mails
// through mailpit. The article has an author with an address.
func newReplyEnv(t *testing.T, limit readers.Limit) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{t: t, clock: &clock{t: time.Now().UTC().Truncate(time.Second)}, key: []byte(strings.Repeat("k", 32))}
	e.db = sqlitetest.New(t)
	q, err := jobs.Open(ctx, e.db.SQL(), slog.New(slog.DiscardHandler), jobs.Options{PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = editorial.New(e.db, editorial.WithClock(e.clock.now), editorial.OnChange(func(ev key.Event) {
		e.mu.Lock()
		e.keys = append(e.keys, ev.Keys...)
		e.mu.Unlock()
	}), editorial.OnChange((&readers.Notifier{Queue: q}).Consume))
	e.mail = mailtest.Start(t)
	smtp := &mail.SMTP{Host: e.mail.SMTPHost, Port: e.mail.SMTPPort, From: "The Review <news@example.org>", TLS: mail.TLSNone}
	mux := http.NewServeMux()
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	notices, err := e.svc.System("reply notices").ReplyNotices()
	if err != nil {
		t.Fatal(err)
	}
	jobs.Register(q, &readers.ReplyWorker{Store: e.db, Notices: notices, Sender: smtp, Key: e.key,
		BaseURL: func() string { return e.srv.URL }, Limit: limit})
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Stop(stop)
	})
	au := &content.Author{Name: "Nadia Rahimi", Slug: "nadia", Email: "nadia@example.org"}
	if err := e.svc.System("test").CreateAuthor(ctx, au); err != nil {
		t.Fatal(err)
	}
	e.article = &content.Article{Language: "en", Title: "Water Rights", BodyMarkdown: "The *canal* takes a fifth of the flow.",
		Status: content.StatusPublished, PublishedAt: e.clock.now().Add(-time.Hour), Authors: []*content.Author{au}}
	if err := e.svc.System("test").CreateArticle(ctx, e.article); err != nil {
		t.Fatal(err)
	}
	readers.New(readers.Config{Store: e.db, Editorial: e.svc, Mailer: smtp, Key: e.key, Now: e.clock.now,
		BaseURL: func() string { return e.srv.URL }}).Register(mux)
	return e
}

// waitMail waits until addr has n messages (jobs run in the background).
func (e *env) waitMail(addr string, n int) {
	e.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if e.mail.Count(e.t, addr) >= n {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	e.t.Fatalf("%s got %d messages, want %d", addr, e.mail.Count(e.t, addr), n)
}

// settle gives queued jobs time to run, then checks nobody got more than
// counts say.
func (e *env) settle(counts map[string]int) {
	e.t.Helper()
	time.Sleep(700 * time.Millisecond)
	for addr, want := range counts {
		if got := e.mail.Count(e.t, addr); got != want {
			e.t.Errorf("%s has %d messages, want %d", addr, got, want)
		}
	}
}

// comment posts body (replying to parent when not 0) as c and returns the
// stored comment.
func (e *env) comment(c *client, parent int64, body string) *store.Comment {
	e.t.Helper()
	form := "/members/comment?article=" + itoa(e.article.ID)
	_, page := c.get(form)
	v := url.Values{"article": {itoa(e.article.ID)}, "body": {body}, "_csrf": {csrfRE.FindStringSubmatch(page)[1]},
		"ts": {stampRE.FindStringSubmatch(page)[1]}}
	if parent != 0 {
		v.Set("parent", itoa(parent))
	}
	e.clock.add(readers.DefaultMinTimeOnPage)
	if resp, b := c.postRaw("/members/comment", v); resp.StatusCode != 200 && resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("comment: %d %s", resp.StatusCode, b)
	}
	q, _, err := e.db.FindCommentQueue(context.Background(), store.CommentFilter{Limit: 1})
	if err != nil || len(q) == 0 {
		e.t.Fatalf("no comment stored: %v", err)
	}
	return q[0]
}

func (e *env) approve(id int64) {
	e.t.Helper()
	if err := e.svc.System("moderator").Moderate(context.Background(), id, editorial.ModApprove); err != nil {
		e.t.Fatal(err)
	}
}

// TestReplyNotices: approving a comment mails the article's author; an
// approved reply mails the parent commenter (in their language) and the
// author; each message goes to one address and shows no other reader's;
// approving again mails nobody twice; the one-click link (RFC 8058 POST,
// no cookie) stops them; a recipient's rate limit drops the rest.
func TestReplyNotices(t *testing.T) {
	e := newReplyEnv(t, readers.Limit{Max: 2, Window: time.Hour})
	ctx := context.Background()
	ana, ben := e.client(), e.client()
	ana.signIn("ana@example.org")
	ana.post("/members/profile", "/members/profile", url.Values{"name": {"Ana"}, "languages": {"de"}})
	ben.signIn("ben@example.org")
	ben.post("/members/profile", "/members/profile", url.Values{"name": {"Ben"}})

	first := e.comment(ana, 0, "Which canal?")
	if first.Status != store.CommentPending {
		t.Fatalf("first comment %s, want held", first.Status)
	}
	e.settle(map[string]int{"nadia@example.org": 0}) // held: on no page, nobody told
	e.approve(first.ID)
	e.waitMail("nadia@example.org", 1)
	m := e.mail.Last(t, "nadia@example.org")
	if m.Subject != "A new comment on “Water Rights”" || !strings.Contains(m.Text, "Ana commented") ||
		!strings.Contains(m.Text, "Which canal?") || strings.Contains(m.Text, "ana@example.org") || len(m.To) != 1 {
		t.Fatalf("author notice: %+v", m)
	}

	reply := e.comment(ben, first.ID, "The **upper** one.")
	e.approve(reply.ID)
	e.waitMail("ana@example.org", 2) // the sign-in link, then the reply notice
	e.waitMail("nadia@example.org", 2)
	m = e.mail.Last(t, "ana@example.org")
	if m.Subject != "Eine Antwort auf Ihren Kommentar zu „Water Rights“" || !strings.Contains(m.Text, "Ben hat") ||
		!strings.Contains(m.Text, "The upper one.") || strings.Contains(m.Text, "ben@example.org") || len(m.To) != 1 ||
		!strings.Contains(m.Text, e.srv.URL+"/water-rights/#comment-"+itoa(reply.ID)) {
		t.Fatalf("reply notice: %+v", m)
	}
	h := e.mail.Headers(t, m.ID)
	unsub := strings.Trim(strings.Join(h["List-Unsubscribe"], ""), "<>")
	if !strings.HasPrefix(unsub, e.srv.URL+"/de/members/replies/stop?") || strings.Join(h["List-Unsubscribe-Post"], "") != "List-Unsubscribe=One-Click" ||
		strings.Contains(unsub, "ana") {
		t.Fatalf("unsubscribe headers %v", h)
	}
	if e.mail.Count(t, "ben@example.org") != 1 { // his sign-in link only
		t.Errorf("the replier was told of his own reply")
	}

	t.Run("ApprovedAgain", func(t *testing.T) {
		if err := e.svc.System("moderator").Moderate(ctx, reply.ID, editorial.ModHold); err != nil {
			t.Fatal(err)
		}
		e.approve(reply.ID)
		e.settle(map[string]int{"ana@example.org": 2, "nadia@example.org": 2})
	})
	t.Run("ErrBadStopLink", func(t *testing.T) {
		resp, _ := e.client().postRaw(strings.TrimPrefix(unsub, e.srv.URL)+"x", url.Values{"List-Unsubscribe": {"One-Click"}})
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("forged link: %d", resp.StatusCode)
		}
	})
	t.Run("OneClickStop", func(t *testing.T) {
		resp, body := e.client().postRaw(strings.TrimPrefix(unsub, e.srv.URL), url.Values{"List-Unsubscribe": {"One-Click"}})
		if resp.StatusCode != 200 || body != "Unsubscribed.\n" {
			t.Fatalf("one-click: %d %q", resp.StatusCode, body)
		}
		if _, ex := ana.get("/members/export"); !strings.Contains(ex, `"reply_notices": false`) {
			t.Errorf("the export does not say reply notices are off: %s", ex)
		}
		_, page := ana.get("/members/profile")
		if !strings.Contains(page, `name="replies" value="1">`) || strings.Contains(page, `name="replies" value="1" checked`) {
			t.Fatalf("profile still shows reply notices on")
		}
		// Ben's next comment needs no approval; Ana is not told, and the
		// author's limit (2 an hour here) drops his notice too.
		again := e.comment(ben, first.ID, "And the lower one dries in August.")
		if again.Status != store.CommentApproved {
			t.Fatalf("second comment %s", again.Status)
		}
		e.settle(map[string]int{"ana@example.org": 2, "nadia@example.org": 2})
	})
	t.Run("TurnBackOn", func(t *testing.T) {
		ana.post("/members/profile", "/members/profile", url.Values{"name": {"Ana"}, "languages": {"de"}, "replies_shown": {"1"}, "replies": {"1"}})
		_, page := ana.get("/members/profile")
		if !strings.Contains(page, `name="replies" value="1" checked`) {
			t.Fatal("reply notices not back on")
		}
	})
}
