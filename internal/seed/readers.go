package seed

import (
	"context"
	"fmt"
	"strings"
	"time"

	"folio/internal/demo"
	"folio/internal/editorial"
	"folio/internal/store"
)

// readers loads the demo's newsletters, members and comments through the
// editorial service: members join and write as members do, and a
// moderator approves each comment. Comments name articles by slug in the
// default language.
func readers(ctx context.Context, svc *editorial.Service, ds *demo.Dataset) error {
	if !svc.KeepsReaders() {
		return nil // a store without members gets the publication only
	}
	sys := svc.System("demo")
	nls := map[string]int64{}
	for _, n := range ds.Readers.Newsletters {
		nl := &store.Newsletter{Slug: n.Slug, Name: n.Name, Language: n.Language, Description: n.Description, Schedule: n.Schedule}
		if err := sys.CreateNewsletter(ctx, nl); err != nil {
			return fmt.Errorf("seed: newsletter %s: %w", n.Slug, err)
		}
		nls[n.Slug] = nl.ID
	}
	members := map[string]*store.Member{}
	for _, dm := range ds.Readers.Members {
		m, err := sys.JoinMember(ctx, dm.Email, dm.Languages)
		if err != nil {
			return fmt.Errorf("seed: member %s: %w", dm.Email, err)
		}
		p := editorial.Profile{Name: dm.Name, Languages: dm.Languages}
		for _, s := range dm.Newsletters {
			id, ok := nls[s]
			if !ok {
				return fmt.Errorf("seed: member %s: unknown newsletter %q", dm.Email, s)
			}
			p.Newsletters = append(p.Newsletters, id)
		}
		if m, err = svc.AsMember(m).UpdateProfile(ctx, p); err != nil {
			return fmt.Errorf("seed: member %s: %w", dm.Email, err)
		}
		members[dm.Email] = m
	}
	for _, dt := range ds.Readers.Tiers {
		t := &store.Tier{Slug: dt.Slug, Name: dt.Name, Description: dt.Description, Currency: "eur",
			MonthlyCents: dt.MonthlyCents, YearlyCents: dt.YearlyCents, Active: true,
			MonthlyPriceID: "price_demo_" + dt.Slug + "_month", YearlyPriceID: "price_demo_" + dt.Slug + "_year"}
		if err := sys.PutTier(ctx, t); err != nil {
			return fmt.Errorf("seed: tier %s: %w", dt.Slug, err)
		}
	}
	for i, dp := range ds.Readers.Paid {
		m := members[dp.Member]
		sub := &store.PaidSubscription{SubscriptionID: fmt.Sprintf("sub_demo_%d", i+1), CustomerID: fmt.Sprintf("cus_demo_%d", i+1),
			MemberID: m.ID, TierSlug: dp.Tier, Status: "active", EventAt: time.Now().UTC()}
		if _, err := sys.ApplyPaidEvent(ctx, fmt.Sprintf("evt_demo_%d", i+1), "customer.subscription.created", sub); err != nil {
			return fmt.Errorf("seed: paid %s: %w", dp.Member, err)
		}
	}
	ids := map[string]int64{}
	for _, dc := range ds.Readers.Comments {
		lang, slug := ds.Settings.DefaultLanguage, dc.Article
		if l, sl, ok := strings.Cut(dc.Article, ":"); ok {
			lang, slug = l, sl
		}
		a, err := svc.Store().FindArticleBySlug(ctx, lang, slug)
		if err != nil {
			return fmt.Errorf("seed: comment %s: article %q: %w", dc.Label, dc.Article, err)
		}
		c, err := svc.AsMember(members[dc.Member]).PostComment(ctx, editorial.NewComment{ArticleID: a.ID, ParentID: ids[dc.Parent], Body: dc.Body})
		if err != nil {
			return fmt.Errorf("seed: comment %s: %w", dc.Label, err)
		}
		if c.Status != store.CommentApproved {
			if err := sys.Moderate(ctx, c.ID, editorial.ModApprove); err != nil {
				return fmt.Errorf("seed: comment %s: %w", dc.Label, err)
			}
		}
		ids[dc.Label] = c.ID
	}
	return nil
}
