package sqlite

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

// dayLayout is how republish_views keeps its day: text sorts as time does
// and the SQL is the same in both stores.
const dayLayout = "2006-01-02"

// RecordRepublishViews adds the counts in one transaction.
func (db *DB) RecordRepublishViews(ctx context.Context, vs []store.RepublishView) error {
	if len(vs) == 0 {
		return nil
	}
	return db.inWrite(ctx, func(tx *Tx) error {
		for _, v := range vs {
			if v.ArticleID <= 0 || v.Views <= 0 {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO republish_views (article_id, domain, page, day, views)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (article_id, domain, page, day)
				DO UPDATE SET views = republish_views.views + excluded.views`,
				v.ArticleID, v.Domain, v.Page, v.Day.UTC().Format(dayLayout), v.Views); err != nil {
				return err
			}
		}
		return nil
	}, "record %d republish counts", len(vs))
}

// FindRepublishViews returns counts matching f, newest day first.
func (db *DB) FindRepublishViews(ctx context.Context, f store.RepublishViewFilter) ([]store.RepublishView, error) {
	var where []string
	var args []any
	if f.ArticleID != 0 {
		where, args = append(where, "article_id = ?"), append(args, f.ArticleID)
	}
	if f.Domain != "" {
		where, args = append(where, "domain = ?"), append(args, f.Domain)
	}
	if !f.Since.IsZero() {
		where, args = append(where, "day >= ?"), append(args, f.Since.UTC().Format(dayLayout))
	}
	q := `SELECT article_id, domain, page, day, views FROM republish_views`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY day DESC, views DESC, article_id, domain, page LIMIT ?"
	args = append(args, limitArg(f.Limit))
	var out []store.RepublishView
	err := db.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v store.RepublishView
			var day string
			if err := rows.Scan(&v.ArticleID, &v.Domain, &v.Page, &day, &v.Views); err != nil {
				return err
			}
			if v.Day, err = time.Parse(dayLayout, day); err != nil {
				return err
			}
			out = append(out, v)
		}
		return rows.Err()
	}, "find republish counts")
	return out, err
}

// PutDomainRule adds or replaces the rule for r.Domain.
func (db *DB) PutDomainRule(ctx context.Context, r *store.DomainRule) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO republish_domains (domain, rule, note, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (domain) DO UPDATE SET rule = excluded.rule, note = excluded.note`,
			r.Domain, r.Rule, r.Note, formatTime(tx.now))
		if err == nil && r.CreatedAt.IsZero() {
			r.CreatedAt = tx.now
		}
		return err
	}, "put domain rule %q", r.Domain)
}

// DeleteDomainRule removes the rule for domain, or returns not_found.
func (db *DB) DeleteDomainRule(ctx context.Context, domain string) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		return deleteRow(ctx, tx, "republish_domains", "domain", domain, func() error { return store.NotFound("domain rule", domain) })
	}, "delete domain rule %q", domain)
}

