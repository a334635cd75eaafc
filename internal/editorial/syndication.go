package editorial

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/store"
)

// SyndicationStore is what republishing, partner feeds and webhooks keep
// beyond store.Store.
type SyndicationStore interface {
	store.RepublishStore
	store.SyndicationStore
	store.WebhookStore
}

func (e *Editor) syndication(what string) (SyndicationStore, error) {
	if err := e.outsideBatch(what); err != nil {
		return nil, err
	}
	ss, ok := e.s.store.(SyndicationStore)
	if !ok {
		return nil, content.Errorf(content.EINTERNAL, "this store keeps no %s", what)
	}
	return ss, nil
}

func invalid(what, field, format string, args ...any) error {
	return &content.Error{Code: content.EINVALID, Message: what + " is invalid",
		Fields: map[string]string{field: fmt.Sprintf(format, args...)}}
}

// PutDomainRule allows or blocks a republishing domain in the
// republication counts (admins). Blocked domains are never counted; once
// any domain is allowed, only allowed domains are.
func (e *Editor) PutDomainRule(ctx context.Context, domain, rule, note string) (*store.DomainRule, error) {
	if err := e.require(content.ActManageSettings, "manage republishing domains"); err != nil {
		return nil, err
	}
	ss, err := e.syndication("domain rules")
	if err != nil {
		return nil, err
	}
	d := content.NormalizeDomain(domain)
	if d == "" {
		return nil, invalid("domain rule", "domain", "%q is not a domain name", domain)
	}
	if rule != store.DomainAllow && rule != store.DomainBlock {
		return nil, invalid("domain rule", "rule", "must be %q or %q (got %q)", store.DomainAllow, store.DomainBlock, rule)
	}
	note = strings.TrimSpace(note)
	if len(note) > 500 {
		return nil, invalid("domain rule", "note", "is longer than 500 bytes")
	}
	r := &store.DomainRule{Domain: d, Rule: rule, Note: note}
	if err := ss.PutDomainRule(ctx, r); err != nil {
		return nil, wrap(err, "put domain rule")
	}
	e.changed(key.Change{Entity: key.EntityDomainRule, Ref: d, Op: key.OpUpdate})
	return r, nil
}

// DeleteDomainRule removes a domain's rule (admins).
func (e *Editor) DeleteDomainRule(ctx context.Context, domain string) error {
	if err := e.require(content.ActManageSettings, "manage republishing domains"); err != nil {
		return err
	}
	ss, err := e.syndication("domain rules")
	if err != nil {
		return err
	}
	d := content.NormalizeDomain(domain)
	if err := ss.DeleteDomainRule(ctx, d); err != nil {
		return wrap(err, "delete domain rule")
	}
	e.changed(key.Change{Entity: key.EntityDomainRule, Ref: d, Op: key.OpDelete})
	return nil
}

// CreatePartner adds a syndication partner whose feed token has the hash
// p.TokenHash (admins); the caller made the secret and shows it once.
func (e *Editor) CreatePartner(ctx context.Context, p *store.Partner) error {
	if err := e.require(content.ActManageTokens, "manage syndication partners"); err != nil {
		return err
	}
	ss, err := e.syndication("partners")
	if err != nil {
		return err
	}
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" || len(p.Name) > 200 {
		return invalid("partner", "name", "is required (at most 200 bytes)")
	}
	if len(p.TokenHash) != 64 {
		return invalid("partner", "token", "must be the hex SHA-256 of the feed secret")
	}
	if err := ss.CreatePartner(ctx, p); err != nil {
		return wrap(err, "create partner")
	}
	e.changed(key.Change{Entity: key.EntityPartner, ID: p.ID, Op: key.OpCreate})
	return nil
}

// RevokePartner stops a partner's feed token at once (admins).
func (e *Editor) RevokePartner(ctx context.Context, id int64) error {
	if err := e.require(content.ActManageTokens, "manage syndication partners"); err != nil {
		return err
	}
	ss, err := e.syndication("partners")
	if err != nil {
		return err
	}
	if err := ss.RevokePartner(ctx, id, e.s.now().UTC()); err != nil {
		return wrap(err, "revoke partner %d", id)
	}
	e.changed(key.Change{Entity: key.EntityPartner, ID: id, Op: key.OpDelete})
	return nil
}

