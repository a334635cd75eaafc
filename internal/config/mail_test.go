package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoad_Mail(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		dir := t.TempDir()
		tok, pw := filepath.Join(dir, "token"), filepath.Join(dir, "hook")
		_ = os.WriteFile(tok, []byte("server-token\n"), 0o600)
		_ = os.WriteFile(pw, []byte("hook-secret\n"), 0o600)
		c := Default()
		err := c.LoadEnv(env(map[string]string{"FOLIO_MAIL_PROVIDER": "postmark", "FOLIO_POSTMARK_TOKEN_FILE": tok,
			"FOLIO_POSTMARK_WEBHOOK_PASSWORD_FILE": pw, "FOLIO_SMTP_FROM": "news@example.org", "FOLIO_MAIL_RATE": "20",
			"FOLIO_SES_SNS_TOPICS": "arn:aws:sns:eu-west-1:123456789012:ses-bounces, arn:aws:sns:eu-west-1:123456789012:ses-complaints"}))
		if err != nil {
			t.Fatal(err)
		}
		if c.PostmarkToken != "server-token" || c.PostmarkWebhookPassword != "hook-secret" || c.MailRate != 20 || len(c.SNSTopics()) != 2 {
			t.Fatalf("got %+v", c.Mail)
		}
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		c := Default()
		err := c.LoadEnv(env(map[string]string{"FOLIO_MAIL_RATE": "fast", "FOLIO_POSTMARK_TOKEN_FILE": "/nonexistent/token"}))
		for _, want := range []string{"FOLIO_MAIL_RATE", "FOLIO_POSTMARK_TOKEN_FILE"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("LoadEnv error %v lacks %s", err, want)
			}
		}
		c = Default()
		c.MailProvider, c.SNSTopicARNs = "postmark", "arn:aws:s3:::bucket"
		err = c.Validate()
		for _, want := range []string{"postmark-token:", "smtp-from:", "ses-sns-topics:"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("Validate error %v lacks %s", err, want)
			}
		}
		c = Default()
		c.MailProvider = "mailgun"
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "mail-provider:") {
			t.Errorf("Validate error %v lacks mail-provider", err)
		}
	})
}
