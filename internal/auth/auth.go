package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"folio/internal/content"
	"folio/internal/mail"
	"folio/internal/store"
)

// Config is what Auth needs. Users, Sessions and Audit are usually the same
// *sqlite.DB.
type Config struct {
	Users    store.UserStore
	Sessions store.SessionStore
	Audit    store.AuditStore
	Mailer   mail.Sender
	// TOTPSteps remembers each user's last used authenticator code so it
	// cannot be replayed; when nil, Users is used if it implements it.
	TOTPSteps store.TOTPStepStore
	// BaseURL returns the site's public base URL ("https://news.example.org"),
	// used for links in mail and as a trusted Origin.
	BaseURL func() string
	// SiteName returns the publication's name for mail and authenticator
	// apps; "Folio" when nil.
	SiteName      func() string
	Logger        *slog.Logger
	Now           func() time.Time
	SecureCookies bool
	// Deny writes the 403 for a refused CSRF check; a plain-text page when nil.
	Deny func(w http.ResponseWriter, r *http.Request, message string)
}

// Limits of sessions, throttling and mailed links.
const (
	SessionIdle     = 12 * time.Hour
	SessionLifetime = 7 * 24 * time.Hour
	// touchEvery spaces last_seen_at writes: one per minute per session
	// is enough for a 12-hour idle limit and spares the database.
	touchEvery = time.Minute

	ThrottleWindow   = 15 * time.Minute
	MaxEmailFailures = 5
	MaxIPFailures    = 20

	ResetWindow      = time.Hour
	MaxResetsByEmail = 3
	MaxResetsByIP    = 10
	ResetLifetime    = time.Hour
	InviteLifetime   = 7 * 24 * time.Hour

	// keepAttempts is how long throttling rows are kept before pruning.
	keepAttempts = 24 * time.Hour
)

// Cookie names. Both are scoped to /admin.
const (
	SessionCookie = "folio_session"
	CSRFCookie    = "folio_csrf"
	cookiePath    = "/admin"
)

// Auth signs staff in and out and guards the admin.
type Auth struct {
	cfg Config
	log *slog.Logger

	mu        sync.Mutex
	lastPrune time.Time
}

// New returns an Auth for cfg, filling Logger, Now, Mailer and BaseURL when unset.
func New(cfg Config) *Auth {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Mailer == nil {
		cfg.Mailer = mail.Discard{Log: cfg.Logger}
	}
	if cfg.BaseURL == nil {
		cfg.BaseURL = func() string { return "" }
	}
	if cfg.SiteName == nil {
		cfg.SiteName = func() string { return "Folio" }
	}
	return &Auth{cfg: cfg, log: cfg.Logger}
}

func (a *Auth) now() time.Time { return a.cfg.Now().UTC() }

type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
	csrfKey
)

// UserFrom returns the signed-in user, or nil when signed out.
func UserFrom(ctx context.Context) *content.User {
	u, _ := ctx.Value(userKey).(*content.User)
	return u
}

// WithUser returns ctx carrying u, for code that acts as a user outside a
// request (tests, the CLI).
func WithUser(ctx context.Context, u *content.User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

func sessionFrom(ctx context.Context) *store.Session {
	s, _ := ctx.Value(sessionKey).(*store.Session)
	return s
}

// Allowed reports whether u, enabled, may perform act.
func (a *Auth) Allowed(u *content.User, act content.Action) bool {
	return u != nil && !u.Disabled && u.Role.Can(act)
}

// ClientIP returns the address the request came from. Folio does not trust
// X-Forwarded-For: a proxy in front must pass the real address itself (for
// example by running on the same host and setting RemoteAddr via PROXY).
func ClientIP(r *http.Request) string {
	if r == nil {
		return ""
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Audit records that the context's user did action to an item. It never
// fails the request: a store error is logged.
func (a *Auth) Audit(ctx context.Context, r *http.Request, action, itemKind string, itemID int64, summary string) {
	u := UserFrom(ctx)
	if u == nil && r != nil {
		u = UserFrom(r.Context())
	}
	a.record(ctx, u, ClientIP(r), action, itemKind, itemID, summary)
}

func (a *Auth) record(ctx context.Context, u *content.User, ip, action, itemKind string, itemID int64, summary string) {
	if a.cfg.Audit == nil {
		return
	}
	e := &store.AuditEntry{At: a.now(), Actor: "anonymous", Action: action, ItemKind: itemKind, ItemID: itemID, Summary: summary, IP: ip}
	if u != nil {
		e.UserID, e.Actor = u.ID, u.Email
	}
	if err := a.cfg.Audit.RecordAudit(context.WithoutCancel(ctx), e); err != nil {
		a.log.ErrorContext(ctx, "record audit entry", "action", action, "item_kind", itemKind, "item_id", itemID, "err", err)
	}
}

// randomToken returns 32 random bytes, URL-safe base64.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is how cookie and mailed tokens are stored.
func hashToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// prune drops old throttling rows, expired sessions and dead tokens at
// most once an hour.
func (a *Auth) prune(ctx context.Context) {
	now := a.now()
	a.mu.Lock()
	due := now.Sub(a.lastPrune) >= time.Hour
	if due {
		a.lastPrune = now
	}
	a.mu.Unlock()
	if !due {
		return
	}
	if err := a.cfg.Sessions.PruneAccounts(ctx, now.Add(-keepAttempts)); err != nil {
		a.log.WarnContext(ctx, "prune accounts", "err", err)
	}
}
