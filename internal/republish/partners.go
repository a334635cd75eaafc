package republish

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"folio/internal/auth"
	"folio/internal/content"
	"folio/internal/render/feed"
	"folio/internal/store"
)

// partnerFeedSize is how many articles a partner feed lists.
const partnerFeedSize = 50

// PartnerVisible reports whether partners may have a at now: at its
// partner release time when it has one (before or after the public sees
// it), else when it is public. A draft is never released.
func PartnerVisible(a *content.Article, release map[int64]time.Time, now time.Time) bool {
	if at, ok := release[a.ID]; ok {
		return !at.After(now) && (a.Status == content.StatusPublished || a.Status == content.StatusScheduled) && !a.PublishedAt.IsZero()
	}
	return a.IsPublic(now)
}

// partnerToken returns the secret from "Authorization: Bearer …" or the
// token query parameter (feed readers can only send a URL). Request logs
// hold the path only, so the secret stays out of them.
func partnerToken(r *http.Request) string {
	if v, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return strings.TrimSpace(v)
	}
	return r.URL.Query().Get("token")
}

// handlePartnerFeed serves a partner's full-content feed: every article
// released to partners, with its copyright line, license, credits and
// images. A missing, unknown or revoked token gets 401 and no content.
func (h *Handler) handlePartnerFeed(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	secret := partnerToken(r)
	if secret == "" {
		return content.Errorf(content.EUNAUTHORIZED, "a partner token is required")
	}
	p, err := h.cfg.Store.FindPartnerByTokenHash(ctx, auth.HashToken(secret))
	if content.ErrorCode(err) == content.ENOTFOUND || (err == nil && p.IsRevoked()) {
		return content.Errorf(content.EUNAUTHORIZED, "this partner token is not valid")
	} else if err != nil {
		return err
	}
	st, err := h.Settings(ctx)
	if err != nil {
		return err
	}
	now := h.cfg.Now()
	release, err := h.cfg.Store.FindPartnerReleases(ctx)
	if err != nil {
		return err
	}
	arts, _, err := h.cfg.Store.FindArticles(ctx, store.ArticleFilter{
		Statuses: []content.Status{content.StatusPublished, content.StatusScheduled}, Limit: partnerFeedSize * 2, NoTotal: true})
	if err != nil {
		return err
	}
	var list []*content.Article
	for _, a := range arts {
		if PartnerVisible(a, release, now) && len(list) < partnerFeedSize {
			list = append(list, a)
		}
	}
	f := &feed.Feed{Settings: st, Title: st.Title + " — syndication feed for " + p.Name, Listing: "/syndication/",
		Articles: list, Now: now}
	var buf bytes.Buffer
	ct := feed.ContentTypeJSON
	if strings.HasSuffix(r.URL.Path, ".xml") {
		ct = feed.ContentTypeRSS
		err = feed.RSS(&buf, f)
	} else {
		err = feed.JSON(&buf, f)
	}
	if err != nil {
		return err
	}
	// Usage is counted after the feed was made, once per fetch; a failed
	// count does not cost the partner their feed.
	if err := h.cfg.Store.RecordPartnerFetch(ctx, p.ID, now); err != nil {
		h.cfg.Logger.WarnContext(ctx, "count partner fetch", "partner", p.ID, "err", err)
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
	_, _ = w.Write(buf.Bytes())
	return nil
}
