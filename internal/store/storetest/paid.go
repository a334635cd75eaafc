package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"folio/internal/store"
)

// testPaid checks tiers and the idempotent, order-aware application of
// payment events.
func testPaid(t *testing.T, newStore func(t *testing.T) ReadersStore) {
	ctx := context.Background()
	s := newStore(t)
	ok(t, s.PutTier(ctx, &store.Tier{Slug: "patron", Name: "Patron", Currency: "eur", MonthlyCents: 1500, YearlyCents: 15000, Active: true}))
	ok(t, s.PutTier(ctx, &store.Tier{Slug: "supporter", Name: "Supporter", Currency: "eur", MonthlyCents: 500, YearlyCents: 5000,
		MonthlyPriceID: "price_m", YearlyPriceID: "price_y", Active: true}))
	ok(t, s.PutTier(ctx, &store.Tier{Slug: "patron", Name: "Patron+", Currency: "eur", MonthlyCents: 2000, Active: false}))
	tiers, err := s.FindTiers(ctx)
	ok(t, err)
	if len(tiers) != 2 || tiers[0].Slug != "supporter" || tiers[0].MonthlyPriceID != "price_m" || tiers[1].Name != "Patron+" || tiers[1].Active {
		t.Fatalf("tiers %+v %+v", tiers[0], tiers[len(tiers)-1])
	}

	m := &store.Member{Email: "payer@example.org"}
	ok(t, s.CreateMember(ctx, m))
	t0 := base
	sub := func(status string, at time.Time) *store.PaidSubscription {
		return &store.PaidSubscription{SubscriptionID: "sub_1", CustomerID: "cus_1", MemberID: m.ID, TierSlug: "supporter",
			Status: status, CurrentPeriodEnd: t0.Add(30 * 24 * time.Hour), EventAt: at}
	}
	tiersOf := func() []string {
		got, err := s.MemberTiers(ctx, m.ID)
		ok(t, err)
		return got
	}
	steps := []struct {
		name    string
		id      string
		sub     *store.PaidSubscription
		applied bool
		tiers   []string
	}{
		{"Created", "evt_1", sub("active", t0), true, []string{"supporter"}},
		{"Replay", "evt_1", sub("canceled", t0.Add(time.Hour)), false, []string{"supporter"}},
		{"Canceled", "evt_3", sub("canceled", t0.Add(2*time.Hour)), true, []string{}},
		{"OlderArrivesLate", "evt_2", sub("active", t0.Add(time.Hour)), false, []string{}},
		{"UnknownEventRecorded", "evt_4", nil, false, []string{}},
		{"Renewed", "evt_5", sub("active", t0.Add(3*time.Hour)), true, []string{"supporter"}},
	}
	for _, st := range steps {
		applied, err := s.ApplyPaidEvent(ctx, st.id, "customer.subscription.updated", st.sub)
		ok(t, err)
		if applied != st.applied {
			t.Fatalf("%s: applied %v, want %v", st.name, applied, st.applied)
		}
		if got := tiersOf(); !slices.Equal(got, st.tiers) {
			t.Fatalf("%s: tiers %v, want %v", st.name, got, st.tiers)
		}
	}
	subs, err := s.FindPaidSubscriptions(ctx, m.ID)
	ok(t, err)
	if len(subs) != 1 || subs[0].Status != "active" || !subs[0].EventAt.Equal(t0.Add(3*time.Hour)) || subs[0].CustomerID != "cus_1" {
		t.Fatalf("subscriptions %+v", subs)
	}
	if _, err := s.ApplyPaidEvent(ctx, "evt_6", "customer.subscription.created",
		&store.PaidSubscription{SubscriptionID: "sub_2", CustomerID: "cus_2", MemberID: 999999, TierSlug: "x", Status: "active", EventAt: t0}); err == nil {
		t.Fatal("a subscription of a member that does not exist was stored")
	}
	fixed := &store.PaidSubscription{SubscriptionID: "sub_2", CustomerID: "cus_2", MemberID: m.ID, TierSlug: "patron", Status: "active", EventAt: t0}
	if again, err := s.ApplyPaidEvent(ctx, "evt_6", "customer.subscription.created", fixed); err != nil || !again {
		t.Fatalf("the refused event was recorded as handled (%v, %v): a retry must be able to apply it", again, err)
	}
}