// FindDomainRules returns every rule ordered by domain.
func (db *DB) FindDomainRules(ctx context.Context) ([]*store.DomainRule, error) {
	var out []*store.DomainRule
	err := db.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT domain, rule, note, created_at FROM republish_domains ORDER BY domain`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r store.DomainRule
			if err := rows.Scan(&r.Domain, &r.Rule, &r.Note, timeDst(&r.CreatedAt)); err != nil {
				return err
			}
			out = append(out, &r)
		}
		return rows.Err()
	}, "find domain rules")
	return out, err
}

const partnerColumns = `id, name, token_hash, created_at, revoked_at, fetches, last_fetch_at`

func scanPartner(sc scanner) (*store.Partner, error) {
	var p store.Partner
	if err := sc.Scan(&p.ID, &p.Name, &p.TokenHash, timeDst(&p.CreatedAt), timeDst(&p.RevokedAt), &p.Fetches,
		timeDst(&p.LastFetchAt)); err != nil {
		return nil, err
	}
	return &p, nil
}

// CreatePartner inserts p; conflict when the token hash is taken.
func (db *DB) CreatePartner(ctx context.Context, p *store.Partner) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		id, err := newID(ctx, tx, `INSERT INTO partners (name, token_hash, created_at) VALUES (?, ?, ?)`,
			p.Name, p.TokenHash, formatTime(tx.now))
		if isUnique(err) {
			return conflict("token", "a partner with this token already exists")
		} else if err != nil {
			return err
		}
		p.ID, p.CreatedAt = id, tx.now
		return nil
	}, "create partner %q", p.Name)
}

// RevokePartner stops the partner's token.
func (db *DB) RevokePartner(ctx context.Context, id int64, at time.Time) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		return updateOne(ctx, tx, "partner", id, `UPDATE partners SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`,
			formatTime(at), id)
	}, "revoke partner %d", id)
}

// FindPartners returns every partner, oldest first.
func (db *DB) FindPartners(ctx context.Context) ([]*store.Partner, error) {
	var out []*store.Partner
	err := db.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+partnerColumns+` FROM partners ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPartner(rows)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	}, "find partners")
	return out, err
}

// FindPartnerByTokenHash returns the partner, or not_found.
func (db *DB) FindPartnerByTokenHash(ctx context.Context, hash string) (*store.Partner, error) {
	var p *store.Partner
	err := db.inRead(ctx, func(tx *Tx) (err error) {
		p, err = scanPartner(tx.QueryRowContext(ctx, `SELECT `+partnerColumns+` FROM partners WHERE token_hash = ?`, hash))
		// The hash is a credential: keep it out of messages.
		return mapError(err, func() error { return content.Errorf(content.ENOTFOUND, "partner not found") })
	}, "find partner")
	return p, err
}

// RecordPartnerFetch counts one feed fetch.
func (db *DB) RecordPartnerFetch(ctx context.Context, id int64, at time.Time) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		return updateOne(ctx, tx, "partner", id, `UPDATE partners SET fetches = fetches + 1, last_fetch_at = ? WHERE id = ?`,
			formatTime(at), id)
	}, "record fetch of partner %d", id)
}

// PutPartnerRelease sets or (zero at) removes the article's partner release time.
func (db *DB) PutPartnerRelease(ctx context.Context, articleID int64, at time.Time) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		if at.IsZero() {
			_, err := tx.ExecContext(ctx, `DELETE FROM partner_releases WHERE article_id = ?`, articleID)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO partner_releases (article_id, release_at) VALUES (?, ?)
			ON CONFLICT (article_id) DO UPDATE SET release_at = excluded.release_at`, articleID, formatTime(at))
		if isForeignKey(err) {
			return store.NotFound("article", articleID)
		}
		return err
	}, "put partner release of article %d", articleID)
}

// FindPartnerReleases returns every article's partner release time.
func (db *DB) FindPartnerReleases(ctx context.Context) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	err := db.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT article_id, release_at FROM partner_releases`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var at time.Time
			if err := rows.Scan(&id, timeDst(&at)); err != nil {
				return err
			}
			out[id] = at
		}
		return rows.Err()
	}, "find partner releases")
	return out, err
}

const webhookColumns = `id, url, secret, events, active, allow_private, created_at`

func scanWebhook(sc scanner) (*store.Webhook, error) {
	var w store.Webhook
	var events string
	if err := sc.Scan(&w.ID, &w.URL, &w.Secret, &events, &w.Active, &w.AllowPrivate, timeDst(&w.CreatedAt)); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(events), &w.Events); err != nil {
		return nil, err
	}
	return &w, nil
}

func eventsJSON(w *store.Webhook) string {
	if w.Events == nil {
		return "[]"
	}
	b, _ := json.Marshal(w.Events) // a []string always encodes
	return string(b)
}

