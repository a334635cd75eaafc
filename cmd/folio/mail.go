package main

import (
	"log/slog"
	"net/http"

	"folio/internal/config"
	"folio/internal/jobs"
	"folio/internal/mail"
	"folio/internal/mailhook"
	"folio/internal/mailtrack"
)

// newMailer returns the Sender every part of the site mails through: it
// queues each message on q, whose mail worker (registered here, once) sends
// it through the configured provider, or logs and drops it when none is
// configured. So a password reset request answers without waiting for the
// mail server, as fast for a real account as for an unknown one, and a
// message survives an outage or a restart.
func newMailer(cfg config.Config, log *slog.Logger, q *jobs.Queue) mail.Sender {
	jobs.Register(q, &mail.Worker{Sender: mailSender(cfg, log, false), Log: log})
	return mail.Queued{Queue: q}
}

// mailSender is the configured provider: Postmark (newsletters on its
// broadcast stream, as Postmark requires of bulk mail), the SMTP server,
// or Discard without either.
func mailSender(cfg config.Config, log *slog.Logger, broadcast bool) mail.Sender {
	if cfg.MailProvider == "postmark" {
		stream := cfg.PostmarkStream
		if broadcast {
			stream = cfg.PostmarkBroadcastStream
			if stream == "" {
				stream = "broadcast"
			}
		}
		return &mail.Postmark{Token: cfg.PostmarkToken, From: cfg.SMTPFrom, Stream: stream}
	}
	if cfg.SMTPHost == "" {
		return mail.Discard{Log: log}
	}
	return &mail.SMTP{Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUsername,
		Password: cfg.SMTPPassword, From: cfg.SMTPFrom, TLS: cfg.SMTPTLS}
}

// postmarkRate is the default cap on newsletter messages a second through
// Postmark: Postmark publishes no fixed figure and answers 429 past what it
// takes, which the send job waits out; this keeps a 10,000-member send to
// a few minutes without leaning on that.
const postmarkRate = 50

// mailLimiter is the node's cap on newsletter messages a second (nil: none).
func mailLimiter(cfg config.Config) *mail.Limiter {
	rate := cfg.MailRate
	if rate == 0 && cfg.MailProvider == "postmark" {
		rate = postmarkRate
	}
	if rate <= 0 {
		return nil
	}
	return &mail.Limiter{Rate: rate}
}

// mountMailHooks wires the providers' bounce and complaint webhooks, each
// answering 404 until its secret (Postmark) or topics (SES via SNS) are
// set, and, with --mail-tracking, the first-party tracking image and
// click redirect (404 without).
func mountMailHooks(mux *http.ServeMux, a *app, cfg config.Config, log *slog.Logger, key []byte) {
	if cfg.MailTracking {
		deliveries, _ := a.svc.System("newsletter").Deliveries() // the system may always
		(&mailtrack.Handler{Key: key, Tracker: deliveries, Log: log}).Register(mux)
		log.Info("newsletter open and click tracking on (first-party)", "paths", "/mail/o, /mail/c")
	}
	if cfg.PostmarkWebhookPassword != "" {
		log.Info("Postmark bounce webhook on", "path", "/mail/postmark")
	}
	if len(cfg.SNSTopics()) > 0 {
		log.Info("SES bounce notifications on", "path", "/mail/ses", "topics", len(cfg.SNSTopics()))
	}
	mailhook.New(mailhook.Config{Events: a.svc.System("mail-webhook"), Log: log, PostmarkUser: cfg.PostmarkWebhookUser,
		PostmarkPassword: cfg.PostmarkWebhookPassword, SNSTopics: cfg.SNSTopics()}).Register(mux)
}
