package readers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	stripe "github.com/stripe/stripe-go/v82"

	"folio/internal/content"
	"folio/internal/store"
)

// PaidConfig turns paid membership on: tiers are offered on the join page,
// members pay through Stripe Checkout and manage their subscription in
// Stripe's customer portal, and Stripe's webhook reports what happened.
// Nil (the default) leaves membership free.
type PaidConfig struct {
	SecretKey     string // Stripe API key
	WebhookSecret string // the endpoint's signing secret (whsec_...)
	// APIURL replaces Stripe's API address (stripe-mock in tests).
	APIURL     string
	HTTPClient *http.Client
}

// maxWebhookBody bounds a webhook payload; Stripe's events are a few kB.
const maxWebhookBody = 256 << 10

func (h *Readers) stripeClient() *stripe.Client {
	p := h.cfg.Paid
	bc := &stripe.BackendConfig{HTTPClient: p.HTTPClient, MaxNetworkRetries: stripe.Int64(2)}
	if p.APIURL != "" {
		bc.URL = stripe.String(p.APIURL)
	}
	return stripe.NewClient(p.SecretKey, stripe.WithBackends(stripe.NewBackendsWithConfig(bc)))
}

// paidStore is the store's paid side, nil when it keeps none.
func (h *Readers) paidStore() store.PaidStore {
	ps, _ := h.st.(store.PaidStore)
	return ps
}

// withTiers fills m.Tiers from the member's active paid subscriptions.
func (h *Readers) withTiers(ctx context.Context, m *store.Member) error {
	ps := h.paidStore()
	if m == nil || ps == nil {
		return nil
	}
	tiers, err := ps.MemberTiers(ctx, m.ID)
	if err != nil {
		return err
	}
	m.Tiers = tiers
	return nil
}

type joinData struct {
	Paid     bool
	Tiers    []tierView
	Next     string
	Subs     []*store.PaidSubscription
	Canceled bool
}

type tierView struct {
	*store.Tier
	Monthly, Yearly string // "€5.00"
	Held            bool
}

func money(cents int64, currency string) string {
	sym := map[string]string{"eur": "€", "usd": "$", "gbp": "£"}[currency]
	if sym == "" {
		return fmt.Sprintf("%d.%02d %s", cents/100, cents%100, currency)
	}
	return fmt.Sprintf("%s%d.%02d", sym, cents/100, cents%100)
}

// handleJoin shows membership: free sign-up, and the paid tiers when paid
// membership is on.
func (h *Readers) handleJoin(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d := &joinData{Paid: h.cfg.Paid != nil && h.paidStore() != nil, Next: h.next(ctx, r.URL.Query().Get("next")),
		Canceled: r.URL.Query().Get("canceled") == "1"}
	m := memberFrom(ctx)
	// Tiers show whenever there are some; buying needs paid membership on.
	if h.paidStore() != nil {
		tiers, err := h.paidStore().FindTiers(ctx)
		if err != nil {
			return err
		}
		held := map[string]bool{}
		if m != nil {
			if d.Subs, err = h.paidStore().FindPaidSubscriptions(ctx, m.ID); err != nil {
				return err
			}
			for _, s := range d.Subs {
				held[s.TierSlug] = held[s.TierSlug] || s.Grants()
			}
		}
		for _, t := range tiers {
			if t.Active {
				loc := h.loc(ctx)
				d.Tiers = append(d.Tiers, tierView{Tier: t, Monthly: loc.Digits(money(t.MonthlyCents, t.Currency)),
					Yearly: loc.Digits(money(t.YearlyCents, t.Currency)), Held: held[t.Slug]})
			}
		}
	}
	h.html(w, r, http.StatusOK, "join", h.newPage(r, "members.join.title", d))
	return nil
}

// handleCheckout starts a Stripe Checkout session for the signed-in
// member's chosen tier and interval and sends the browser there. The
// member and tier travel in the subscription's metadata, so every later
// subscription event names them.
func (h *Readers) handleCheckout(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	m := memberFrom(ctx)
	if h.cfg.Paid == nil || h.paidStore() == nil {
		return content.Errorf(content.ENOTFOUND, "paid membership is not offered")
	}
	if m == nil {
		http.Redirect(w, r, h.joinSignin(ctx), http.StatusSeeOther)
		return nil
	}
	slug, interval := r.PostFormValue("tier"), r.PostFormValue("interval")
	tiers, err := h.paidStore().FindTiers(ctx)
	if err != nil {
		return err
	}
	var price string
	for _, t := range tiers {
		if t.Slug == slug && t.Active {
			price = map[string]string{"month": t.MonthlyPriceID, "year": t.YearlyPriceID}[interval]
		}
	}
	if price == "" {
		e := content.Errorf(content.EINVALID, "choose one of the tiers, monthly or yearly")
		e.Fields = map[string]string{"tier": e.Message}
		return e
	}
	base := h.baseURL(r)
	meta := map[string]string{"member_id": strconv.FormatInt(m.ID, 10), "tier": slug}
	params := &stripe.CheckoutSessionCreateParams{
		Mode:              stripe.String(string(stripe.CheckoutSessionModeSubscription)),
		LineItems:         []*stripe.CheckoutSessionCreateLineItemParams{{Price: stripe.String(price), Quantity: stripe.Int64(1)}},
		ClientReferenceID: stripe.String(strconv.FormatInt(m.ID, 10)),
		CustomerEmail:     stripe.String(m.Email),
		SuccessURL:        stripe.String(base + h.path(ctx, "/members/profile?paid=1")),
		CancelURL:         stripe.String(base + h.path(ctx, "/members/join?canceled=1")),
		Metadata:          meta,
		SubscriptionData:  &stripe.CheckoutSessionCreateSubscriptionDataParams{Metadata: meta},
	}
	sess, err := h.stripeClient().V1CheckoutSessions.Create(ctx, params)
	if err != nil {
		return fmt.Errorf("readers: start checkout for member %d: %w", m.ID, err)
	}
	http.Redirect(w, r, sess.URL, http.StatusSeeOther)
	return nil
}

// handlePortal sends a paying member to Stripe's customer portal, where
// they change or cancel their subscription.
func (h *Readers) handlePortal(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	m := memberFrom(ctx)
	if h.cfg.Paid == nil || h.paidStore() == nil {
		return content.Errorf(content.ENOTFOUND, "paid membership is not offered")
	}
	if m == nil {
		http.Redirect(w, r, h.joinSignin(ctx), http.StatusSeeOther)
		return nil
	}
	subs, err := h.paidStore().FindPaidSubscriptions(ctx, m.ID)
	if err != nil {
		return err
	}
	if len(subs) == 0 {
		return content.Errorf(content.ENOTFOUND, "you have no paid membership to manage")
	}
	sess, err := h.stripeClient().V1BillingPortalSessions.Create(ctx, &stripe.BillingPortalSessionCreateParams{
		Customer: stripe.String(subs[0].CustomerID), ReturnURL: stripe.String(h.baseURL(r) + h.path(ctx, "/members/join"))})
	if err != nil {
		return fmt.Errorf("readers: open the portal for member %d: %w", m.ID, err)
	}
	http.Redirect(w, r, sess.URL, http.StatusSeeOther)
	return nil
}

// joinPath is the join page, returning to next after sign-in or payment.
func joinPath(next string) string { return "/members/join?" + url.Values{"next": {next}}.Encode() }

// joinSignin is sign-in, returning to the join page, in the request's language.
func (h *Readers) joinSignin(ctx context.Context) string {
	return h.path(ctx, "/members/signin?"+url.Values{"next": {h.path(ctx, "/members/join")}}.Encode())
}