// CreateWebhook inserts w.
func (db *DB) CreateWebhook(ctx context.Context, w *store.Webhook) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		id, err := newID(ctx, tx, `INSERT INTO webhooks (url, secret, events, active, allow_private, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, w.URL, w.Secret, eventsJSON(w), w.Active, w.AllowPrivate, formatTime(tx.now))
		if err != nil {
			return err
		}
		w.ID, w.CreatedAt = id, tx.now
		return nil
	}, "create webhook")
}

// UpdateWebhook stores w's URL, events and flags.
func (db *DB) UpdateWebhook(ctx context.Context, w *store.Webhook) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		return updateOne(ctx, tx, "webhook", w.ID, `UPDATE webhooks SET url = ?, events = ?, active = ?, allow_private = ? WHERE id = ?`,
			w.URL, eventsJSON(w), w.Active, w.AllowPrivate, w.ID)
	}, "update webhook %d", w.ID)
}

// DeleteWebhook removes the webhook and its deliveries.
func (db *DB) DeleteWebhook(ctx context.Context, id int64) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE webhook_id = ?`, id); err != nil {
			return err
		}
		return deleteRow(ctx, tx, "webhooks", "id", id, func() error { return store.NotFound("webhook", id) })
	}, "delete webhook %d", id)
}

// FindWebhookByID returns the webhook, or not_found.
func (db *DB) FindWebhookByID(ctx context.Context, id int64) (*store.Webhook, error) {
	var w *store.Webhook
	err := db.inRead(ctx, func(tx *Tx) (err error) {
		w, err = scanWebhook(tx.QueryRowContext(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE id = ?`, id))
		return mapError(err, func() error { return store.NotFound("webhook", id) })
	}, "find webhook %d", id)
	return w, err
}

// FindWebhooks returns every webhook, oldest first.
func (db *DB) FindWebhooks(ctx context.Context) ([]*store.Webhook, error) {
	var out []*store.Webhook
	err := db.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+webhookColumns+` FROM webhooks ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			w, err := scanWebhook(rows)
			if err != nil {
				return err
			}
			out = append(out, w)
		}
		return rows.Err()
	}, "find webhooks")
	return out, err
}

// RecordWebhookDelivery appends d and trims the webhook's log.
func (db *DB) RecordWebhookDelivery(ctx context.Context, d *store.WebhookDelivery) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		if d.At.IsZero() {
			d.At = tx.now
		}
		id, err := newID(ctx, tx, `INSERT INTO webhook_deliveries (webhook_id, event_id, event, attempt, status, error,
			response, millis, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.WebhookID, d.EventID, d.Event, d.Attempt, d.Status, d.Error, d.Response, d.Millis, formatTime(d.At))
		if isForeignKey(err) {
			return store.NotFound("webhook", d.WebhookID)
		} else if err != nil {
			return err
		}
		d.ID = id
		_, err = tx.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE webhook_id = ? AND id <= ?`,
			d.WebhookID, id-store.MaxWebhookDeliveries)
		return err
	}, "record delivery to webhook %d", d.WebhookID)
}

// FindWebhookDeliveries returns the webhook's deliveries, newest first.
func (db *DB) FindWebhookDeliveries(ctx context.Context, webhookID int64, limit int) ([]*store.WebhookDelivery, error) {
	var out []*store.WebhookDelivery
	err := db.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, webhook_id, event_id, event, attempt, status, error, response, millis, at
			FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?`, webhookID, limitArg(limit))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d store.WebhookDelivery
			if err := rows.Scan(&d.ID, &d.WebhookID, &d.EventID, &d.Event, &d.Attempt, &d.Status, &d.Error, &d.Response,
				&d.Millis, timeDst(&d.At)); err != nil {
				return err
			}
			out = append(out, &d)
		}
		return rows.Err()
	}, "find deliveries of webhook %d", webhookID)
	return out, err
}

// updateOne runs an UPDATE of one row and returns not_found when it
// matched none.
func updateOne(ctx context.Context, tx *Tx, what string, id int64, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return store.NotFound(what, id)
	}
	return nil
}

// newID runs an INSERT and returns the new row's ID.
func newID(ctx context.Context, tx *Tx, query string, args ...any) (int64, error) {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}
