package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"folio/internal/content"
	"folio/internal/store"
)

// SyndicationStores is what the republishing contract needs.
type SyndicationStores interface {
	store.Store
	store.RepublishStore
	store.SyndicationStore
	store.WebhookStore
}

// RunSyndication runs the store.RepublishStore, store.SyndicationStore and
// store.WebhookStore contracts, and the media republishable flag.
func RunSyndication(t *testing.T, newStore func(t *testing.T) SyndicationStores) {
	ctx := context.Background()
	day := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	t.Run("RepublishViews", func(t *testing.T) {
		s := newStore(t)
		batches := [][]store.RepublishView{
			{{ArticleID: 1, Domain: "a.example", Page: "https://a.example/x", Day: day, Views: 3},
				{ArticleID: 1, Domain: "b.example", Page: "https://b.example/y", Day: day, Views: 1}},
			{{ArticleID: 1, Domain: "a.example", Page: "https://a.example/x", Day: day, Views: 4}, // adds up
				{ArticleID: 2, Domain: "", Page: "", Day: day.AddDate(0, 0, -1), Views: 2},
				{ArticleID: 3, Domain: "c.example", Page: "", Day: day, Views: 0}}, // nothing to add
		}
		for _, b := range batches {
			if err := s.RecordRepublishViews(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.FindRepublishViews(ctx, store.RepublishViewFilter{})
		if err != nil {
			t.Fatal(err)
		}
		want := []store.RepublishView{
			{ArticleID: 1, Domain: "a.example", Page: "https://a.example/x", Day: day, Views: 7},
			{ArticleID: 1, Domain: "b.example", Page: "https://b.example/y", Day: day, Views: 1},
			{ArticleID: 2, Domain: "", Page: "", Day: day.AddDate(0, 0, -1), Views: 2},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("views (-want +got):\n%s", diff)
		}
		for _, tc := range []struct {
			name string
			f    store.RepublishViewFilter
			n    int
		}{
			{"article", store.RepublishViewFilter{ArticleID: 2}, 1},
			{"domain", store.RepublishViewFilter{Domain: "a.example"}, 1},
			{"since", store.RepublishViewFilter{Since: day}, 2},
			{"limit", store.RepublishViewFilter{Limit: 1}, 1},
		} {
			got, err := s.FindRepublishViews(ctx, tc.f)
			if err != nil || len(got) != tc.n {
				t.Errorf("%s: %d views, %v; want %d", tc.name, len(got), err, tc.n)
			}
		}
	})
	t.Run("DomainRules", func(t *testing.T) {
		s := newStore(t)
		for _, r := range []*store.DomainRule{{Domain: "spam.example", Rule: store.DomainBlock}, {Domain: "ok.example", Rule: store.DomainAllow, Note: "partner"},
			{Domain: "spam.example", Rule: store.DomainAllow, Note: "changed"}} {
			if err := s.PutDomainRule(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		rs, err := s.FindDomainRules(ctx)
		if err != nil || len(rs) != 2 || rs[0].Domain != "ok.example" || rs[1].Rule != store.DomainAllow || rs[1].Note != "changed" {
			t.Fatalf("rules = %+v, %v", rs, err)
		}
		if err := s.DeleteDomainRule(ctx, "ok.example"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteDomainRule(ctx, "ok.example"); content.ErrorCode(err) != content.ENOTFOUND {
			t.Errorf("second delete: %v, want not_found", err)
		}
	})
	t.Run("Partners", func(t *testing.T) {
		s := newStore(t)
		p := &store.Partner{Name: "Daily Ledger", TokenHash: "h1"}
		if err := s.CreatePartner(ctx, p); err != nil || p.ID == 0 || p.CreatedAt.IsZero() {
			t.Fatalf("create: %v %+v", err, p)
		}
		if err := s.CreatePartner(ctx, &store.Partner{Name: "Other", TokenHash: "h1"}); content.ErrorCode(err) != content.ECONFLICT {
			t.Errorf("same token: %v, want conflict", err)
		}
		at := day.Add(time.Hour)
		for range 2 {
			if err := s.RecordPartnerFetch(ctx, p.ID, at); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.FindPartnerByTokenHash(ctx, "h1")
		if err != nil || got.Fetches != 2 || !got.LastFetchAt.Equal(at) || got.IsRevoked() {
			t.Fatalf("find: %+v, %v", got, err)
		}
		if err := s.RevokePartner(ctx, p.ID, at); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokePartner(ctx, 9999, at); content.ErrorCode(err) != content.ENOTFOUND {
			t.Errorf("revoke missing: %v", err)
		}
		ps, err := s.FindPartners(ctx)
		if err != nil || len(ps) != 1 || !ps[0].IsRevoked() {
			t.Fatalf("partners: %+v, %v", ps, err)
		}
		if _, err := s.FindPartnerByTokenHash(ctx, "nope"); content.ErrorCode(err) != content.ENOTFOUND {
			t.Errorf("unknown token: %v", err)
		}
	})
	t.Run("PartnerReleases", func(t *testing.T) {
		s := newStore(t)
		a := MustCreateArticle(t, s, &content.Article{Status: content.StatusScheduled, PublishedAt: base.Add(time.Hour)})
		at := base.Add(-time.Hour)
		if err := s.PutPartnerRelease(ctx, a.ID, at); err != nil {
			t.Fatal(err)
		}
		if err := s.PutPartnerRelease(ctx, 999999, at); content.ErrorCode(err) != content.ENOTFOUND {
			t.Errorf("missing article: %v", err)
		}
		m, err := s.FindPartnerReleases(ctx)
		if err != nil || len(m) != 1 || !m[a.ID].Equal(at) {
			t.Fatalf("releases: %v, %v", m, err)
		}
		if err := s.PutPartnerRelease(ctx, a.ID, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if m, _ := s.FindPartnerReleases(ctx); len(m) != 0 {
			t.Errorf("after removal: %v", m)
		}
	})
	t.Run("Webhooks", func(t *testing.T) {
		s := newStore(t)
		w := &store.Webhook{URL: "https://hooks.example/a", Secret: "s", Events: []string{content.EventArticlePublished}, Active: true}
		if err := s.CreateWebhook(ctx, w); err != nil || w.ID == 0 {
			t.Fatalf("create: %v", err)
		}
		w.Events, w.AllowPrivate, w.Active = []string{content.EventArticleDeleted, content.EventArticlePublished}, true, false
		if err := s.UpdateWebhook(ctx, w); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindWebhookByID(ctx, w.ID)
		if err != nil || got.Secret != "s" || !got.AllowPrivate || got.Active || len(got.Events) != 2 {
			t.Fatalf("find: %+v, %v", got, err)
		}
		for i := range store.MaxWebhookDeliveries + 5 {
			d := &store.WebhookDelivery{WebhookID: w.ID, EventID: "evt", Event: content.EventArticlePublished, Attempt: i + 1, Status: 500, Error: "x"}
			if err := s.RecordWebhookDelivery(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		ds, err := s.FindWebhookDeliveries(ctx, w.ID, 0)
		if err != nil || len(ds) != store.MaxWebhookDeliveries || ds[0].Attempt != store.MaxWebhookDeliveries+5 {
			t.Fatalf("deliveries: %d (first attempt %d), %v", len(ds), ds[0].Attempt, err)
		}
		if err := s.RecordWebhookDelivery(ctx, &store.WebhookDelivery{WebhookID: 9999, EventID: "e", Event: "x"}); content.ErrorCode(err) != content.ENOTFOUND {
			t.Errorf("delivery to a missing webhook: %v", err)
		}
		if err := s.DeleteWebhook(ctx, w.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindWebhookByID(ctx, w.ID); content.ErrorCode(err) != content.ENOTFOUND {
			t.Errorf("after delete: %v", err)
		}
		if ws, err := s.FindWebhooks(ctx); err != nil || len(ws) != 0 {
			t.Errorf("webhooks after delete: %v %v", ws, err)
		}
	})
	t.Run("MediaRepublishable", func(t *testing.T) {
		s := newStore(t)
		m := &content.Media{Path: "2026/12/x.jpg", Filename: "x.jpg", ContentType: "image/jpeg", Alt: "x"}
		if err := s.CreateMedia(ctx, m); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.FindMediaByID(ctx, m.ID); got.Republishable {
			t.Error("a new image is republishable by default")
		}
		m.Republishable = true
		if err := s.UpdateMedia(ctx, m); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.FindMediaByID(ctx, m.ID); !got.Republishable {
			t.Error("the flag was not stored")
		}
	})
}
