package readers

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"folio/internal/auth"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/i18n"
	"folio/internal/mail"
	"folio/internal/store"
	readersweb "folio/web/readers"
)

// Store is what the reader pages read, and the bookkeeping they write.
type Store interface {
	store.Store
	editorial.ReaderStore
}

// Config is what Readers needs.
type Config struct {
	Store     Store
	Editorial *editorial.Service
	// Mailer sends sign-in links and forwarded articles; the durable
	// queue (mail.Queued) in serve.
	Mailer mail.Sender
	// Key signs unsubscribe links and form timestamps; see LoadKey.
	Key []byte
	// BaseURL returns the public base URL for links in mail.
	BaseURL func() string
	// AssetURL returns the cache-busting URL of a theme static file.
	AssetURL       func(name string) string
	Logger         *slog.Logger
	Now            func() time.Time
	SecureCookies  bool
	TrustedProxies []netip.Prefix
	// MinTimeOnPage is how long a comment or forward form must have been
	// open before it is sent: robots post at once. DefaultMinTimeOnPage when 0.
	MinTimeOnPage time.Duration
	// Limits overrides the rate limits (tests); DefaultLimits when zero.
	Limits Limits
	// Paid turns paid membership on; nil leaves it off.
	Paid *PaidConfig
}

// DefaultMinTimeOnPage is long enough to stop robots and short enough that
// no person writing a comment notices it.
const DefaultMinTimeOnPage = 3 * time.Second

// Readers serves the reader pages.
type Readers struct {
	cfg   Config
	st    Store
	svc   *editorial.Service
	log   *slog.Logger
	now   func() time.Time
	pages map[string]*template.Template
}

// New parses the templates (panicking if one is missing, which only a
// broken build can cause) and returns the handlers.
func New(cfg Config) *Readers {
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
	if cfg.AssetURL == nil {
		cfg.AssetURL = func(string) string { return "" }
	}
	if cfg.MinTimeOnPage == 0 {
		cfg.MinTimeOnPage = DefaultMinTimeOnPage
	}
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits
	}
	if cfg.Limits.ContactPerIP.Max == 0 {
		cfg.Limits.ContactPerIP = DefaultLimits.ContactPerIP
	}
	if cfg.Limits.ContactPerSite.Max == 0 {
		cfg.Limits.ContactPerSite = DefaultLimits.ContactPerSite
	}
	if len(cfg.Key) < 32 {
		panic("readers: Config.Key must hold at least 32 bytes")
	}
	pages, err := parsePages(readersweb.Templates)
	if err != nil {
		panic(err)
	}
	return &Readers{cfg: cfg, st: cfg.Store, svc: cfg.Editorial, log: cfg.Logger, now: cfg.Now, pages: pages}
}

func parsePages(fsys fs.FS) (map[string]*template.Template, error) {
	names, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return nil, err
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(fsys, "layout.html", "partials.html")
	if err != nil {
		return nil, fmt.Errorf("readers: parse layout: %w", err)
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		if n == "layout.html" || n == "partials.html" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("readers: parse %s: %w", n, err)
		}
		pages[strings.TrimSuffix(n, ".html")] = t
	}
	return pages, nil
}

// funcs are the templates' helpers; messages come from page methods.
var funcs = template.FuncMap{
	// trap is the hidden field robots fill (readers leave it empty).
	"trap": func(id, label string) map[string]string { return map[string]string{"ID": id, "Label": label} },
}

// page is what every reader template gets.
type page struct {
	Lang     string // the page's language, from its /{lang} prefix
	Dir      string // "rtl" or "ltr"
	Title    string
	Site     string
	CSS      string
	Member   *store.Member
	CSRF     string
	Notice   string
	Error    string
	Fields   map[string]string // problems by field
	Data     any
	Fragment bool

	loc    *i18n.Locale
	prefix string // "/fa" on Persian pages, "" in the default language
}

// newPage starts the page whose title is the catalog message titleKey.
func (h *Readers) newPage(r *http.Request, titleKey string, data any) *page {
	ctx := r.Context()
	loc := h.loc(ctx)
	p := &page{Lang: loc.Tag(), Dir: loc.Dir(), CSS: h.cfg.AssetURL("site.css"), Member: memberFrom(ctx), CSRF: csrfToken(r),
		Data: data, loc: loc, prefix: h.path(ctx, "")}
	p.Title = loc.T(titleKey)
	st := h.settings(ctx)
	p.Site, _ = st.Localized(p.Lang, "title")
	return p
}

// T is the catalog message key in the page's language, with its
// placeholders filled from name/value pairs.
func (p *page) T(key string, args ...any) string { return p.loc.T(key, args...) }

// N is the plural form of key for n in the page's language.
func (p *page) N(key string, n int) string { return p.loc.N(key, n) }

// Split is the message key cut at {placeholder}, so a template puts markup
// (a name in <bdi>, a link) where the placeholder was, in the language's
// word order.
func (p *page) Split(key, placeholder string) []string {
	before, after := p.loc.Around(key, placeholder)
	return []string{before, after}
}

