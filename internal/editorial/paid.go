package editorial

import (
	"context"
	"strings"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/store"
)

// Paid membership: tiers staff set up, and the subscriptions the payment
// provider's webhooks report. Neither is on a cached page, so their
// changes carry no keys.

func (e *Editor) paidFor(what string) (store.PaidStore, error) {
	if err := e.outsideBatch(what); err != nil {
		return nil, err
	}
	ps, ok := e.s.store.(store.PaidStore)
	if !ok {
		return nil, content.Errorf(content.EINTERNAL, "this store keeps no paid tiers")
	}
	return ps, nil
}

// PutTier creates or replaces a paid tier (admins, and the demo seeder as
// the system). Prices are in the currency's minor unit.
func (e *Editor) PutTier(ctx context.Context, t *store.Tier) error {
	if err := e.require(content.ActManageNewsletters, "set up paid tiers"); err != nil {
		return err
	}
	ps, err := e.paidFor("a tier")
	if err != nil {
		return err
	}
	t.Name, t.Slug = strings.TrimSpace(t.Name), strings.TrimSpace(t.Slug)
	t.Currency = strings.ToLower(strings.TrimSpace(t.Currency))
	if t.Slug == "" {
		t.Slug = content.Slugify(t.Name)
	}
	if t.Currency == "" {
		t.Currency = "eur"
	}
	p := content.Problems{}
	if t.Name == "" || len(t.Name) > 80 {
		p.Add("name", "is required, at most 80 bytes")
	}
	if err := content.CheckSlug(t.Slug); err != nil {
		p.Add("slug", "%q is not a slug: %v", t.Slug, err)
	}
	if len(t.Currency) != 3 || strings.Trim(t.Currency, "abcdefghijklmnopqrstuvwxyz") != "" {
		p.Add("currency", "%q is not an ISO 4217 code", t.Currency)
	}
	if t.MonthlyCents < 0 || t.YearlyCents < 0 {
		p.Add("monthly_cents", "prices may not be negative")
	}
	if len(t.Description) > 1000 {
		p.Add("description", "is longer than 1000 bytes")
	}
	for f, id := range map[string]string{"monthly_price_id": t.MonthlyPriceID, "yearly_price_id": t.YearlyPriceID} {
		if id != "" && (len(id) > 255 || strings.ContainsAny(id, " \t\r\n/")) {
			p.Add(f, "%q is not a price ID", id)
		}
	}
	if err := p.Err("tier"); err != nil {
		return err
	}
	if err := ps.PutTier(ctx, t); err != nil {
		return wrap(err, "put tier")
	}
	e.changed(key.Change{Entity: key.EntityTier, Ref: t.Slug, Op: key.OpUpdate})
	return nil
}

// ApplyPaidEvent records a verified payment-provider event once and the
// subscription it reports (nil for events that change none), unless a
// later event changed that subscription already. The webhook calls it as
// the system; it reports whether anything changed.
func (e *Editor) ApplyPaidEvent(ctx context.Context, eventID, eventType string, sub *store.PaidSubscription) (bool, error) {
	if e.system == "" {
		return false, content.Errorf(content.EFORBIDDEN, "only the payment webhook records payment events")
	}
	ps, err := e.paidFor("a payment event")
	if err != nil {
		return false, err
	}
	p := content.Problems{}
	if eventID == "" || len(eventID) > 255 {
		p.Add("id", "an event needs an ID of at most 255 bytes")
	}
	if sub != nil && (sub.SubscriptionID == "" || sub.MemberID == 0 || sub.TierSlug == "") {
		p.Add("subscription", "names no subscription, member or tier")
	}
	if err := p.Err("payment event"); err != nil {
		return false, err
	}
	applied, err := ps.ApplyPaidEvent(ctx, eventID, eventType, sub)
	if err != nil {
		return false, wrap(err, "apply payment event")
	}
	if applied {
		e.changed(key.Change{Entity: key.EntityPaidSubscription, ID: sub.MemberID, Ref: sub.SubscriptionID, Op: key.OpUpdate})
	}
	return applied, nil
}
