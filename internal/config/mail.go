package config

import (
	"errors"
	"flag"
	"fmt"
	"net/mail"
	"os"
	"strconv"
	"strings"
)

// Mail holds the choice of mail provider beyond the SMTP settings, and
// the secrets of the bounce and complaint webhooks.
type Mail struct {
	// MailProvider is smtp (the SMTP settings; the default) or postmark.
	// FOLIO_MAIL_PROVIDER
	MailProvider string
	// PostmarkToken is the server API token. FOLIO_POSTMARK_TOKEN or _FILE; never printed
	PostmarkToken string
	// PostmarkStream carries password resets, sign-in links and other
	// single messages; PostmarkBroadcastStream carries newsletters, as
	// Postmark requires of bulk mail. FOLIO_POSTMARK_STREAM, FOLIO_POSTMARK_BROADCAST_STREAM
	PostmarkStream          string
	PostmarkBroadcastStream string
	// MailRate caps newsletter messages a second across the node's
	// workers; 0 means the provider's default (none for SMTP, 50 for
	// Postmark). FOLIO_MAIL_RATE
	MailRate float64
	// MailTracking turns on first-party open and click tracking of
	// newsletters (off by default). FOLIO_MAIL_TRACKING
	MailTracking bool

	// PostmarkWebhookUser and PostmarkWebhookPassword are the basic-auth
	// credentials set in the URL of Postmark's bounce and spam-complaint
	// webhooks; the webhook is off while the password is empty.
	// FOLIO_POSTMARK_WEBHOOK_USER, FOLIO_POSTMARK_WEBHOOK_PASSWORD or _FILE (never printed)
	PostmarkWebhookUser     string
	PostmarkWebhookPassword string
	// SNSTopicARNs lists, comma-separated, the Amazon SNS topics whose SES
	// bounce and complaint notifications are taken; the webhook is off
	// while it is empty. FOLIO_SES_SNS_TOPICS
	SNSTopicARNs string
}

var mailFields = []Field{
	{"mail-provider", "FOLIO_MAIL_PROVIDER", "smtp (the smtp-* settings) or postmark (Postmark's HTTP API)"},
	{"postmark-token", "FOLIO_POSTMARK_TOKEN", "Postmark server API token (mail-provider postmark); prefer FOLIO_POSTMARK_TOKEN_FILE"},
	{"postmark-stream", "FOLIO_POSTMARK_STREAM", "Postmark message stream of single messages (default outbound)"},
	{"postmark-broadcast-stream", "FOLIO_POSTMARK_BROADCAST_STREAM", "Postmark message stream of newsletters (default broadcast)"},
	{"mail-rate", "FOLIO_MAIL_RATE", "newsletter messages a second at most (0: the provider's default, none for SMTP, 50 for Postmark)"},
	{"mail-tracking", "FOLIO_MAIL_TRACKING", "count newsletter opens and clicks through this site's own image and redirect (off by default; never a third party's)"},
	{"postmark-webhook-user", "FOLIO_POSTMARK_WEBHOOK_USER", "basic-auth user in the URL of Postmark's bounce webhook (default postmark)"},
	{"postmark-webhook-password", "FOLIO_POSTMARK_WEBHOOK_PASSWORD", "basic-auth password of Postmark's bounce webhook at /mail/postmark; turns it on; prefer FOLIO_POSTMARK_WEBHOOK_PASSWORD_FILE"},
	{"ses-sns-topics", "FOLIO_SES_SNS_TOPICS", "comma-separated ARNs of the SNS topics whose SES bounce and complaint notifications /mail/ses takes; turns it on"},
}

func init() { Fields = append(Fields, mailFields...) }

func (c *Config) bindMail(fs *flag.FlagSet) {
	m := &c.Mail
	for _, f := range []struct {
		name string
		p    *string
	}{
		{"mail-provider", &m.MailProvider}, {"postmark-token", &m.PostmarkToken}, {"postmark-stream", &m.PostmarkStream},
		{"postmark-broadcast-stream", &m.PostmarkBroadcastStream}, {"postmark-webhook-user", &m.PostmarkWebhookUser},
		{"postmark-webhook-password", &m.PostmarkWebhookPassword}, {"ses-sns-topics", &m.SNSTopicARNs},
	} {
		fs.StringVar(f.p, f.name, *f.p, usage(f.name))
	}
	fs.Float64Var(&m.MailRate, "mail-rate", m.MailRate, usage("mail-rate"))
	fs.BoolVar(&m.MailTracking, "mail-tracking", m.MailTracking, usage("mail-tracking"))
}

func (c *Config) loadMailEnv(getenv func(string) string) []error {
	var errs []error
	m := &c.Mail
	for key, dst := range map[string]*string{
		"FOLIO_MAIL_PROVIDER": &m.MailProvider, "FOLIO_POSTMARK_TOKEN": &m.PostmarkToken,
		"FOLIO_POSTMARK_STREAM": &m.PostmarkStream, "FOLIO_POSTMARK_BROADCAST_STREAM": &m.PostmarkBroadcastStream,
		"FOLIO_POSTMARK_WEBHOOK_USER": &m.PostmarkWebhookUser, "FOLIO_POSTMARK_WEBHOOK_PASSWORD": &m.PostmarkWebhookPassword,
		"FOLIO_SES_SNS_TOPICS": &m.SNSTopicARNs,
	} {
		if v := getenv(key); v != "" {
			*dst = v
		}
	}
	for key, dst := range map[string]*string{
		"FOLIO_POSTMARK_TOKEN_FILE": &m.PostmarkToken, "FOLIO_POSTMARK_WEBHOOK_PASSWORD_FILE": &m.PostmarkWebhookPassword,
	} {
		if path := getenv(key); path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", key, err))
			}
			*dst = strings.TrimSpace(string(b))
		}
	}
	if v := getenv("FOLIO_MAIL_TRACKING"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("FOLIO_MAIL_TRACKING: %q is not true or false", v))
		}
		m.MailTracking = b
	}
	if v := getenv("FOLIO_MAIL_RATE"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			errs = append(errs, fmt.Errorf("FOLIO_MAIL_RATE: %q is not a number of messages a second", v))
		}
		m.MailRate = f
	}
	return errs
}

// SNSTopics returns the SNS topic ARNs the SES webhook takes.
func (c *Config) SNSTopics() []string {
	var out []string
	for t := range strings.SplitSeq(c.SNSTopicARNs, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func (c *Config) validateMail() []error {
	var errs []error
	m := &c.Mail
	switch m.MailProvider {
	case "", "smtp":
	case "postmark":
		if m.PostmarkToken == "" {
			errs = append(errs, errors.New("postmark-token: required with mail-provider postmark"))
		}
		if _, err := mail.ParseAddress(c.SMTPFrom); err != nil {
			errs = append(errs, fmt.Errorf("smtp-from: %q is not an email address (the sender, required with mail-provider postmark)", c.SMTPFrom))
		}
	default:
		errs = append(errs, fmt.Errorf("mail-provider: %q must be smtp or postmark", m.MailProvider))
	}
	if m.MailRate < 0 {
		errs = append(errs, fmt.Errorf("mail-rate: %v must not be negative", m.MailRate))
	}
	for _, t := range c.SNSTopics() {
		// arn:aws:sns:region:account:name
		if p := strings.Split(t, ":"); len(p) != 6 || p[0] != "arn" || p[2] != "sns" || p[5] == "" {
			errs = append(errs, fmt.Errorf("ses-sns-topics: %q is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)", t))
		}
	}
	return errs
}