// SetPartnerRelease sets when syndication partners may have an article,
// before or after the public (those who may publish it); the zero time
// releases it to partners with the public.
func (e *Editor) SetPartnerRelease(ctx context.Context, articleID int64, at time.Time) error {
	ss, err := e.syndication("partner releases")
	if err != nil {
		return err
	}
	a, err := e.s.store.FindArticleByID(ctx, articleID)
	if err != nil {
		return wrap(err, "set partner release of article %d", articleID)
	}
	if !e.CanPublish(a) {
		return forbidden("your role may not release this article to partners")
	}
	if err := ss.PutPartnerRelease(ctx, articleID, at.UTC().Truncate(time.Second)); err != nil {
		return wrap(err, "set partner release of article %d", articleID)
	}
	e.changed(key.Change{Entity: key.EntityPartnerRelease, ID: articleID, Op: key.OpUpdate})
	return nil
}

func checkWebhook(w *store.Webhook) error {
	w.URL = strings.TrimSpace(w.URL)
	if err := content.CheckWebhookURL(w.URL); err != nil {
		return invalid("webhook", "url", "%s", content.ErrorMessage(err))
	}
	if len(w.Events) == 0 {
		return invalid("webhook", "events", "name at least one of %s", strings.Join(content.WebhookEvents, ", "))
	}
	for _, ev := range w.Events {
		if !slices.Contains(content.WebhookEvents, ev) {
			return invalid("webhook", "events", "unknown event %q; known: %s", ev, strings.Join(content.WebhookEvents, ", "))
		}
	}
	slices.Sort(w.Events)
	w.Events = slices.Compact(w.Events)
	return nil
}

// CreateWebhook subscribes w.URL to w.Events (admins). The signing secret
// is made here when w.Secret is empty.
func (e *Editor) CreateWebhook(ctx context.Context, w *store.Webhook) error {
	if err := e.require(content.ActManageSettings, "manage webhooks"); err != nil {
		return err
	}
	ss, err := e.syndication("webhooks")
	if err != nil {
		return err
	}
	if err := checkWebhook(w); err != nil {
		return err
	}
	if w.Secret == "" {
		b := make([]byte, 24)
		_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
		w.Secret = "whsec_" + hex.EncodeToString(b)
	}
	if err := ss.CreateWebhook(ctx, w); err != nil {
		return wrap(err, "create webhook")
	}
	e.changed(key.Change{Entity: key.EntityWebhook, ID: w.ID, Op: key.OpCreate})
	return nil
}

// UpdateWebhook changes a webhook's URL, events and flags (admins).
func (e *Editor) UpdateWebhook(ctx context.Context, w *store.Webhook) error {
	if err := e.require(content.ActManageSettings, "manage webhooks"); err != nil {
		return err
	}
	ss, err := e.syndication("webhooks")
	if err != nil {
		return err
	}
	if err := checkWebhook(w); err != nil {
		return err
	}
	if err := ss.UpdateWebhook(ctx, w); err != nil {
		return wrap(err, "update webhook %d", w.ID)
	}
	e.changed(key.Change{Entity: key.EntityWebhook, ID: w.ID, Op: key.OpUpdate})
	return nil
}

// DeleteWebhook removes a webhook and its delivery log (admins); queued
// deliveries to it are dropped when they run.
func (e *Editor) DeleteWebhook(ctx context.Context, id int64) error {
	if err := e.require(content.ActManageSettings, "manage webhooks"); err != nil {
		return err
	}
	ss, err := e.syndication("webhooks")
	if err != nil {
		return err
	}
	if err := ss.DeleteWebhook(ctx, id); err != nil {
		return wrap(err, "delete webhook %d", id)
	}
	e.changed(key.Change{Entity: key.EntityWebhook, ID: id, Op: key.OpDelete})
	return nil
}
