package readers_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/mail"
	"folio/internal/mail/mailtest"
	"folio/internal/newsletter"
	"folio/internal/readers"
	"folio/internal/store"
	"folio/internal/store/sqlite"
	"folio/internal/store/sqlite/sqlitetest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type env struct {
	t       *testing.T
	db      *sqlite.DB
	svc     *editorial.Service
	srv     *httptest.Server
	mail    *mailtest.Server
	clock   *clock
	key     []byte
	article *content.Article
	keys    []string
	mu      sync.Mutex
}

func newEnv(t *testing.T, limits readers.Limits) *env {
	t.Helper()
	return newPaidEnv(t, limits, nil)
}

// newPaidEnv is newEnv with paid membership configured by paid.
func newPaidEnv(t *testing.T, limits readers.Limits, paid *readers.PaidConfig) *env {
	t.Helper()
	e := &env{t: t, clock: &clock{t: time.Now().UTC().Truncate(time.Second)}, key: []byte(strings.Repeat("k", 32))}
	e.db = sqlitetest.New(t)
	e.svc = editorial.New(e.db, editorial.WithClock(e.clock.now), editorial.OnChange(func(ev key.Event) {
		e.mu.Lock()
		e.keys = append(e.keys, ev.Keys...)
		e.mu.Unlock()
	}))
	e.article = &content.Article{Language: "en", Title: "Water Rights", BodyMarkdown: "The *canal* takes a fifth of the flow.",
		Status: content.StatusPublished, PublishedAt: e.clock.now().Add(-time.Hour)}
	if err := e.svc.System("test").CreateArticle(context.Background(), e.article); err != nil {
		t.Fatal(err)
	}
	e.mail = mailtest.Start(t)
	smtp := &mail.SMTP{Host: e.mail.SMTPHost, Port: e.mail.SMTPPort, From: "The Review <news@example.org>", TLS: mail.TLSNone}
	mux := http.NewServeMux()
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	readers.New(readers.Config{Store: e.db, Editorial: e.svc, Mailer: smtp, Key: e.key, Now: e.clock.now,
		BaseURL: func() string { return e.srv.URL }, Limits: limits, Paid: paid}).Register(mux)
	return e
}

type client struct {
	e *env
	c *http.Client
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) get(path string) (*http.Response, string) {
	c.e.t.Helper()
	resp, err := c.c.Get(c.e.srv.URL + path)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var csrfRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
var stampRE = regexp.MustCompile(`name="ts" value="([^"]+)"`)

// post sends form to path with the CSRF token of the page at from.
func (c *client) post(from, path string, form url.Values) (*http.Response, string) {
	c.e.t.Helper()
	_, page := c.get(from)
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		c.e.t.Fatalf("no csrf token on %s: %s", from, page)
	}
	form.Set("_csrf", m[1])
	if s := stampRE.FindStringSubmatch(page); s != nil && form.Get("ts") == "" {
		form.Set("ts", s[1])
	}
	return c.postRaw(path, form)
}

