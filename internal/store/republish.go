package store

import (
	"context"
	"time"
)

// RepublishView counts the views of one republished copy of an article on
// one day, as the tracking image saw them. Page is the referring page
// without its query or fragment; Domain its host ("" when the browser sent
// no referrer). Nothing about the reader is kept.
type RepublishView struct {
	ArticleID int64     `json:"article_id"`
	Domain    string    `json:"domain"`
	Page      string    `json:"page"`
	Day       time.Time `json:"day"` // midnight UTC
	Views     int64     `json:"views"`
}

// RepublishViewFilter selects view counts. Zero fields do not filter.
type RepublishViewFilter struct {
	ArticleID int64
	Domain    string
	Since     time.Time // Day >= Since
	Limit     int       // 0 means no limit
}

// Domain rules of the republication counter.
const (
	DomainAllow = "allow" // when any domain is allowed, only allowed domains are counted
	DomainBlock = "block" // never counted
)

// DomainRule allows or blocks one republishing domain.
type DomainRule struct {
	Domain    string    `json:"domain"`
	Rule      string    `json:"rule"` // DomainAllow or DomainBlock
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
}

// RepublishStore keeps republication counts and the domain rules.
type RepublishStore interface {
	// RecordRepublishViews adds each view's Views to the stored count of
	// its article, domain, page and day, in one transaction.
	RecordRepublishViews(ctx context.Context, vs []RepublishView) error
	// FindRepublishViews returns counts matching f, newest day first, then
	// by most views.
	FindRepublishViews(ctx context.Context, f RepublishViewFilter) ([]RepublishView, error)
	// PutDomainRule adds or replaces the rule for r.Domain.
	PutDomainRule(ctx context.Context, r *DomainRule) error
	// DeleteDomainRule removes the rule for domain, or returns not_found.
	DeleteDomainRule(ctx context.Context, domain string) error
	// FindDomainRules returns every rule ordered by domain.
	FindDomainRules(ctx context.Context) ([]*DomainRule, error)
}

// Partner is an outlet that receives full-content syndication feeds.
// TokenHash is the hex SHA-256 of the secret in its feed URL.
type Partner struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	TokenHash   string    `json:"-"`
	CreatedAt   time.Time `json:"created_at"`
	RevokedAt   time.Time `json:"revoked_at"` // zero while the token works
	Fetches     int64     `json:"fetches"`
	LastFetchAt time.Time `json:"last_fetch_at"`
}

// IsRevoked reports whether the partner's token no longer works.
func (p *Partner) IsRevoked() bool { return !p.RevokedAt.IsZero() }

// SyndicationStore keeps partners and the partner release times of articles.
type SyndicationStore interface {
	// CreatePartner inserts p and sets its ID and CreatedAt; conflict when
	// the token hash is taken.
	CreatePartner(ctx context.Context, p *Partner) error
	// RevokePartner stops the partner's token at at; not_found when missing.
	RevokePartner(ctx context.Context, id int64, at time.Time) error
	// FindPartners returns every partner, oldest first.
	FindPartners(ctx context.Context) ([]*Partner, error)
	// FindPartnerByTokenHash returns the partner, revoked or not, or not_found.
	FindPartnerByTokenHash(ctx context.Context, hash string) (*Partner, error)
	// RecordPartnerFetch counts one feed fetch by the partner at at.
	RecordPartnerFetch(ctx context.Context, id int64, at time.Time) error
	// PutPartnerRelease sets when partners may have the article; a zero
	// time removes it (partners then get it when the public does).
	// not_found when the article is missing.
	PutPartnerRelease(ctx context.Context, articleID int64, at time.Time) error
	// FindPartnerReleases returns every article's partner release time.
	FindPartnerReleases(ctx context.Context) (map[int64]time.Time, error)
}

// Webhook is one subscription to change events. Secret signs the payloads
// and is shown to the admin who made it; it is never logged.
type Webhook struct {
	ID     int64    `json:"id"`
	URL    string   `json:"url"`
	Secret string   `json:"-"`
	Events []string `json:"events"` // event names, e.g. "article.published"
	Active bool     `json:"active"`
	// AllowPrivate lets deliveries go to loopback and private addresses
	// (a receiver on the same machine or network).
	AllowPrivate bool      `json:"allow_private"`
	CreatedAt    time.Time `json:"created_at"`
}

// WebhookDelivery is one attempt to deliver one event.
type WebhookDelivery struct {
	ID        int64     `json:"id"`
	WebhookID int64     `json:"webhook_id"`
	EventID   string    `json:"event_id"`
	Event     string    `json:"event"`
	Attempt   int       `json:"attempt"`
	Status    int       `json:"status"` // HTTP status; 0 when no response came
	Error     string    `json:"error"`
	Response  string    `json:"response"` // the start of the response body
	Millis    int64     `json:"millis"`
	At        time.Time `json:"at"`
}

// WebhookStore keeps webhook subscriptions and their delivery log.
type WebhookStore interface {
	// CreateWebhook inserts w and sets its ID and CreatedAt.
	CreateWebhook(ctx context.Context, w *Webhook) error
	// UpdateWebhook stores w's URL, events, Active and AllowPrivate; not_found.
	UpdateWebhook(ctx context.Context, w *Webhook) error
	// DeleteWebhook removes the webhook and its deliveries; not_found.
	DeleteWebhook(ctx context.Context, id int64) error
	FindWebhookByID(ctx context.Context, id int64) (*Webhook, error)
	// FindWebhooks returns every webhook, oldest first.
	FindWebhooks(ctx context.Context) ([]*Webhook, error)
	// RecordWebhookDelivery appends d to the log and sets its ID; only the
	// newest deliveries of each webhook are kept (MaxWebhookDeliveries).
	RecordWebhookDelivery(ctx context.Context, d *WebhookDelivery) error
	// FindWebhookDeliveries returns the webhook's deliveries, newest first.
	FindWebhookDeliveries(ctx context.Context, webhookID int64, limit int) ([]*WebhookDelivery, error)
}

// MaxWebhookDeliveries is how many log entries a webhook keeps.
const MaxWebhookDeliveries = 200
