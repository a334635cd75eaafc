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

// TestServe_DemoContactForm: the demo's /contact/ page still answers GET
// (a POST to it is refused, not taken for the form), its form loads from
// /contact-form/{id}/, and a message sent there reaches the desk's
// address (the demo's contact_email) through the job queue and mailpit.
func TestServe_DemoContactForm(t *testing.T) {
	srv := mailtest.Start(t)
	ts := startServer(t, t.TempDir(), "--demo", "--smtp-host", srv.SMTPHost, "--smtp-port", strconv.Itoa(srv.SMTPPort),
		"--smtp-from", "news@example.org", "--smtp-tls", "none")
	resp, page := ts.get(t, "/contact/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /contact/: %s", resp.Status)
	}
	m := regexp.MustCompile(`data-fragment="(/contact-form/\d+/)\?lang=en&amp;fragment=1"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("the contact page loads no form:\n%s", page)
	}
	form := string(m[1])
	// The demo's stored settings name the --base-url (here http://folio.test),
	// its RSS link in the footer too; nothing names a fixed localhost:8080.
	if bytes.Contains(page, []byte("localhost:8080")) || !bytes.Contains(page, []byte(`href="http://folio.test/feed.xml"`)) {
		t.Errorf("the demo's page names another base URL than --base-url")
	}
	if r, err := noRedirect.PostForm(ts.base+"/contact/", url.Values{"message": {"hello"}}); err != nil || r.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("POST /contact/: %v %v, want 405", r, err)
	}
	if resp, _ := ts.get(t, "/contact/"); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /contact/ after a POST: %s", resp.Status)
	}

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: noRedirect.CheckRedirect}
	r, err := c.Get(ts.base + form + "?fragment=1")
	if err != nil {
		t.Fatal(err)
	}
	frag, _ := io.ReadAll(r.Body)
	r.Body.Close()
	csrf := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(frag)
	stamp := regexp.MustCompile(`name="ts" value="([^"]+)"`).FindSubmatch(frag)
	if r.StatusCode != http.StatusOK || csrf == nil || stamp == nil {
		t.Fatalf("form fragment: %s\n%s", r.Status, frag)
	}
	time.Sleep(3100 * time.Millisecond) // the form's least time on the page
	r, err = c.PostForm(ts.base+form, url.Values{"_csrf": {string(csrf[1])}, "ts": {string(stamp[1])},
		"name": {"Nilufar"}, "email": {"nilufar@example.net"}, "message": {"Your glacier piece has the wrong year."}})
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("send: %s", r.Status)
	}
	for deadline := time.Now().Add(45 * time.Second); srv.Count(t, "editors@example.org") == 0; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no message reached the desk in 45s\n%s", ts.stderr.String())
		}
	}
	if msg := srv.Last(t, "editors@example.org"); !strings.Contains(msg.Text, "the wrong year") {
		t.Fatalf("desk message: %q", msg.Text)
	}
}
