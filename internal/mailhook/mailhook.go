package mailhook

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"folio/internal/content"
	"folio/internal/editorial"
)

// maxBody bounds a webhook delivery: a Postmark bounce carries the bounce
// message's dump, an SNS message at most 256 KiB.
const maxBody = 512 << 10

// Applier records verified events; *editorial.Editor (as the system) is one.
type Applier interface {
	ApplyMailEvent(ctx context.Context, ev editorial.MailEvent) (bool, error)
}

// Config configures the webhooks. A provider whose secret is empty has no
// endpoint: its path answers 404.
type Config struct {
	Events Applier
	Log    *slog.Logger
	// PostmarkUser and PostmarkPassword are the basic-auth credentials in
	// the webhook URL set at Postmark (https://user:password@host/mail/postmark).
	PostmarkUser, PostmarkPassword string
	// SNSTopics are the topic ARNs whose notifications are taken.
	SNSTopics []string
	// Client fetches SNS signing certificates and confirms subscriptions;
	// a client with a 10 s timeout when nil.
	Client *http.Client
	// TrustURL says whether a signing certificate or subscription URL may
	// be fetched; SNSURL (https on an SNS host) when nil. Tests trust
	// their own server.
	TrustURL func(*url.URL) bool
}

// Hooks serves the webhooks.
type Hooks struct {
	cfg Config
	log *slog.Logger

	mu    sync.Mutex
	certs map[string]*certEntry // signing certificates by URL
}

// New returns the webhooks of cfg.
func New(cfg Config) *Hooks {
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.TrustURL == nil {
		cfg.TrustURL = SNSURL
	}
	return &Hooks{cfg: cfg, log: log, certs: map[string]*certEntry{}}
}

// Register mounts POST /mail/postmark and POST /mail/ses on mux. They
// carry no session, cookie or CSRF token: the credential or the signature
// is the check.
func (h *Hooks) Register(mux *http.ServeMux) {
	mux.Handle("POST /mail/postmark", private(http.HandlerFunc(h.handlePostmark)))
	mux.Handle("POST /mail/ses", private(http.HandlerFunc(h.handleSNS)))
}

func private(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Robots-Tag", "noindex")
		next.ServeHTTP(w, r)
	})
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, "payload: larger than 512 KiB or unreadable", http.StatusRequestEntityTooLarge)
		return nil, false
	}
	return b, true
}

// apply records the events of one delivery and answers. An event the
// service refuses as invalid is the sender's fault (400); a store failure
// answers 500 so the provider delivers again, and the events recorded
// before it are replays then.
func (h *Hooks) apply(w http.ResponseWriter, r *http.Request, provider string, evs []editorial.MailEvent) {
	ctx := r.Context()
	applied := 0
	for _, ev := range evs {
		ok, err := h.cfg.Events.ApplyMailEvent(ctx, ev)
		if err != nil {
			if content.ErrorCode(err) == content.EINVALID {
				http.Error(w, content.ErrorMessage(err), http.StatusBadRequest)
				return
			}
			h.log.ErrorContext(ctx, "mail webhook failed", "provider", provider, "event", ev.ID, "err", err)
			http.Error(w, "could not record the event; retry", http.StatusInternalServerError)
			return
		}
		if ok {
			applied++
		}
	}
	// The address is a member's personal data: the log names the event only.
	h.log.InfoContext(ctx, "mail provider events", "provider", provider, "events", len(evs), "applied", applied)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"received": len(evs), "applied": applied})
}
