package main

import (
	"log/slog"

	"folio/internal/cache/key"
	"folio/internal/cdn"
	"folio/internal/changes"
	"folio/internal/config"
)

// newPurger returns the CDN purger cfg names, or nil for none.
func newPurger(cfg config.Config) cdn.Purger {
	switch cfg.CDNPurge {
	case "fastly":
		return &cdn.Fastly{ServiceID: cfg.FastlyServiceID, Token: cfg.FastlyToken, Soft: true}
	case "cloudflare":
		return &cdn.Cloudflare{ZoneID: cfg.CloudflareZoneID, Token: cfg.CloudflareToken}
	case "webhook":
		return &cdn.Webhook{URL: cfg.PurgeWebhookURL, Secret: cfg.PurgeWebhookSecret}
	}
	return nil
}

// withPurger subscribes a purge dispatcher to a's change relay, limited to
// this process's own writes (every node hears every event; one purge per
// change is enough) and those of command-line processes (import,
// translate), which exit before they could purge: every serving node purges
// those, as a purge is idempotent. It returns the dispatcher for serve to run. Cloudflare finds
// pages by Cache-Tag, so the handler copies Surrogate-Key there.
func withPurger(a *app, cfg config.Config, log *slog.Logger) *cdn.Dispatcher {
	p := newPurger(cfg)
	if p == nil {
		return nil
	}
	d := cdn.NewDispatcher(p, log)
	own := a.relay.Origin()
	a.relay.Subscribe(func(ev key.Event) {
		if ev.Origin == own || changes.FromCLI(ev.Origin) {
			d.Handle(ev)
		}
	})
	if cfg.CDNPurge == "cloudflare" {
		a.h = cdn.TagHeader(a.h, "Cache-Tag")
	}
	log.Info("cdn purge", "purger", p.Name())
	return d
}
