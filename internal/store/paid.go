package store

import (
	"context"
	"time"
)

// Tier is a paid membership level with its monthly and yearly prices.
// Prices live at the payment provider (Stripe); the IDs name them there and
// the amounts are for showing.
type Tier struct {
	Slug           string `json:"slug"`
	Name           string `json:"name"`
	Description    string `json:"description"`
	Currency       string `json:"currency"` // ISO 4217, lower case: "eur"
	MonthlyCents   int64  `json:"monthly_cents"`
	YearlyCents    int64  `json:"yearly_cents"`
	MonthlyPriceID string `json:"monthly_price_id"`
	YearlyPriceID  string `json:"yearly_price_id"`
	Active         bool   `json:"active"` // offered on the join page
}

// PaidSubscription is a member's subscription to a tier as the payment
// provider last reported it.
type PaidSubscription struct {
	SubscriptionID   string    `json:"subscription_id"` // the provider's ID
	CustomerID       string    `json:"customer_id"`
	MemberID         int64     `json:"member_id"`
	TierSlug         string    `json:"tier"`
	Status           string    `json:"status"` // the provider's: active, trialing, past_due, canceled ...
	CurrentPeriodEnd time.Time `json:"current_period_end"`
	// EventAt is when the provider created the event that last changed the
	// subscription; an event older than that arrived out of order and
	// changes nothing.
	EventAt time.Time `json:"event_at"`
}

// Grants reports whether the subscription gives its tier now.
func (p *PaidSubscription) Grants() bool { return p.Status == "active" || p.Status == "trialing" }

// PaidStore keeps tiers, paid subscriptions and the provider events
// already handled.
type PaidStore interface {
	// PutTier stores or replaces the tier with t.Slug.
	PutTier(ctx context.Context, t *Tier) error
	// FindTiers returns every tier by monthly price, then slug.
	FindTiers(ctx context.Context) ([]*Tier, error)
	// ApplyPaidEvent records the provider event eventID and, in the same
	// transaction, stores sub (nil for events that change no
	// subscription) unless an event created after sub.EventAt changed it
	// already. It reports whether sub was stored. A replayed event (an ID
	// already recorded) changes nothing and reports false.
	ApplyPaidEvent(ctx context.Context, eventID, eventType string, sub *PaidSubscription) (bool, error)
	// FindPaidSubscriptions returns the member's subscriptions, newest
	// event first.
	FindPaidSubscriptions(ctx context.Context, memberID int64) ([]*PaidSubscription, error)
	// MemberTiers returns the slugs of the tiers the member's active or
	// trialing subscriptions give, sorted.
	MemberTiers(ctx context.Context, memberID int64) ([]string, error)
}
