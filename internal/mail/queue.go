package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/textproto"
	"strings"
	"time"

	"github.com/riverqueue/river"
)

// Enqueuer stores a job durably; *jobs.Queue is one.
type Enqueuer interface {
	Enqueue(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error
}

// Job is the queued delivery of one message.
//
// The message, reset and invitation links included, sits in the queue's
// table until the job is cleaned up; those links are short-lived and
// single-use, and the table is in the same database as their hashes.
type Job struct {
	Message Message `json:"message"`
}

// Kind names the job in the queue.
func (Job) Kind() string { return "mail" }

// MaxAttempts is how often a message is tried before it is given up on.
// With River's default backoff (attempt⁴ seconds) the last try comes about
// 11 hours after the first, longer than most SMTP outages and shorter
// than the invitation links inside.
const MaxAttempts = 12

// InsertOpts gives every mail job MaxAttempts tries.
func (Job) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: MaxAttempts} }

// Worker sends queued messages (Job) through Sender. A failed attempt is
// retried with the queue's backoff; a permanent refusal (an SMTP 5xx reply,
// a provider's refusal of the message) or a message that can never be sent
// is not.
type Worker struct {
	river.WorkerDefaults[Job]
	Sender Sender
	Log    *slog.Logger
}

// Timeout bounds one attempt; SMTP's own timeout (30 s) is the usual limit.
func (w *Worker) Timeout(*river.Job[Job]) time.Duration { return 2 * time.Minute }

// Work sends the message of j.
func (w *Worker) Work(ctx context.Context, j *river.Job[Job]) error {
	err := w.Sender.Send(ctx, j.Args.Message)
	if err == nil {
		return nil
	}
	var perr *textproto.Error
	var pe *ProviderError
	// A provider's refusal of this message (an invalid or inactive
	// address, a request it will never take) is as final as an SMTP 5xx;
	// its server errors and "not now" are retried.
	refused := errors.As(err, &pe) && !pe.Retry && (pe.Code != 0 || pe.Status == 422)
	if refused || errors.As(err, &perr) && perr.Code >= 500 {
		if w.Log != nil {
			w.Log.ErrorContext(ctx, "mail refused permanently", "subject", j.Args.Message.Subject, "attempt", j.Attempt, "err", err)
		}
		return river.JobCancel(err)
	}
	return err
}

// Queued is a Sender that puts each message on the durable queue and
// returns: the request that sent it does not wait for the SMTP server, and
// a message accepted survives restarts and server outages. Register a
// Worker with the real Sender on the same queue.
type Queued struct {
	Queue Enqueuer
}

// Send checks m as far as it can without a server (a message that could
// never be sent is refused now, not retried for hours) and enqueues it.
func (q Queued) Send(ctx context.Context, m Message) error {
	if err := check(m); err != nil {
		return err
	}
	if err := q.Queue.Enqueue(ctx, Job{Message: m}, nil); err != nil {
		return fmt.Errorf("mail: queue %q: %w", m.Subject, err)
	}
	return nil
}

// check applies SMTP.Send's checks of recipients and subject.
func check(m Message) error {
	if len(m.To) == 0 {
		return errors.New("mail: no recipients")
	}
	for _, addr := range m.To {
		if strings.ContainsAny(addr, "\r\n") {
			return fmt.Errorf("mail: recipient %q contains a line break", addr)
		}
		if _, err := mail.ParseAddress(addr); err != nil {
			return fmt.Errorf("mail: recipient %q: %w", addr, err)
		}
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return errors.New("mail: subject contains a line break")
	}
	return checkHeaders(m.Headers)
}
