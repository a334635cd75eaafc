package admin

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"folio/internal/auth"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/media"
	"folio/internal/render"
	"folio/internal/store"
	"folio/internal/translate"
	adminweb "folio/web/admin"
)

// Store is what the admin reads and writes directly; writes of content go
// through the editorial service.
type Store interface {
	store.Store
	store.RevisionStore
	store.UserStore
	store.AuditStore
	store.MediaVariantStore
}

// Config is what the admin needs.
type Config struct {
	Store     Store
	Editorial *editorial.Service
	Auth      *auth.Auth
	Media     *media.Library
	Renderer  *render.Renderer // the public theme, for signed draft previews
	Logger    *slog.Logger
	// PreviewKey signs draft preview links; see LoadPreviewKey.
	PreviewKey []byte
	// MaxUpload bounds media uploads; MaxBody every other request body.
	MaxUpload int64
	MaxBody   int64
	// BaseURL overrides the stored base URL in preview links when set.
	BaseURL string
	// Translate, when set, adds the translation panel and editor.
	Translate *translate.Service
	Now       func() time.Time
	// RepublishPending returns the republication counts not yet flushed,
	// so the dashboard shows views as they happen.
	RepublishPending func() []store.RepublishView
}

// Admin serves the editorial web UI under /admin/.
type Admin struct {
	cfg   Config
	st    Store
	svc   *editorial.Service
	auth  *auth.Auth
	log   *slog.Logger
	pages map[string]*template.Template
	now   func() time.Time
	// patterns are the routes Register added, in order, for the
	// authorization matrix test (see policy.go).
	patterns []string
	// zone is the site's time zone, for the templates' date (funcs).
	zone atomic.Pointer[time.Location]
}

// New parses the templates (panicking if one is missing, which only a
// broken build can cause) and returns the admin.
func New(cfg Config) *Admin {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 4 << 20
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = media.DefaultMaxBytes
	}
	a := &Admin{cfg: cfg, st: cfg.Store, svc: cfg.Editorial, auth: cfg.Auth, log: cfg.Logger, now: cfg.Now}
	a.zone.Store(time.UTC)
	pages, err := parsePages(adminweb.Templates, a.funcs())
	if err != nil {
		panic(err)
	}
	a.pages = pages
	return a
}

// funcs are the admin templates' functions. date shows times in the
// site's time zone (settings), which render keeps current in a.zone: the
// zone is the site's, the same for every request, so one shared value
// serves all of them.
func (a *Admin) funcs() template.FuncMap {
	return template.FuncMap{
		"date": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return formatTime(t, a.zone.Load())
		},
		"join": strings.Join,
		"add":  func(a, b int) int { return a + b },
		// creditTypes are the choices of the credit-type selects.
		"creditTypes": func() []content.CreditType { return content.CreditTypes },
	}
}

// formatTime writes t in loc with the zone's name or offset, so a time
// read beside another in the editor's head is never ambiguous.
func formatTime(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}

// refreshZone loads the site's time zone for the date function; a zone
// that does not load (settings validate it, so only a broken tzdata can
// cause it) keeps the last one.
func (a *Admin) refreshZone(ctx context.Context) {
	st, err := a.st.Settings(ctx)
	if err != nil || st.TimeZone == "" {
		return
	}
	if cur := a.zone.Load(); cur != nil && cur.String() == st.TimeZone {
		return
	}
	if loc, err := time.LoadLocation(st.TimeZone); err == nil {
		a.zone.Store(loc)
	}
}

// parsePages parses layout.html with each page file, so every page has
// its own "content" block.
func parsePages(fsys fs.FS, funcs template.FuncMap) (map[string]*template.Template, error) {
	names, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return nil, err
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(fsys, "layout.html")
	if err != nil {
		return nil, fmt.Errorf("admin: parse layout: %w", err)
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		if n == "layout.html" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("admin: parse %s: %w", n, err)
		}
		pages[strings.TrimSuffix(n, ".html")] = t
	}
	return pages, nil
}

// Base is what the layout needs on every page.
type Base struct {
	Title  string
	User   *content.User
	CSRF   string
	Flash  string
	Error  string
	Fields map[string]string // per-field messages
	Nav    []NavItem
	// SiteZone names the site's time zone, which every time shown and
	// typed in the admin is in.
	SiteZone string
}

// NavItem is one link of the admin header.
type NavItem struct{ Name, URL string }

func (b *Base) base() *Base { return b }

type viewer interface{ base() *Base }

func (a *Admin) nav(u *content.User) []NavItem {
	if u == nil {
		return nil
	}
	items := []NavItem{{"Dashboard", "/admin/"}, {"Articles", "/admin/articles"}, {"Pages", "/admin/pages"}, {"Media", "/admin/media"}}
	if a.auth.Allowed(u, content.ActManageAuthors) {
		items = append(items, NavItem{"Authors", "/admin/authors"})
	}
	if a.auth.Allowed(u, content.ActManageTerms) {
		items = append(items, NavItem{"Terms", "/admin/terms"})
	}
	if a.auth.Allowed(u, content.ActEditAnyArticle) {
		items = append(items, NavItem{"Redirects", "/admin/redirects"})
	}
	if a.auth.Allowed(u, content.ActModerateComments) {
		items = append(items, NavItem{"Comments", "/admin/comments"}, NavItem{"Members", "/admin/members"},
			NavItem{"Newsletters", "/admin/newsletters"})
	}
	if a.auth.Allowed(u, content.ActManageSettings) || a.auth.Allowed(u, content.ActPublishAny) {
		items = append(items, NavItem{"Republishing", "/admin/republish"})
	}
	if a.auth.Allowed(u, content.ActManageSettings) {
		items = append(items, NavItem{"Menus", "/admin/menus"}, NavItem{"Settings", "/admin/settings"})
	}
	if a.auth.Allowed(u, content.ActManageUsers) {
		items = append(items, NavItem{"Users", "/admin/users"})
	}
	if a.auth.Allowed(u, content.ActManageTokens) {
		items = append(items, NavItem{"API tokens", "/admin/tokens"})
	}
	if a.auth.Allowed(u, content.ActViewAudit) {
		items = append(items, NavItem{"Audit log", "/admin/audit"})
	}
	return append(items, NavItem{"Account", "/admin/account"})
}