// Path is the reader path s in the page's language.
func (p *page) Path(s string) string { return p.prefix + s }

// handler is an HTTP handler that may fail; wrap answers the error.
type handler func(w http.ResponseWriter, r *http.Request) error

func (h *Readers) wrap(fn handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			h.fail(w, r, err)
		}
	})
}

// fail answers an error with its status and a page saying what happened;
// internal errors are logged once, here.
func (h *Readers) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	switch content.ErrorCode(err) {
	case content.EINVALID:
		status = http.StatusBadRequest
	case content.ENOTFOUND:
		status = http.StatusNotFound
	case content.EUNAUTHORIZED:
		status = http.StatusUnauthorized
	case content.EFORBIDDEN:
		status = http.StatusForbidden
	case content.ECONFLICT:
		status = http.StatusConflict
	case ETOOMANY:
		status = http.StatusTooManyRequests
	default:
		h.log.ErrorContext(r.Context(), "reader page failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	p := h.newPage(r, "members.error.title", nil).withError(err)
	h.html(w, r, status, "message", p)
}

// html renders a page into a buffer and sends it, never half a page.
func (h *Readers) html(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t := h.pages[name]
	var buf bytes.Buffer
	root := "layout"
	if p.Fragment {
		root = "fragment"
	}
	if err := t.ExecuteTemplate(&buf, root, p); err != nil {
		h.log.ErrorContext(r.Context(), "render reader page", "page", name, "err", err)
		http.Error(w, "Internal server error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = buf.WriteTo(w)
	}
}

// clientIP is the reader's address, through the trusted proxies only.
func (h *Readers) clientIP(r *http.Request) string { return auth.RealIP(r, h.cfg.TrustedProxies) }

// Register adds the reader routes to mux. None goes through the page cache.
func (h *Readers) Register(mux *http.ServeMux) {
	in := http.NewServeMux()
	handle := func(pattern string, fn handler) { in.Handle(pattern, h.wrap(fn)) }
	handle("GET /members/signin", h.handleSigninForm)
	handle("POST /members/signin", h.handleSignin)
	handle("GET /members/confirm", h.handleConfirm)
	handle("POST /members/signout", h.handleSignout)
	handle("GET /members/profile", h.handleProfile)
	handle("POST /members/profile", h.handleProfileSave)
	handle("GET /members/export", h.handleExport)
	handle("POST /members/delete", h.handleDelete)
	handle("GET /members/comment", h.handleCommentForm)
	handle("POST /members/comment", h.handleComment)
	handle("GET /members/article/{id}", h.handleMemberArticle)
	handle("GET /members/join", h.handleJoin)
	handle("POST /members/checkout", h.handleCheckout)
	handle("POST /members/portal", h.handlePortal)
	handle("GET "+ReplyStopPath, h.handleReplyStopForm)
	handle("POST "+ReplyStopPath, h.handleReplyStop)
	handle("GET /newsletters/{$}", h.handleNewsletters)
	handle("POST /newsletters/subscribe", h.handleSubscribe)
	handle("GET /newsletters/unsubscribe", h.handleUnsubscribeForm)
	handle("POST /newsletters/unsubscribe", h.handleUnsubscribe)
	handle("GET /forward/{id}/{$}", h.handleForward)
	handle("GET /forward/{id}/source", h.handleForwardSource)
	handle("POST /forward/{id}/{$}", h.handleForwardSend)
	// The contact form has a path of its own: POST to the page's own URL
	// would reach the public site's handler, which answers GET only.
	handle("GET /contact-form/{id}/{$}", h.handleContactForm)
	handle("POST /contact-form/{id}/{$}", h.handleContactSend)
	chain := h.private(h.limitBody(h.sessions(h.csrf(in))))
	for _, p := range []string{"/members/", "/newsletters/", "/forward/", "/contact-form/"} {
		mux.Handle(p, chain)
		// The same pages in each interface language (lang.go).
		for _, l := range i18n.Languages {
			mux.Handle("/"+l.Tag+p, h.withLang(l.Tag, chain))
		}
	}
	// Stripe signs its webhook; it carries no session, cookie or CSRF token.
	mux.Handle("POST /stripe/webhook", h.private(http.HandlerFunc(h.handleStripeWebhook)))
}

// maxBody bounds every reader request: a comment is at most 5 kB.
const maxBody = 64 << 10

func (h *Readers) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		next.ServeHTTP(w, r)
	})
}

// private marks every response as one browser's, never stored by a cache
// or indexed.
func (h *Readers) private(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Robots-Tag", "noindex")
		next.ServeHTTP(w, r)
	})
}

// baseURL is the public base URL without a trailing slash, or the
// request's own origin when none is configured.
func (h *Readers) baseURL(r *http.Request) string {
	if b := strings.TrimRight(h.cfg.BaseURL(), "/"); b != "" {
		return b
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (h *Readers) settings(ctx context.Context) *content.Settings {
	st, err := h.st.Settings(ctx)
	if err != nil {
		d := content.DefaultSettings()
		return &d
	}
	return st
}
