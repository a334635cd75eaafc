package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"folio/internal/mail/mailtest"
)

// TestServe_PasswordResetMailIsQueued: the reset request answers without
// talking to the SMTP server (it is refusing mail at the time, and the
// request still succeeds with nothing delivered), and the job queue
// delivers the message once the server accepts mail again.
func TestServe_PasswordResetMailIsQueued(t *testing.T) {
	ctx := context.Background()
	srv := mailtest.Start(t)
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run(ctx, []string{"user", "add", "--email", "ana@example.org", "--name", "Ana", "--role", "editor"},
		env(map[string]string{"FOLIO_DATA": dir, "FOLIO_USER_PASSWORD": "a long enough passphrase"}), &out, io.Discard); err != nil {
		t.Fatalf("user add: %v", err)
	}
	ts := startServer(t, dir, "--smtp-host", srv.SMTPHost, "--smtp-port", strconv.Itoa(srv.SMTPPort),
		"--smtp-from", "news@example.org", "--smtp-tls", "none")

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: noRedirect.CheckRedirect}
	resp, err := c.Get(ts.base + "/admin/reset")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the reset form:\n%s", page)
	}

	srv.FailRecipients(t, 451)
	resp, err = c.PostForm(ts.base+"/admin/reset", url.Values{"_csrf": {string(m[1])}, "email": {"ana@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "reset-sent") {
		t.Fatalf("reset request: %s to %q, want 303 to the sent notice", resp.Status, resp.Header.Get("Location"))
	}
	if n := srv.Count(t, "ana@example.org"); n != 0 {
		t.Fatalf("%d messages when the request returned, want none", n)
	}
	srv.FailRecipients(t, 0)
	for deadline := time.Now().Add(45 * time.Second); srv.Count(t, "ana@example.org") == 0; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the queue did not deliver the reset mail in 45s\n%s", ts.stderr.String())
		}
	}
	if msg := srv.Last(t, "ana@example.org"); !strings.Contains(msg.Text, "/admin/reset?token=") {
		t.Fatalf("reset mail without a link: %q", msg.Text)
	}
}
