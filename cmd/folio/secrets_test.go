package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"folio/internal/mail/mailtest"
	"folio/internal/store"
	"folio/internal/store/sqlite"
)

// secretsFlow is a browser and API client of one server that remembers
// every secret it sees and every error body it gets.
type secretsFlow struct {
	t       *testing.T
	ts      *testServer
	c       *http.Client
	secrets map[string]string // secret → what it is
	errors  bytes.Buffer      // bodies of 4xx and 5xx answers
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (f *secretsFlow) secret(what, s string) string {
	f.t.Helper()
	if s == "" {
		f.t.Fatalf("no %s", what)
	}
	f.secrets[s] = what
	return s
}

func (f *secretsFlow) do(req *http.Request) (*http.Response, string) {
	f.t.Helper()
	resp, err := f.c.Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 400 {
		fmt.Fprintf(&f.errors, "%s %s %d\n%s\n", req.Method, req.URL.Path, resp.StatusCode, b)
	}
	return resp, string(b)
}

// form GETs page for its CSRF token and POSTs values to action.
func (f *secretsFlow) form(page, action string, values url.Values) (*http.Response, string) {
	f.t.Helper()
	req, _ := http.NewRequest("GET", f.ts.base+page, nil)
	_, body := f.do(req)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		f.t.Fatalf("no CSRF token on %s", page)
	}
	values.Set("_csrf", m[1])
	req, _ = http.NewRequest("POST", f.ts.base+action, strings.NewReader(values.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return f.do(req)
}

func (f *secretsFlow) api(method, path, token string, body any) (*http.Response, string) {
	f.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, f.ts.base+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	return f.do(req)
}

// mailed waits for the n-th message to addr and returns the link in it
// that starts with prefix.
func mailedLink(t *testing.T, srv *mailtest.Server, addr string, n int, prefix string) string {
	t.Helper()
	for deadline := time.Now().Add(45 * time.Second); srv.Count(t, addr) < n; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no mail %d to %s in 45s", n, addr)
		}
	}
	text := srv.Last(t, addr).Text
	i := strings.Index(text, prefix)
	if i < 0 {
		t.Fatalf("no %s link in %q", prefix, text)
	}
	return strings.Fields(text[i:])[0]
}

