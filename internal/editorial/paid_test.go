package editorial_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/store"
)

// TestOpenDue checks that a members-first article is announced once, in
// the tick its full text opens, with its page's keys, and no other one.
func TestOpenDue(t *testing.T) {
	ctx := context.Background()
	svc, rec, _, public := readerSetup(t)
	first := &content.Article{Language: "en", Title: "First look", BodyMarkdown: "Text.", Status: content.StatusPublished,
		Access: content.AccessMembersFirst, PublishedAt: now.Add(-time.Hour), FreeAt: now.Add(2 * time.Hour)}
	if err := svc.System("test").CreateArticle(ctx, first); err != nil {
		t.Fatal(err)
	}
	rec.take()
	sched := svc.System("scheduler")
	ticks := []struct {
		since, at time.Time
		want      []int64
	}{
		{now, now.Add(time.Hour), nil},
		{now.Add(time.Hour), now.Add(2 * time.Hour), []int64{first.ID}},
		{now.Add(2 * time.Hour), now.Add(3 * time.Hour), nil},
	}
	for i, tk := range ticks {
		ids, err := sched.OpenDue(ctx, tk.since, tk.at)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids, tk.want) {
			t.Fatalf("tick %d: opened %v, want %v", i, ids, tk.want)
		}
		keys := rec.take()
		if (len(keys) > 0) != (len(tk.want) > 0) || (len(tk.want) > 0 && !slices.Contains(keys, key.Article(first.ID))) ||
			slices.Contains(keys, key.Article(public.ID)) {
			t.Fatalf("tick %d: keys %v", i, keys)
		}
	}
}

// TestApplyPaidEvent_SystemOnly checks that staff cannot forge payments and
// that an event naming no subscription is refused naming the field.
func TestApplyPaidEvent_SystemOnly(t *testing.T) {
	ctx := context.Background()
	svc, _, _, _ := readerSetup(t)
	admin := svc.As(&content.User{ID: 1, Role: content.RoleAdmin})
	sub := &store.PaidSubscription{SubscriptionID: "sub_1", CustomerID: "cus_1", MemberID: 1, TierSlug: "supporter", Status: "active", EventAt: now}
	if _, err := admin.ApplyPaidEvent(ctx, "evt_1", "customer.subscription.created", sub); content.ErrorCode(err) != content.EFORBIDDEN {
		t.Fatalf("admin applying a payment event: %v, want forbidden", err)
	}
	_, err := svc.System("stripe").ApplyPaidEvent(ctx, "evt_2", "customer.subscription.created", &store.PaidSubscription{SubscriptionID: "sub_2"})
	if content.ErrorCode(err) != content.EINVALID || content.ErrorFields(err)["subscription"] == "" {
		t.Fatalf("incomplete subscription: %v", err)
	}
	if err := svc.As(editor).PutTier(ctx, &store.Tier{Name: "Supporter"}); content.ErrorCode(err) != content.EFORBIDDEN {
		t.Fatalf("editor creating a tier: %v, want forbidden", err)
	}
	if err := admin.PutTier(ctx, &store.Tier{Name: "Supporter", Currency: "euro"}); content.ErrorFields(err)["currency"] == "" {
		t.Fatalf("bad currency: %v", err)
	}
}
