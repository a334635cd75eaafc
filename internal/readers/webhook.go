package readers

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	stripe "github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"folio/internal/content"
	"folio/internal/store"
)

// handleStripeWebhook takes Stripe's events. The signature is checked
// first (a bad one is refused with 400 and nothing recorded); each event
// is recorded once by ID, and a subscription changes only for an event
// newer than the last one that changed it, so replays and events that
// arrive out of order change nothing twice. A store failure answers 500 and
// Stripe retries.
func (h *Readers) handleStripeWebhook(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if h.cfg.Paid == nil || h.paidStore() == nil {
		http.NotFound(w, r)
		return
	}
	payload, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		http.Error(w, "payload: larger than 256 KiB or unreadable", http.StatusRequestEntityTooLarge)
		return
	}
	ev, err := webhook.ConstructEventWithOptions(payload, r.Header.Get("Stripe-Signature"), h.cfg.Paid.WebhookSecret,
		webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	if err != nil {
		h.log.WarnContext(ctx, "stripe webhook refused", "err", err)
		http.Error(w, "Stripe-Signature: "+err.Error(), http.StatusBadRequest)
		return
	}
	sub, err := subscriptionOf(ev)
	if err != nil {
		http.Error(w, fmt.Sprintf("event %s (%s): %v", ev.ID, ev.Type, err), http.StatusBadRequest)
		return
	}
	applied, err := h.svc.System("stripe").ApplyPaidEvent(ctx, ev.ID, string(ev.Type), sub)
	if err != nil {
		if content.ErrorCode(err) == content.EINVALID {
			http.Error(w, content.ErrorMessage(err), http.StatusBadRequest)
			return
		}
		h.log.ErrorContext(ctx, "stripe webhook failed", "event", ev.ID, "type", ev.Type, "err", err)
		http.Error(w, "could not record the event; retry", http.StatusInternalServerError)
		return
	}
	h.log.InfoContext(ctx, "stripe event", "event", ev.ID, "type", ev.Type, "applied", applied)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"received": true, "applied": applied})
}

var errNoMember = errors.New("metadata names no member_id and tier (not a Folio checkout)")

// subscriptionOf reads the subscription an event reports; nil for event
// types that change none (they are recorded and otherwise ignored).
func subscriptionOf(ev stripe.Event) (*store.PaidSubscription, error) {
	if ev.Data == nil {
		return nil, errors.New("no data")
	}
	at := time.Unix(ev.Created, 0).UTC()
	switch ev.Type {
	case "checkout.session.completed":
		var s stripe.CheckoutSession
		if err := json.Unmarshal(ev.Data.Raw, &s); err != nil {
			return nil, fmt.Errorf("data.object: %w", err)
		}
		if s.Mode != stripe.CheckoutSessionModeSubscription || s.Subscription == nil || s.Customer == nil {
			return nil, nil // a payment of another kind
		}
		id, err := strconv.ParseInt(s.ClientReferenceID, 10, 64)
		if err != nil || s.Metadata["tier"] == "" {
			return nil, errNoMember
		}
		return &store.PaidSubscription{SubscriptionID: s.Subscription.ID, CustomerID: s.Customer.ID, MemberID: id,
			TierSlug: s.Metadata["tier"], Status: "active", EventAt: at}, nil
	case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
		"customer.subscription.paused", "customer.subscription.resumed":
		var s stripe.Subscription
		if err := json.Unmarshal(ev.Data.Raw, &s); err != nil {
			return nil, fmt.Errorf("data.object: %w", err)
		}
		id, err := strconv.ParseInt(s.Metadata["member_id"], 10, 64)
		if err != nil || s.Metadata["tier"] == "" || s.ID == "" || s.Customer == nil {
			return nil, errNoMember
		}
		p := &store.PaidSubscription{SubscriptionID: s.ID, CustomerID: s.Customer.ID, MemberID: id,
			TierSlug: s.Metadata["tier"], Status: string(s.Status), EventAt: at}
		if ev.Type == "customer.subscription.deleted" {
			p.Status = "canceled"
		}
		if s.Items != nil && len(s.Items.Data) > 0 && s.Items.Data[0].CurrentPeriodEnd > 0 {
			p.CurrentPeriodEnd = time.Unix(s.Items.Data[0].CurrentPeriodEnd, 0).UTC()
		}
		return p, nil
	}
	return nil, nil
}
