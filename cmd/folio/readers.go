package main

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"folio/internal/config"
	"folio/internal/jobs"
	"folio/internal/newsletter"
	"folio/internal/readers"
)

// newNewsletters registers the newsletter sending worker on the app's
// queue and makes the service hand sends to it. The worker mails through
// the provider directly (SMTP one message at a time, Postmark in batches):
// each batch job is the durable record of its messages.
func newNewsletters(cfg config.Config, log *slog.Logger, a *app, db siteStore, key []byte) *newsletter.Sender {
	// The system may always send; Deliveries fails only for a staff actor.
	deliveries, _ := a.svc.System("newsletter").Deliveries()
	jobs.Register(a.jobs, &newsletter.Worker{Store: db, Deliveries: deliveries, Sender: mailSender(cfg, log, true),
		Limit: mailLimiter(cfg), Track: cfg.MailTracking, Key: key, BaseURL: cfg.BaseURL, Log: log})
	// Reply notices: one job per comment that appeared (readers.Notifier
	// queues them), mailed directly like the newsletter batches.
	notices, _ := a.svc.System("reply notices").ReplyNotices()
	jobs.Register(a.jobs, &readers.ReplyWorker{Store: db, Notices: notices, Sender: mailSender(cfg, log, false), Key: key,
		BaseURL: func() string { return cfg.BaseURL }, Log: log})
	s := &newsletter.Sender{Store: db, Queue: a.jobs}
	a.svc.SetSendQueue(s)
	return s
}

// mountReaders wires the member, comment, newsletter and forward pages.
func mountReaders(ctx context.Context, mux *http.ServeMux, a *app, db siteStore, cfg config.Config, log *slog.Logger, key []byte) error {
	proxies, err := cfg.TrustedProxyPrefixes()
	if err != nil {
		return err
	}
	baseURL := func() string {
		if cfg.BaseURL != "" {
			return strings.TrimRight(cfg.BaseURL, "/")
		}
		st, err := a.db.Settings(context.WithoutCancel(ctx))
		if err != nil {
			return ""
		}
		return st.BaseURL
	}
	var paid *readers.PaidConfig
	if cfg.StripeKey != "" {
		paid = &readers.PaidConfig{SecretKey: cfg.StripeKey, WebhookSecret: cfg.StripeWebhookSecret}
		log.Info("paid membership on (Stripe)", "webhook", "/stripe/webhook", "webhook_secret_set", cfg.StripeWebhookSecret != "")
	}
	readers.New(readers.Config{Store: db, Editorial: a.svc, Mailer: a.mail, Key: key, BaseURL: baseURL,
		AssetURL: a.rnd.AssetURL, Logger: log, SecureCookies: cfg.CookiesSecure(), TrustedProxies: proxies, Paid: paid}).Register(mux)
	return nil
}
