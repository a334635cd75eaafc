package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"sync"
	"time"
)

// BatchSender is a Sender that also delivers several messages in one
// request, as HTTP mail APIs do. SendBatch reports one outcome per
// message, in order; its own error means no message of the batch has an
// outcome of its own (the whole request was refused or lost), and says
// through Temporary whether the batch may be sent again.
type BatchSender interface {
	Sender
	SendBatch(ctx context.Context, ms []Message) ([]error, error)
	// MaxBatch is the most messages one SendBatch takes.
	MaxBatch() int
}

// ProviderError is a refusal reported by an HTTP mail provider.
type ProviderError struct {
	Provider string // "postmark"
	Status   int    // HTTP status of the answer
	Code     int    // the provider's own error code, 0 when it gave none
	Message  string // the provider's text
	// Retry is true when the provider surely did not accept the message
	// and says it may be sent again later (rate limited, unavailable, bad
	// credentials an operator can fix).
	Retry bool
	// RetryAfter is how long the provider asked to wait, 0 when it did not say.
	RetryAfter time.Duration
	// Inactive is true when the provider refused the address because it
	// bounced or complained before (its own suppression list).
	Inactive bool
}

func (e *ProviderError) Error() string {
	return fmt.Sprintf("mail: %s: HTTP %d, error %d: %s", e.Provider, e.Status, e.Code, e.Message)
}

// Temporary reports a failure after which the message surely was not
// accepted and may be tried again later: an SMTP 4xx reply, no connection
// at all, or a provider's answer that it accepted nothing for now. Anything
// else (a connection lost mid-message, a server error) may have been
// delivered, and a caller that must not mail anyone twice records it as
// failed.
func Temporary(err error) bool {
	var pe *ProviderError
	if errors.As(err, &pe) {
		return pe.Retry
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code >= 400 && te.Code < 500
	}
	var oe *net.OpError
	return errors.As(err, &oe) && oe.Op == "dial"
}

// RetryAfter is how long the provider behind err asked to wait, 0 when none did.
func RetryAfter(err error) time.Duration {
	var pe *ProviderError
	if errors.As(err, &pe) {
		return pe.RetryAfter
	}
	return 0
}

// Limiter spaces messages so that no more than Rate go out a second,
// across every worker that shares it: a provider's sending rate is per
// account, not per job. The zero Rate does not limit.
type Limiter struct {
	Rate float64 // messages a second

	mu   sync.Mutex
	next time.Time
}

// Wait blocks until n more messages may go, or ctx ends.
func (l *Limiter) Wait(ctx context.Context, n int) error {
	if l == nil || l.Rate <= 0 || n <= 0 {
		return ctx.Err()
	}
	l.mu.Lock()
	now := time.Now()
	if l.next.Before(now) {
		l.next = now
	}
	at := l.next
	l.next = l.next.Add(time.Duration(float64(n) / l.Rate * float64(time.Second)))
	l.mu.Unlock()
	d := time.Until(at)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
