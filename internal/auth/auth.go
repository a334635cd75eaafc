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
	"net/netip"
	"strings"
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
	// cannot be replayed; when nil, Users is used if it implements it
	// (checked once, by New).
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
	// TrustedProxies are the reverse proxies whose X-Forwarded-For
	// Middleware believes (see RealIP); none when empty.
	TrustedProxies []netip.Prefix
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

	// Sign-in throttling counts failures three ways, so that guessing
	// from one address is slow and guessing from many cannot lock the
	// owner out: MaxPairFailures for one email from one address and
	// MaxIPFailures from one address (any email) within ThrottleWindow,
	// and the slower MaxEmailFailures for one email from anywhere within
	// EmailThrottleWindow. Reaching the per-email limit mails the owner a
	// link that lifts the lock (UnlockLifetime).
	ThrottleWindow      = 15 * time.Minute
	MaxPairFailures     = 5
	MaxIPFailures       = 20
	EmailThrottleWindow = time.Hour
	MaxEmailFailures    = 50
	UnlockLifetime      = time.Hour

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
	if cfg.TOTPSteps == nil {
		cfg.TOTPSteps, _ = cfg.Users.(store.TOTPStepStore)
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
	ipKey
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

// ClientIP returns the address the request came from: the one Middleware
// resolved through trusted proxies when it ran, else the direct peer.
func ClientIP(r *http.Request) string {
	if r == nil {
		return ""
	}
	if ip, ok := r.Context().Value(ipKey).(string); ok {
		return ip
	}
	return RealIP(r, nil)
}

// RealIP returns the client address of r given the reverse proxies in
// trusted. When the direct peer is not a trusted proxy, X-Forwarded-For is
// the client's own say-so and is ignored. When it is, the header is read
// from the right, the end each proxy appended to, and the first address
// outside trusted is the client: anything further left was sent by the
// client and could be forged. An unparsable entry stops the walk at the
// last trusted hop.
func RealIP(r *http.Request, trusted []netip.Prefix) string {
	peer := r.RemoteAddr
	if host, _, err := net.SplitHostPort(peer); err == nil {
		peer = host
	}
	addr, err := netip.ParseAddr(peer)
	if err != nil || !isTrusted(addr, trusted) {
		return peer
	}
	last := addr.Unmap().String()
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(hops[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a, ok := parseHop(parts[j])
			if !ok {
				return last
			}
			if !isTrusted(a, trusted) {
				return a.String()
			}
			last = a.String()
		}
	}
	// Every hop is a trusted proxy: the left-most is the closest we know
	// to the client (for example an office behind the same network).
	return last
}

// parseHop parses one X-Forwarded-For entry: an address, possibly with a
// port or, for IPv6, in brackets.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone(""), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	if a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")); err == nil {
		return a.Unmap().WithZone(""), true
	}
	return netip.Addr{}, false
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	a = a.Unmap().WithZone("")
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
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

// RandomToken returns 32 random bytes, URL-safe base64: the secret of a
// session cookie, a mailed link or an API token.
func RandomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns the hex SHA-256 of a secret: the only form in which
// session ids, mailed tokens and API tokens are stored.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// apiTokenPrefix marks Folio API secrets so scanners and people can
// recognise a leak.
const apiTokenPrefix = "folio_"

// NewAPITokenSecret returns a new API token secret: "folio_" and 32 random
// bytes, base64url. Only its HashToken is stored.
func NewAPITokenSecret() string { return apiTokenPrefix + RandomToken() }

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