func (c *client) postRaw(path string, form url.Values) (*http.Response, string) {
	c.e.t.Helper()
	resp, err := c.c.PostForm(c.e.srv.URL+path, form)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var linkRE = regexp.MustCompile(`http://\S+/members/confirm\?token=\S+`)

// signIn asks for a link for email and opens it; it returns the link.
func (c *client) signIn(email string) string {
	c.e.t.Helper()
	resp, body := c.post("/members/signin", "/members/signin", url.Values{"email": {email}})
	if resp.StatusCode != 200 || !strings.Contains(body, "Check your inbox") {
		c.e.t.Fatalf("sign-in request: %d %s", resp.StatusCode, body)
	}
	link := linkRE.FindString(c.e.mail.Last(c.e.t, strings.ToLower(email)).Text)
	if link == "" {
		c.e.t.Fatal("no link in the mail")
	}
	resp, body = c.get(strings.TrimPrefix(link, c.e.srv.URL))
	if resp.StatusCode != http.StatusSeeOther {
		c.e.t.Fatalf("confirm: %d %s", resp.StatusCode, body)
	}
	return link
}

func TestSignin(t *testing.T) {
	e := newEnv(t, readers.Limits{})
	ana := e.client()
	link := ana.signIn("Ana@Example.org")
	_, body := ana.get("/members/profile")
	if !strings.Contains(body, "Signed in as") || !strings.Contains(body, "ana@example.org") {
		t.Fatalf("profile: %s", body)
	}
	path := strings.TrimPrefix(link, e.srv.URL)

	t.Run("ErrReplayed", func(t *testing.T) {
		resp, body := ana.get(path)
		if resp.StatusCode != 400 || !strings.Contains(body, "already used or expired") {
			t.Fatalf("replay: %d %s", resp.StatusCode, body)
		}
	})
	t.Run("ErrOtherBrowser", func(t *testing.T) {
		ben := e.client()
		ben.post("/members/signin", "/members/signin", url.Values{"email": {"ben@example.org"}})
		l := linkRE.FindString(e.mail.Last(t, "ben@example.org").Text)
		other := e.client()
		resp, body := other.get(strings.TrimPrefix(l, e.srv.URL))
		if resp.StatusCode != 403 || !strings.Contains(body, "another browser") {
			t.Fatalf("other browser: %d %s", resp.StatusCode, body)
		}
		// The link still works where it was asked for.
		if resp, _ := ben.get(strings.TrimPrefix(l, e.srv.URL)); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("asking browser after another tried: %d", resp.StatusCode)
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		cy := e.client()
		cy.post("/members/signin", "/members/signin", url.Values{"email": {"cy@example.org"}})
		l := linkRE.FindString(e.mail.Last(t, "cy@example.org").Text)
		e.clock.add(readers.LinkLifetime + time.Second)
		if resp, _ := cy.get(strings.TrimPrefix(l, e.srv.URL)); resp.StatusCode != 400 {
			t.Fatalf("expired link: %d", resp.StatusCode)
		}
		if _, err := e.db.FindMemberByEmail(context.Background(), "cy@example.org"); content.ErrorCode(err) != content.ENOTFOUND {
			t.Fatalf("an unconfirmed address became a member: %v", err)
		}
	})
	t.Run("ErrBadAddress", func(t *testing.T) {
		resp, body := e.client().post("/members/signin", "/members/signin", url.Values{"email": {"x@mailinator.com"}})
		if resp.StatusCode != 400 || !strings.Contains(body, "disposable") {
			t.Fatalf("disposable: %d %s", resp.StatusCode, body)
		}
	})
	t.Run("ErrCSRF", func(t *testing.T) {
		resp, _ := e.client().postRaw("/members/signin", url.Values{"email": {"d@example.org"}})
		if resp.StatusCode != 403 {
			t.Fatalf("no token: %d", resp.StatusCode)
		}
		req, _ := http.NewRequest("POST", e.srv.URL+"/members/signout", strings.NewReader("_csrf=x"))
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if resp, _ := ana.c.Do(req); resp.StatusCode != 403 {
			t.Fatalf("cross-site: %d", resp.StatusCode)
		}
	})
	t.Run("ErrTooMany", func(t *testing.T) {
		c := e.client()
		for i := 0; i < readers.DefaultLimits.SigninPerAddress.Max; i++ {
			c.post("/members/signin", "/members/signin", url.Values{"email": {"flood@example.org"}})
		}
		resp, body := c.post("/members/signin", "/members/signin", url.Values{"email": {"flood@example.org"}})
		if resp.StatusCode != 429 || !strings.Contains(body, "Too many") {
			t.Fatalf("flood: %d %s", resp.StatusCode, body)
		}
		if n := e.mail.Count(t, "flood@example.org"); n != readers.DefaultLimits.SigninPerAddress.Max {
			t.Fatalf("%d mails to the flooded address", n)
		}
	})
	t.Run("Signout", func(t *testing.T) {
		resp, _ := ana.post("/members/profile", "/members/signout", url.Values{})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign out: %d", resp.StatusCode)
		}
		if resp, _ := ana.get("/members/profile"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("profile after sign-out: %d", resp.StatusCode)
		}
	})
}

