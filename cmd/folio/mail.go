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
	var smtp mail.Sender = mail.Discard{Log: log}
	if cfg.SMTPHost != "" {
		smtp = &mail.SMTP{Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUsername,
			Password: cfg.SMTPPassword, From: cfg.SMTPFrom, TLS: cfg.SMTPTLS}
	}
	jobs.Register(q, &mail.Worker{Sender: smtp, Log: log})
	return mail.Queued{Queue: q}
}
