package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"folio/internal/store/sqlite"
)

// TestServe_MailWebhooks turns the Postmark webhook on with its password
// and the SES one with a topic, on the demo site: wrong credentials and an
// unverifiable SNS message are refused, a hard bounce of a demo member's
// address is recorded once, and the password never reaches the log.
func TestServe_MailWebhooks(t *testing.T) {
	dir := t.TempDir()
	const secret = "hook secret 5Tq"
	ts := startServer(t, dir, "--demo", "--log-level", "debug", "--postmark-webhook-password", secret,
		"--ses-sns-topics", "arn:aws:sns:eu-west-1:123456789012:ses-feedback")
	bounce, err := os.ReadFile(filepath.Join("..", "..", "internal", "mailhook", "testdata", "postmark", "bounce.json"))
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Replace(string(bounce), "Reader0001@example.org", "Amina.Karimova@readers.example", 1)
	post := func(path, user, pass, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, ts.base+path, strings.NewReader(body))
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 4096)
		n, _ := resp.Body.Read(buf)
		b.Write(buf[:n])
		return resp.StatusCode, b.String()
	}
	if code, _ := post("/mail/postmark", "postmark", "wrong", body); code != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", code)
	}
	if code, resp := post("/mail/postmark", "postmark", secret, body); code != http.StatusOK || !strings.Contains(resp, `"applied":1`) {
		t.Fatalf("bounce: %d %s", code, resp)
	}
	if code, resp := post("/mail/postmark", "postmark", secret, body); code != http.StatusOK || !strings.Contains(resp, `"applied":0`) {
		t.Fatalf("replay: %d %s", code, resp)
	}
	sns := `{"Type":"Notification","MessageId":"m1","TopicArn":"arn:aws:sns:eu-west-1:123456789012:ses-feedback","Message":"{}",
		"Timestamp":"2026-12-04T15:00:00Z","SignatureVersion":"2","Signature":"AAAA","SigningCertURL":"https://attacker.example/cert.pem"}`
	if code, resp := post("/mail/ses", "", "", sns); code != http.StatusBadRequest || !strings.Contains(resp, "SigningCertURL") {
		t.Fatalf("unverifiable SNS message: %d %s", code, resp)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "folio.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if s, err := db.FindSuppression(context.Background(), "amina.karimova@readers.example"); err != nil || s.Reason != "bounce" {
		t.Fatalf("suppression %+v, %v", s, err)
	}
	if log := ts.stderr.String(); strings.Contains(log, secret) || strings.Contains(log, "amina.karimova") {
		t.Fatalf("the log shows the webhook password or the address:\n%s", log)
	}
}