// TestSecretsStayOutOfLogs runs a broad flow against a real server at
// debug log level (passwords right and wrong, sessions, API tokens good
// and bad, password reset and member sign-in links, token creation in the
// admin) and then looks for every secret it created, as is and
// URL-escaped, in the server's log, the CLI's error output, every error
// response and the audit log. None may be there.
func TestSecretsStayOutOfLogs(t *testing.T) {
	ctx := context.Background()
	mail := mailtest.Start(t)
	dir := t.TempDir()
	const pw = "first secret passphrase 7Q"
	var cliErr bytes.Buffer
	if err := run(ctx, []string{"user", "add", "--email", "ana@example.org", "--name", "Ana", "--role", "admin"},
		env(map[string]string{"FOLIO_DATA": dir, "FOLIO_USER_PASSWORD": pw}), io.Discard, &cliErr); err != nil {
		t.Fatalf("user add: %v", err)
	}
	var tokOut bytes.Buffer
	if err := run(ctx, []string{"token", "create", "--name", "ci", "--data", dir}, env(nil), &tokOut, &cliErr); err != nil {
		t.Fatalf("token create: %v", err)
	}
	ts := startServer(t, dir, "--log-level", "debug", "--smtp-host", mail.SMTPHost, "--smtp-port", strconv.Itoa(mail.SMTPPort),
		"--smtp-from", "news@example.org", "--smtp-tls", "none")
	jar, _ := cookiejar.New(nil)
	f := &secretsFlow{t: t, ts: ts, c: &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: noRedirect.CheckRedirect},
		secrets: map[string]string{}}
	f.secret("password", pw)
	apiToken := f.secret("API token (CLI)", strings.TrimSpace(tokOut.String()))

	// Wrong passwords, then the right one: a session.
	wrong := f.secret("wrong password", "wrong secret passphrase 9Z")
	if resp, _ := f.form("/admin/login", "/admin/login", url.Values{"email": {"ana@example.org"}, "password": {wrong}}); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	if resp, _ := f.form("/admin/login", "/admin/login", url.Values{"email": {"ana@example.org"}, "password": {pw}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", resp.StatusCode)
	}
	base, _ := url.Parse(ts.base + "/admin/")
	for _, c := range jar.Cookies(base) {
		// The CSRF cookie's value is in every form by design (double
		// submit): it is no secret from the page that holds it.
		if c.Name != "folio_csrf" {
			f.secret("cookie "+c.Name, c.Value)
		}
	}

	// An API token made in the admin, shown once on the page.
	_, page := f.form("/admin/tokens", "/admin/tokens", url.Values{"name": {"script"}})
	adminToken := f.secret("API token (admin)", regexp.MustCompile(`folio_[A-Za-z0-9_-]{40,}`).FindString(page))

	// The API with good, revoked-looking and malformed tokens.
	if resp, body := f.api("POST", "/api/v1/articles", apiToken, map[string]any{"title": "From the API", "body_markdown": "Text.", "language": "en"}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("API create: %d %s", resp.StatusCode, body)
	}
	f.api("GET", "/api/v1/articles", adminToken, nil)
	f.api("GET", "/api/v1/articles", f.secret("unknown API token", "folio_"+strings.Repeat("Zq", 21)+"x"), nil)
	f.api("GET", "/api/v1/articles", f.secret("malformed API token", "not-a-token-but-secret-42"), nil)
	f.api("POST", "/api/v1/articles", apiToken, map[string]any{"title": 12})

	// Password reset by mailed link, then sign in with the new password.
	f.form("/admin/reset", "/admin/reset", url.Values{"email": {"ana@example.org"}})
	resetLink := mailedLink(t, mail, "ana@example.org", 1, "http://folio.test/admin/reset?token=")
	u, _ := url.Parse(resetLink)
	resetTok := f.secret("reset token", u.Query().Get("token"))
	pw2 := f.secret("new password", "second secret passphrase 3K")
	if resp, _ := f.form("/admin/reset?token="+url.QueryEscape(resetTok), "/admin/reset", url.Values{"token": {resetTok}, "password": {pw2}, "password2": {pw2}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", resp.StatusCode)
	}
	// A used link again: an error page that must not echo it.
	f.form("/admin/reset?token="+url.QueryEscape(resetTok), "/admin/reset", url.Values{"token": {resetTok}, "password": {pw2}, "password2": {pw2}})

	// A member's magic link.
	f.form("/members/signin", "/members/signin", url.Values{"email": {"reader@example.org"}})
	magic := mailedLink(t, mail, "reader@example.org", 1, "http://folio.test/members/confirm?")
	mu, _ := url.Parse(magic)
	magicTok := f.secret("magic link token", mu.Query().Get("token"))
	req, _ := http.NewRequest("GET", ts.base+"/members/confirm?token="+url.QueryEscape(magicTok), nil)
	f.do(req)
	for _, c := range jar.Cookies(base.ResolveReference(&url.URL{Path: "/members/"})) {
		f.secret("cookie "+c.Name, c.Value)
	}
	req, _ = http.NewRequest("GET", ts.base+"/members/confirm?token="+url.QueryEscape(magicTok), nil)
	f.do(req) // used again

	// Everything that was written down: the server log, the CLI's errors,
	// the error responses and the audit log.
	db, err := sqlite.Open(ctx, filepath.Join(dir, "folio.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, _, err := db.FindAudit(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var audit strings.Builder
	for _, e := range entries {
		fmt.Fprintf(&audit, "%s %s %s %s %d %s %s\n", e.At, e.Actor, e.Action, e.ItemKind, e.ItemID, e.Summary, e.IP)
	}
	sources := map[string]string{"server log": ts.stderr.String(), "CLI errors": cliErr.String(),
		"error responses": f.errors.String(), "audit log": audit.String()}
	if len(entries) == 0 || len(sources["server log"]) == 0 {
		t.Fatalf("nothing to search: %d audit entries, %d bytes of server log", len(entries), len(sources["server log"]))
	}
	found := 0
	for s, what := range f.secrets {
		for _, form := range []string{s, url.QueryEscape(s)} {
			for name, text := range sources {
				if strings.Contains(text, form) {
					found++
					t.Errorf("%s found in the %s", what, name)
				}
			}
		}
	}
	t.Logf("secrets checked: %d, found: %d", len(f.secrets), found)
	fmt.Printf("secrets checked: %d, found: %d\n", len(f.secrets), found)
}