// render writes page with v into a buffer first, so a template error
// becomes a clean 500 instead of half a page.
func (a *Admin) render(w http.ResponseWriter, r *http.Request, status int, page string, v viewer) error {
	a.refreshZone(r.Context())
	b := v.base()
	b.User = auth.UserFrom(r.Context())
	b.CSRF = auth.CSRFToken(r)
	b.Nav = a.nav(b.User)
	b.SiteZone = a.zone.Load().String()
	if b.Flash == "" {
		b.Flash = flashMessages[r.URL.Query().Get("done")]
	}
	t, ok := a.pages[page]
	if !ok {
		return fmt.Errorf("admin: no page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		return fmt.Errorf("admin: render %s: %w", page, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// flashMessages are the confirmations a redirect after a write asks for
// with ?done=, so no message text travels in URLs.
var flashMessages = map[string]string{
	"saved": "Saved.", "created": "Created.", "deleted": "Deleted.", "published": "Published.",
	"scheduled": "Scheduled.", "submitted": "Submitted for review.", "unpublished": "Unpublished: the article is a draft again.",
	"restored": "Revision restored as a new version.", "invited": "Invitation sent.", "revoked": "Token revoked.",
	"uploaded": "File uploaded.", "totp-on": "Two-factor sign-in is on.", "totp-off": "Two-factor sign-in is off.",
	"reset-sent": "If an account uses that address, a reset link is on its way.", "password-set": "Password set. Sign in.",
	"unlocked": "Sign-in is open again for your account. Sign in with your password.",
}

func seeOther(w http.ResponseWriter, r *http.Request, url string) error {
	http.Redirect(w, r, url, http.StatusSeeOther)
	return nil
}

// ErrorView is the page for refused or failed requests.
type ErrorView struct {
	Base
	Status int
}

// handler adapts handlers that return errors: content.Error codes become
// statuses with their safe message; anything else is logged once and
// shown as a generic 500.
type handler func(w http.ResponseWriter, r *http.Request) error

func (a *Admin) wrap(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		status := statusOf(err)
		msg := content.ErrorMessage(err)
		if status == http.StatusInternalServerError {
			a.log.ErrorContext(r.Context(), "admin request failed", "path", r.URL.Path, "err", err)
			msg = "Something went wrong. The error has been logged."
		}
		v := &ErrorView{Base: Base{Title: http.StatusText(status), Error: msg}, Status: status}
		if rerr := a.render(w, r, status, "error", v); rerr != nil {
			a.log.ErrorContext(r.Context(), "render admin error page", "err", rerr)
			http.Error(w, msg, status)
		}
	})
}

func statusOf(err error) int {
	switch content.ErrorCode(err) {
	case content.EINVALID:
		return http.StatusUnprocessableEntity
	case content.ENOTFOUND:
		return http.StatusNotFound
	case content.ECONFLICT:
		return http.StatusConflict
	case content.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case content.EFORBIDDEN:
		return http.StatusForbidden
	case content.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case content.EGONE:
		return http.StatusGone
	}
	return http.StatusInternalServerError
}

// editor returns the editorial service acting for the signed-in user.
func (a *Admin) editor(r *http.Request) *editorial.Editor {
	return a.svc.As(auth.UserFrom(r.Context()))
}

// ownArticle loads article id for the signed-in staff member and refuses
// with forbidden, saying what was refused, unless they may edit it or it is
// theirs.
func (a *Admin) ownArticle(r *http.Request, id int64, refused string) (*content.Article, *editorial.Editor, error) {
	art, err := a.st.FindArticleByID(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	ed := a.editor(r)
	if !ed.CanEdit(art) && !ed.Owns(art) {
		return nil, nil, content.Errorf(content.EFORBIDDEN, "you may not %s", refused)
	}
	return art, ed, nil
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, content.Errorf(content.ENOTFOUND, "no such item")
	}
	return id, nil
}

func formInt(r *http.Request, name string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(r.FormValue(name)))
	return n
}

func formID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.FormValue(name)), 10, 64)
	return n
}

// audit records a successful write by the request's user.
func (a *Admin) audit(r *http.Request, action, kind string, id int64, summary string) {
	a.auth.Audit(context.WithoutCancel(r.Context()), r, action, kind, id, summary)
}

// fieldsOf returns err's per-field messages, or nil.
func fieldsOf(err error) map[string]string {
	if f := content.ErrorFields(err); len(f) > 0 {
		return f
	}
	return nil
}

// userError reports whether err is a refusal to show on the form (bad
// input, a conflict) rather than a failure or a permission problem.
func userError(err error) bool {
	switch content.ErrorCode(err) {
	case content.EINVALID, content.ECONFLICT, content.ETOOLARGE:
		return true
	}
	return false
}
