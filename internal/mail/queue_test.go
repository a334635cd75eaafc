package mail_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"folio/internal/jobs"
	"folio/internal/mail"
	"folio/internal/mail/mailtest"
	"folio/internal/store/sqlite/sqlitetest"
)

// counting passes messages to a real SMTP sender and counts the attempts.
type counting struct {
	next  mail.Sender
	calls atomic.Int32
}

func (c *counting) Send(ctx context.Context, m mail.Message) error {
	c.calls.Add(1)
	return c.next.Send(ctx, m)
}

// queueEnv is a job queue on a real SQLite file whose mail worker sends
// through a real mailpit; the queue is not started.
func queueEnv(t *testing.T) (*mailtest.Server, *jobs.Queue, *counting, func() string) {
	t.Helper()
	srv := mailtest.Start(t)
	db := sqlitetest.New(t)
	q, err := jobs.Open(context.Background(), db.SQL(), nil, jobs.Options{PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	c := &counting{next: &mail.SMTP{Host: srv.SMTPHost, Port: srv.SMTPPort, From: "news@example.org", TLS: mail.TLSNone}}
	jobs.Register(q, &mail.Worker{Sender: c})
	state := func() string {
		var s string
		if err := db.SQL().QueryRow(`SELECT state FROM river_job WHERE kind = 'mail'`).Scan(&s); err != nil {
			t.Fatalf("mail job state: %v", err)
		}
		return s
	}
	return srv, q, c, state
}

func startQueue(t *testing.T, q *jobs.Queue) {
	t.Helper()
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Errorf("stop queue: %v", err)
		}
	})
}

// eventually polls cond every 50 ms for up to 30 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestQueued_DeliversThroughQueue(t *testing.T) {
	srv, q, c, _ := queueEnv(t)
	s := mail.Queued{Queue: q}
	if err := s.Send(context.Background(), mail.Message{To: []string{"ana@example.org"}, Subject: "Reset", Text: "https://example.org/admin/reset?token=x"}); err != nil {
		t.Fatal(err)
	}
	if n := srv.Count(t, "ana@example.org"); n != 0 || c.calls.Load() != 0 {
		t.Fatalf("Send reached the SMTP server itself (%d messages, %d attempts)", n, c.calls.Load())
	}
	startQueue(t, q)
	eventually(t, "the queued mail", func() bool { return srv.Count(t, "ana@example.org") == 1 })
	if m := srv.Last(t, "ana@example.org"); m.Subject != "Reset" || !strings.Contains(m.Text, "token=x") {
		t.Fatalf("delivered %q: %q", m.Subject, m.Text)
	}
}

func TestQueued_RetriesTemporaryFailure(t *testing.T) {
	srv, q, c, state := queueEnv(t)
	srv.FailRecipients(t, 451)
	if err := (mail.Queued{Queue: q}).Send(context.Background(), mail.Message{To: []string{"ana@example.org"}, Subject: "Invite", Text: "hi"}); err != nil {
		t.Fatal(err)
	}
	startQueue(t, q)
	eventually(t, "a failed first attempt", func() bool { return c.calls.Load() >= 1 && state() == "retryable" })
	srv.FailRecipients(t, 0)
	eventually(t, "delivery on a later attempt", func() bool { return srv.Count(t, "ana@example.org") == 1 })
	if n := c.calls.Load(); n < 2 {
		t.Fatalf("%d attempts, want a retry", n)
	}
	eventually(t, "the job completed", func() bool { return state() == "completed" })
}

func TestQueued_PermanentFailureNotRetried(t *testing.T) {
	srv, q, c, state := queueEnv(t)
	srv.FailRecipients(t, 550)
	if err := (mail.Queued{Queue: q}).Send(context.Background(), mail.Message{To: []string{"nobody@example.org"}, Subject: "x", Text: "x"}); err != nil {
		t.Fatal(err)
	}
	startQueue(t, q)
	eventually(t, "the job cancelled", func() bool { return state() == "cancelled" })
	if n := c.calls.Load(); n != 1 {
		t.Fatalf("%d attempts after a 550, want 1", n)
	}
}

func TestQueued_RefusesUnsendable(t *testing.T) {
	_, q, _, _ := queueEnv(t)
	for _, tc := range []struct {
		name string
		m    mail.Message
	}{
		{"ErrNoRecipients", mail.Message{Subject: "x", Text: "x"}},
		{"ErrBadAddress", mail.Message{To: []string{"not an address"}, Subject: "x", Text: "x"}},
		{"ErrHeaderInjectionTo", mail.Message{To: []string{"a@example.org\r\nBcc: b@example.org"}, Subject: "x", Text: "x"}},
		{"ErrHeaderInjectionSubject", mail.Message{To: []string{"a@example.org"}, Subject: "x\r\nBcc: b@example.org", Text: "x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := (mail.Queued{Queue: q}).Send(context.Background(), tc.m); err == nil {
				t.Fatal("queued an unsendable message")
			}
		})
	}
}
