package main

import (
	"log/slog"

	"folio/internal/config"
	"folio/internal/jobs"
	"folio/internal/mail"
)

// newMailer returns the Sender every part of the site mails through: it
// queues each message on q, whose mail worker (registered here, once) sends
// it over SMTP, or logs and drops it when no SMTP server is configured. So
// a password reset request answers without waiting for the mail server, as
// fast for a real account as for an unknown one, and a message survives an
// SMTP outage or a restart.
func newMailer(cfg config.Config, log *slog.Logger, q *jobs.Queue) mail.Sender {
	jobs.Register(q, &mail.Worker{Sender: smtpSender(cfg, log), Log: log})
	return mail.Queued{Queue: q}
}

// smtpSender is the configured SMTP server, or Discard without one.
func smtpSender(cfg config.Config, log *slog.Logger) mail.Sender {
	if cfg.SMTPHost == "" {
		return mail.Discard{Log: log}
	}
	return &mail.SMTP{Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUsername,
		Password: cfg.SMTPPassword, From: cfg.SMTPFrom, TLS: cfg.SMTPTLS}
}
