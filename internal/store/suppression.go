package store

import (
	"context"
	"time"
)

// MailSuppression is an address the mail provider reported as bounced
// (the mailbox does not exist or refuses all mail) or as having
// complained (marked a message as spam). Newsletter sends leave it out.
type MailSuppression struct {
	Email     string    `json:"email"`  // lower case
	Reason    string    `json:"reason"` // SuppressBounce or SuppressComplaint
	Provider  string    `json:"provider"`
	Detail    string    `json:"detail"` // the provider's description, for staff
	CreatedAt time.Time `json:"created_at"`
}

// Suppression reasons.
const (
	SuppressBounce    = "bounce"
	SuppressComplaint = "complaint"
)

// SuppressionStore keeps suppressed addresses and the provider events
// already handled.
type SuppressionStore interface {
	// ApplyMailEvent records the provider event eventID and, in the same
	// transaction, suppresses s.Email (nil for events that suppress
	// nothing). A complaint replaces a bounce; a bounce leaves a
	// complaint. It reports whether anything changed: a replayed event (an
	// ID already recorded) or an address already so marked changes
	// nothing and reports false.
	ApplyMailEvent(ctx context.Context, eventID string, s *MailSuppression) (bool, error)
	// FindSuppression returns the address's suppression, or not_found.
	FindSuppression(ctx context.Context, email string) (*MailSuppression, error)
	// FindSuppressions returns up to limit suppressions, newest first,
	// whose address contains search (any case; "" for all).
	FindSuppressions(ctx context.Context, search string, limit int) ([]*MailSuppression, error)
	// DeleteSuppression lifts the address's suppression, or not_found.
	DeleteSuppression(ctx context.Context, email string) error
	// PruneSuppressions deletes suppressions created before before and
	// provider events received before eventsBefore, and reports how many
	// suppressions went.
	PruneSuppressions(ctx context.Context, before, eventsBefore time.Time) (int, error)
}
