package mail_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"folio/internal/mail"
	"folio/internal/mail/mailtest"
)

func TestSMTP_Send(t *testing.T) {
	srv := mailtest.Start(t)
	s := &mail.SMTP{Host: srv.SMTPHost, Port: srv.SMTPPort, From: "The Review <news@example.org>", TLS: mail.TLSNone}
	t.Run("TextAndHTML", func(t *testing.T) {
		err := s.Send(context.Background(), mail.Message{To: []string{"reader@example.org"}, Subject: "Grüße — hello",
			Text: "Line one\nA long line " + strings.Repeat("x", 100) + "\nhttps://example.org/admin/reset?token=abc_DEF-123",
			HTML: "<p>Hello <b>there</b></p>"})
		if err != nil {
			t.Fatal(err)
		}
		m := srv.Last(t, "reader@example.org")
		if m.Subject != "Grüße — hello" || m.From.Address != "news@example.org" {
			t.Fatalf("got subject %q from %q", m.Subject, m.From.Address)
		}
		if !strings.Contains(m.Text, "https://example.org/admin/reset?token=abc_DEF-123") || !strings.Contains(m.Text, strings.Repeat("x", 100)) {
			t.Fatalf("text = %q", m.Text)
		}
		if !strings.Contains(m.HTML, "<b>there</b>") {
			t.Fatalf("html = %q", m.HTML)
		}
	})
	for _, tc := range []struct {
		name string
		m    mail.Message
	}{
		{"ErrHeaderInjectionTo", mail.Message{To: []string{"a@example.org\r\nBcc: b@example.org"}, Subject: "x", Text: "x"}},
		{"ErrHeaderInjectionSubject", mail.Message{To: []string{"a@example.org"}, Subject: "x\r\nBcc: b@example.org", Text: "x"}},
		{"ErrNoRecipient", mail.Message{Subject: "x", Text: "x"}},
		{"ErrBadRecipient", mail.Message{To: []string{"not an address"}, Subject: "x", Text: "x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.Send(context.Background(), tc.m); err == nil {
				t.Fatal("sent, want an error")
			}
		})
	}
	t.Run("ErrStartTLSMissing", func(t *testing.T) {
		s := *s
		s.TLS = mail.TLSStartTLS
		if err := s.Send(context.Background(), mail.Message{To: []string{"a@example.org"}, Subject: "x", Text: "x"}); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
			t.Fatalf("err = %v, want a STARTTLS refusal", err)
		}
	})
	t.Run("ErrCanceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := s.Send(ctx, mail.Message{To: []string{"a@example.org"}, Subject: "x", Text: "x"}); err == nil {
			t.Fatal("sent with a canceled context")
		}
	})
}

func TestSMTP_PasswordNeverLogged(t *testing.T) {
	s := &mail.SMTP{Host: "smtp.example.org", Port: 587, Username: "u", Password: "hunter2-secret", From: "a@example.org"}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("mail", "smtp", s)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("mail", "smtp", s)
	fmt.Fprintf(&buf, "%v %+v %s", s, s, s)
	if strings.Contains(buf.String(), "hunter2") {
		t.Fatalf("password leaked: %s", buf.String())
	}
	if !strings.Contains(buf.String(), "smtp.example.org") {
		t.Fatalf("host missing from log: %s", buf.String())
	}
}

func TestDiscard(t *testing.T) {
	var buf bytes.Buffer
	d := mail.Discard{Log: slog.New(slog.NewTextHandler(&buf, nil))}
	if err := d.Send(context.Background(), mail.Message{To: []string{"a@example.org"}, Subject: "Reset", Text: "secret link"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "mail not configured") || strings.Contains(buf.String(), "secret link") {
		t.Fatalf("log = %q", buf.String())
	}
}