func TestProfile(t *testing.T) {
	e := newEnv(t, readers.Limits{})
	ctx := context.Background()
	nl := &store.Newsletter{Name: "Weekly digest", Description: "The week's analysis."}
	if err := e.svc.System("test").CreateNewsletter(ctx, nl); err != nil {
		t.Fatal(err)
	}
	ana := e.client()
	ana.signIn("ana@example.org")
	e.mu.Lock()
	e.keys = nil
	e.mu.Unlock()
	resp, body := ana.post("/members/profile", "/members/profile", url.Values{"name": {"Ana R."}, "languages": {"en fa"}, "newsletter": {"1"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", resp.StatusCode, body)
	}
	m, _ := e.db.FindMemberByEmail(ctx, "ana@example.org")
	if m.Name != "Ana R." || len(m.Newsletters) != 1 || strings.Join(m.Languages, " ") != "en fa" {
		t.Fatalf("member %+v", m)
	}
	e.mu.Lock()
	keys := e.keys
	e.mu.Unlock()
	if len(keys) != 0 {
		t.Fatalf("profile save dropped pages %v; member data is on none", keys)
	}
	resp, body = ana.post("/members/profile", "/members/profile", url.Values{"name": {"x"}, "languages": {"not a tag!"}})
	if resp.StatusCode != 400 || !strings.Contains(body, "is not a language tag") {
		t.Fatalf("bad languages: %d %s", resp.StatusCode, body)
	}

	c, err := e.svc.AsMember(m).PostComment(ctx, editorial.NewComment{ArticleID: e.article.ID, Body: "Mine."})
	if err != nil {
		t.Fatal(err)
	}
	resp, body = ana.get("/members/export")
	var ex readers.Export
	if err := json.Unmarshal([]byte(body), &ex); err != nil || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("export: %v %s", err, body)
	}
	if ex.Member.Email != "ana@example.org" || len(ex.Newsletters) != 1 || len(ex.Comments) != 1 || ex.Comments[0].ID != c.ID {
		t.Fatalf("export %+v", ex)
	}

	resp, _ = ana.post("/members/profile", "/members/delete", url.Values{"confirm": {"no"}})
	if resp.StatusCode != 400 {
		t.Fatalf("unconfirmed delete: %d", resp.StatusCode)
	}
	resp, body = ana.post("/members/profile", "/members/delete", url.Values{"confirm": {"delete"}})
	if resp.StatusCode != 200 || !strings.Contains(body, "deleted") {
		t.Fatalf("delete: %d %s", resp.StatusCode, body)
	}
	if _, err := e.db.FindMemberByID(ctx, m.ID); content.ErrorCode(err) != content.ENOTFOUND {
		t.Fatalf("member kept: %v", err)
	}
	if resp, _ := ana.get("/members/profile"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("deleted member still signed in: %d", resp.StatusCode)
	}
}

func TestComments(t *testing.T) {
	e := newEnv(t, readers.Limits{})
	ctx := context.Background()
	ana := e.client()
	ana.signIn("ana@example.org")
	form := "/members/comment?article=" + itoa(e.article.ID)
	post := func(c *client, v url.Values) (*http.Response, string) {
		t.Helper()
		v.Set("article", itoa(e.article.ID))
		_, page := c.get(form)
		v.Set("_csrf", csrfRE.FindStringSubmatch(page)[1])
		if v.Get("ts") == "" {
			v.Set("ts", stampRE.FindStringSubmatch(page)[1])
		}
		e.clock.add(readers.DefaultMinTimeOnPage)
		return c.postRaw("/members/comment", v)
	}

	t.Run("Fragment", func(t *testing.T) {
		resp, body := ana.get(form + "&fragment=1")
		if resp.Header.Get("Cache-Control") != "no-store" || strings.Contains(body, "<html") || !strings.Contains(body, "Commenting as") {
			t.Fatalf("fragment: %v %s", resp.Header, body)
		}
		_, body = e.client().get(form + "&fragment=1")
		if !strings.Contains(body, "Sign in or join to comment") {
			t.Fatalf("signed-out fragment: %s", body)
		}
	})
	t.Run("Held", func(t *testing.T) {
		resp, body := post(ana, url.Values{"body": {"Thanks for *this*.<script>alert(1)</script>"}})
		if resp.StatusCode != 200 || !strings.Contains(body, "once a moderator approves") {
			t.Fatalf("post: %d %s", resp.StatusCode, body)
		}
		q, _, _ := e.db.FindCommentQueue(ctx, store.CommentFilter{Statuses: []string{store.CommentPending}})
		if len(q) != 1 || strings.Contains(q[0].BodyHTML, "script") || q[0].AuthorEmail != "ana@example.org" {
			t.Fatalf("queue %+v", q)
		}
	})
	t.Run("ErrTooQuick", func(t *testing.T) {
		_, page := ana.get(form)
		v := url.Values{"article": {itoa(e.article.ID)}, "body": {"fast"}, "_csrf": {csrfRE.FindStringSubmatch(page)[1]},
			"ts": {stampRE.FindStringSubmatch(page)[1]}}
		resp, body := ana.postRaw("/members/comment", v)
		if resp.StatusCode != 400 || !strings.Contains(body, "wait a few seconds") {
			t.Fatalf("quick: %d %s", resp.StatusCode, body)
		}
		v.Set("ts", "1.forged")
		if resp, _ := ana.postRaw("/members/comment", v); resp.StatusCode != 400 {
			t.Fatalf("forged stamp: %d", resp.StatusCode)
		}
	})
	t.Run("Honeypot", func(t *testing.T) {
		resp, _ := post(ana, url.Values{"body": {"buy now"}, "website": {"http://spam.example"}})
		_, n, _ := e.db.FindCommentQueue(ctx, store.CommentFilter{})
		if resp.StatusCode != 200 || n != 1 {
			t.Fatalf("trap: %d, %d comments stored", resp.StatusCode, n)
		}
	})
	t.Run("ErrTooManyLinks", func(t *testing.T) {
		resp, body := post(ana, url.Values{"body": {"<https://a.example> <https://b.example> <https://c.example>"}})
		if resp.StatusCode != 400 || !strings.Contains(body, "at most 2") {
			t.Fatalf("links: %d %s", resp.StatusCode, body)
		}
	})
	t.Run("ErrSignedOutOnMembersOnly", func(t *testing.T) {
		resp, _ := e.client().post("/members/signin", "/members/comment", url.Values{"article": {itoa(e.article.ID)}, "body": {"hi"}, "name": {"Guest"}})
		if resp.StatusCode != 401 {
			t.Fatalf("anonymous: %d", resp.StatusCode)
		}
	})
	t.Run("ApprovedThenDirect", func(t *testing.T) {
		q, _, _ := e.db.FindCommentQueue(ctx, store.CommentFilter{Statuses: []string{store.CommentPending}})
		if err := e.svc.As(&content.User{ID: 1, Role: content.RoleEditor}).Moderate(ctx, q[0].ID, editorial.ModApprove); err != nil {
			t.Fatal(err)
		}
		resp, _ := post(ana, url.Values{"body": {"A reply."}, "parent": {itoa(q[0].ID)}})
		if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "#comment-") {
			t.Fatalf("second comment: %d %v", resp.StatusCode, resp.Header)
		}
	})
	t.Run("ErrFlood", func(t *testing.T) {
		var last int
		for i := 0; i < readers.DefaultLimits.CommentPerMember.Max+1; i++ {
			resp, _ := post(ana, url.Values{"body": {"again " + itoa(int64(i))}})
			last = resp.StatusCode
		}
		if last != 429 {
			t.Fatalf("flood ended with %d", last)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestUnsubscribeAndForward(t *testing.T) {
	e := newEnv(t, readers.Limits{})
	ctx := context.Background()
	nl := &store.Newsletter{Name: "Weekly"}
	e.svc.System("test").CreateNewsletter(ctx, nl)
	m, _ := e.svc.System("test").JoinMember(ctx, "sub@example.org", nil)
	e.svc.AsMember(m).SetSubscription(ctx, nl.ID, true)
	u := newsletter.UnsubscribeURL(e.key, e.srv.URL, m.ID, nl.ID)

	// A GET (a mail scanner) changes nothing.
	c := e.client()
	_, body := c.get(strings.TrimPrefix(u, e.srv.URL))
	if got, _ := e.db.FindMemberByID(ctx, m.ID); len(got.Newsletters) != 1 || !strings.Contains(body, "Stop receiving") {
		t.Fatalf("GET unsubscribed or shows %s", body)
	}
	// RFC 8058: a POST with no cookie and no token.
	resp, err := http.Post(u, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("one-click: %v %v", err, resp)
	}
	if got, _ := e.db.FindMemberByID(ctx, m.ID); len(got.Newsletters) != 0 {
		t.Fatal("still subscribed")
	}
	bad := strings.Replace(u, "t=", "t=x", 1)
	if resp, _ := http.Post(bad, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click")); resp.StatusCode != 400 {
		t.Fatalf("forged token: %d", resp.StatusCode)
	}

	path := "/forward/" + itoa(e.article.ID) + "/"
	_, body = c.get(path)
	for _, want := range []string{"Water Rights", "Copyright ©", e.srv.URL + "/water-rights/", "License:", "<em>canal</em>"} {
		if !strings.Contains(body, want) {
			t.Errorf("forward page lacks %q", want)
		}
	}
	if resp, src := c.get(path + "source"); resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" || !strings.Contains(src, "<em>canal</em>") {
		t.Fatalf("source: %s", src)
	}
	resp2, body := c.post(path, path, url.Values{"friend": {"friend@example.org"}})
	if resp2.StatusCode != 400 || !strings.Contains(body, "wait a few seconds") {
		t.Fatalf("instant forward: %d", resp2.StatusCode)
	}
	_, page := c.get(path)
	e.clock.add(readers.DefaultMinTimeOnPage)
	resp2, _ = c.postRaw(path, url.Values{"friend": {"friend@example.org"}, "_csrf": {csrfRE.FindStringSubmatch(page)[1]},
		"ts": {stampRE.FindStringSubmatch(page)[1]}})
	if resp2.StatusCode != http.StatusSeeOther {
		t.Fatalf("forward: %d", resp2.StatusCode)
	}
	msg := e.mail.Last(t, "friend@example.org")
	if !strings.Contains(msg.Text, "Copyright ©") || !strings.Contains(msg.Text, e.srv.URL+"/water-rights/") || !strings.Contains(msg.HTML, "style=") {
		t.Fatalf("forwarded mail: %s", msg.Text)
	}
}
