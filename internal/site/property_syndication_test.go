package site_test

import (
	"fmt"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

// syndication makes every republishing write: a domain rule set and
// removed, a partner created and revoked, an article's partner release,
// and a webhook created, changed and deleted. None is on a cached page,
// so every cached page must stay equal to a fresh render.
func (p *propertyRun) syndication() {
	n := readerSeq.Add(1)
	_, err := p.ed.PutDomainRule(p.ctx, fmt.Sprintf("blog%d.example.org", n), store.DomainBlock, "spam")
	p.must(err, "PutDomainRule")
	p.must(p.ed.DeleteDomainRule(p.ctx, fmt.Sprintf("blog%d.example.org", n)), "DeleteDomainRule")
	pt := &store.Partner{Name: fmt.Sprintf("Partner %d", n), TokenHash: fmt.Sprintf("%064x", n)}
	p.must(p.ed.CreatePartner(p.ctx, pt), "CreatePartner")
	p.must(p.ed.RevokePartner(p.ctx, pt.ID), "RevokePartner")
	if len(p.ids) > 0 {
		if _, err := p.f.db.FindArticleByID(p.ctx, p.ids[0]); err == nil {
			p.must(p.ed.SetPartnerRelease(p.ctx, p.ids[0], p.now().Add(time.Hour)), "SetPartnerRelease")
		}
	}
	h := &store.Webhook{URL: "https://hooks.example.org/folio", Events: []string{content.EventArticlePublished}, Active: true}
	p.must(p.ed.CreateWebhook(p.ctx, h), "CreateWebhook")
	h.Events = append(h.Events, content.EventArticleDeleted)
	p.must(p.ed.UpdateWebhook(p.ctx, h), "UpdateWebhook")
	p.must(p.ed.DeleteWebhook(p.ctx, h.ID), "DeleteWebhook")
}
