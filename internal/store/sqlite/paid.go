package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"folio/internal/store"
)

var _ store.PaidStore = (*DB)(nil)

// PutTier stores or replaces the tier with t.Slug.
func (db *DB) PutTier(ctx context.Context, t *store.Tier) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO tiers (slug, name, description, currency, monthly_cents, yearly_cents,
			monthly_price_id, yearly_price_id, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (slug) DO UPDATE SET name = excluded.name, description = excluded.description,
			currency = excluded.currency, monthly_cents = excluded.monthly_cents, yearly_cents = excluded.yearly_cents,
			monthly_price_id = excluded.monthly_price_id, yearly_price_id = excluded.yearly_price_id, active = excluded.active`,
			t.Slug, t.Name, t.Description, t.Currency, t.MonthlyCents, t.YearlyCents, t.MonthlyPriceID, t.YearlyPriceID, t.Active)
		return err
	}, "put tier %q", t.Slug)
}

// FindTiers returns every tier by monthly price, then slug.
func (db *DB) FindTiers(ctx context.Context) ([]*store.Tier, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT slug, name, description, currency, monthly_cents, yearly_cents,
		monthly_price_id, yearly_price_id, active FROM tiers ORDER BY monthly_cents, slug`)
	if err != nil {
		return nil, store.Wrap(err, "find tiers")
	}
	defer rows.Close()
	out := []*store.Tier{}
	for rows.Next() {
		var t store.Tier
		if err := rows.Scan(&t.Slug, &t.Name, &t.Description, &t.Currency, &t.MonthlyCents, &t.YearlyCents,
			&t.MonthlyPriceID, &t.YearlyPriceID, &t.Active); err != nil {
			return nil, store.Wrap(err, "find tiers")
		}
		out = append(out, &t)
	}
	return out, store.Wrap(rows.Err(), "find tiers")
}

// ApplyPaidEvent records the event and stores sub unless a later event
// changed it already; see store.PaidStore.
func (db *DB) ApplyPaidEvent(ctx context.Context, eventID, eventType string, sub *store.PaidSubscription) (bool, error) {
	applied := false
	err := db.inWrite(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO paid_events (id, type, received_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`,
			eventID, eventType, formatTime(tx.now))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 || sub == nil {
			return err // a replay, or an event that changes no subscription
		}
		var last time.Time
		err = tx.QueryRowContext(ctx, `SELECT event_at FROM paid_subscriptions WHERE subscription_id = ?`, sub.SubscriptionID).Scan(timeDst(&last))
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case sub.EventAt.Before(last):
			return nil // out of order: a newer event already spoke
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO paid_subscriptions (subscription_id, customer_id, member_id, tier_slug, status,
			current_period_end, event_at) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (subscription_id) DO UPDATE SET customer_id = excluded.customer_id, member_id = excluded.member_id,
			tier_slug = excluded.tier_slug, status = excluded.status, current_period_end = excluded.current_period_end,
			event_at = excluded.event_at`,
			sub.SubscriptionID, sub.CustomerID, sub.MemberID, sub.TierSlug, sub.Status, nullTime(sub.CurrentPeriodEnd), formatTime(sub.EventAt))
		if err != nil {
			return mapError(err, nil)
		}
		applied = true
		return nil
	}, "apply paid event %q", eventID)
	return applied, err
}

// FindPaidSubscriptions returns the member's subscriptions, newest event first.
func (db *DB) FindPaidSubscriptions(ctx context.Context, memberID int64) ([]*store.PaidSubscription, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT subscription_id, customer_id, member_id, tier_slug, status, current_period_end, event_at
		FROM paid_subscriptions WHERE member_id = ? ORDER BY event_at DESC, subscription_id`, memberID)
	if err != nil {
		return nil, store.Wrap(err, "find paid subscriptions of member %d", memberID)
	}
	defer rows.Close()
	out := []*store.PaidSubscription{}
	for rows.Next() {
		var p store.PaidSubscription
		if err := rows.Scan(&p.SubscriptionID, &p.CustomerID, &p.MemberID, &p.TierSlug, &p.Status,
			timeDst(&p.CurrentPeriodEnd), timeDst(&p.EventAt)); err != nil {
			return nil, store.Wrap(err, "find paid subscriptions of member %d", memberID)
		}
		out = append(out, &p)
	}
	return out, store.Wrap(rows.Err(), "find paid subscriptions of member %d", memberID)
}

// MemberTiers returns the tiers the member's active or trialing
// subscriptions give, sorted.
func (db *DB) MemberTiers(ctx context.Context, memberID int64) ([]string, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT DISTINCT tier_slug FROM paid_subscriptions
		WHERE member_id = ? AND status IN ('active', 'trialing') ORDER BY tier_slug`, memberID)
	if err != nil {
		return nil, store.Wrap(err, "find tiers of member %d", memberID)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, store.Wrap(err, "find tiers of member %d", memberID)
		}
		out = append(out, s)
	}
	return out, store.Wrap(rows.Err(), "find tiers of member %d", memberID)
}
