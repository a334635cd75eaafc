package republish

import (
	"bytes"
	"context"

	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/i18n"
	"folio/internal/store"
	webrepublish "folio/web/republish"
)

// Store is what the handlers read, and the bookkeeping they write: the
// flushed view counts and the partners' fetch counts.
type Store interface {
	store.ArticleStore
	store.SettingsStore
	store.MediaStore
	store.RepublishStore
	store.SyndicationStore
}

// Config wires a Handler.
type Config struct {
	Store   Store
	Counter *Counter
	// BaseURL returns the public base URL when it overrides the settings.
	BaseURL func() string
	// AssetURL names the site's CSS and copy script (render.Renderer.AssetURL).
	AssetURL func(name string) string
	// ClientIP returns the reader's address, for the rate limit only.
	ClientIP func(*http.Request) string
	Logger   *slog.Logger
	Now      func() time.Time
}

// Handler serves the republish pages, the tracking image and partner feeds.
type Handler struct {
	cfg  Config
	page *template.Template
}

// New returns the handler; the page template must parse.
func New(cfg Config) (*Handler, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.AssetURL == nil {
		cfg.AssetURL = func(string) string { return "" }
	}
	if cfg.ClientIP == nil {
		cfg.ClientIP = func(r *http.Request) string { return r.RemoteAddr }
	}
	t, err := template.ParseFS(webrepublish.Templates, "templates/page.html")
	if err != nil {
		return nil, err
	}
	return &Handler{cfg: cfg, page: t}, nil
}

// Register adds the routes to mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /republish/{id}/{$}", h.errors(h.handlePage))
	mux.HandleFunc("GET /republish/{id}/pixel.gif", h.handlePixel)
	mux.HandleFunc("GET /syndication/feed.xml", h.errors(h.handlePartnerFeed))
	mux.HandleFunc("GET /syndication/feed.json", h.errors(h.handlePartnerFeed))
}

func (h *Handler) errors(fn func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := fn(w, r)
		if err == nil {
			return
		}
		status := http.StatusInternalServerError
		switch content.ErrorCode(err) {
		case content.ENOTFOUND:
			status = http.StatusNotFound
		case content.EUNAUTHORIZED:
			status = http.StatusUnauthorized
		case content.EFORBIDDEN:
			status = http.StatusForbidden
		}
		msg := content.ErrorMessage(err)
		if status == http.StatusInternalServerError {
			h.cfg.Logger.ErrorContext(r.Context(), "republish request failed", "path", r.URL.Path, "err", err)
			msg = "Something went wrong."
		}
		http.Error(w, msg, status)
	}
}

// Settings returns the stored settings with the configured base URL.
func (h *Handler) Settings(ctx context.Context) (*content.Settings, error) {
	st, err := h.cfg.Store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	cp := *st
	if h.cfg.BaseURL != nil {
		if b := strings.TrimRight(h.cfg.BaseURL(), "/"); b != "" {
			cp.BaseURL = b
		}
	}
	return &cp, nil
}

// Rights returns the image rights of the media library: an image may go
// with a republished article only when its record says so.
func Rights(ctx context.Context, st store.MediaStore) (ImageRights, error) {
	ms, _, err := st.FindMedia(ctx, 0, 0)
	if err != nil {
		return nil, err
	}
	ok := map[string]bool{}
	for _, m := range ms {
		if m.Republishable {
			ok["/media/"+m.Path] = true
		}
	}
	return func(path string) bool {
		if ok[path] {
			return true
		}
		// Responsive variants sit beside their original: "x-800.webp" of "x.jpg".
		return false
	}, nil
}

type pageText struct {
	Title, Intro, HTML, HTMLHint, Head, Text, Copy, Preview string
}

type pageData struct {
	Lang, Dir string
	T         pageText
	Rules     []string
	Copy      *Copy
	Preview   template.HTML
	CSS, JS   string
}

func (h *Handler) article(r *http.Request) (*content.Settings, *content.Article, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, nil, content.Errorf(content.ENOTFOUND, "article %q not found", r.PathValue("id"))
	}
	st, err := h.Settings(r.Context())
	if err != nil {
		return nil, nil, err
	}
	a, err := h.cfg.Store.FindArticleByID(r.Context(), id)
	if err != nil || !Offered(st, a, h.cfg.Now()) {
		// Drafts, members-only pieces and those whose license does not
		// allow it look the same: there is nothing to republish.
		return nil, nil, content.Errorf(content.ENOTFOUND, "article %d cannot be republished", id)
	}
	return st, a, nil
}

// Rules returns the license's rules in plain words in the language of l.
func Rules(l *i18n.Locale, c *Copy) []string {
	rules := []string{l.T("republish.rule_credit")}
	if c.Changes {
		rules = append(rules, l.T("republish.rule_changes"))
	} else {
		rules = append(rules, l.T("republish.rule_no_changes"))
	}
	if c.Commerce {
		rules = append(rules, l.T("republish.rule_commercial"))
	} else {
		rules = append(rules, l.T("republish.rule_non_commercial"))
	}
	rules = append(rules, l.T("republish.rule_images"), l.T("republish.rule_pixel"))
	return rules
}

func (h *Handler) handlePage(w http.ResponseWriter, r *http.Request) error {
	st, a, err := h.article(r)
	if err != nil {
		return err
	}
	rights, err := Rights(r.Context(), h.cfg.Store)
	if err != nil {
		return err
	}
	c := Build(st, a, rights)
	// The page speaks the reader's language (?lang, from the article page
	// they came from); the copy keeps the article's.
	l := i18n.For(a.Language)
	if lang := r.URL.Query().Get("lang"); i18n.Supported(lang) {
		l = i18n.For(lang)
	}
	d := pageData{Lang: l.Tag(), Dir: l.Dir(), Copy: c, Preview: template.HTML(c.HTML), Rules: Rules(l, c),
		CSS: h.cfg.AssetURL("site.css"), JS: h.cfg.AssetURL("copy.js"),
		T: pageText{Title: l.T("republish.title"), Intro: l.T("republish.intro", "site", c.Site), HTML: l.T("republish.html"),
			HTMLHint: l.T("republish.html_hint"), Head: l.T("republish.head"), Text: l.T("republish.text"),
			Copy: l.T("share.copy_link"), Preview: l.T("republish.preview")}}
	var buf bytes.Buffer
	if err := h.page.Execute(&buf, d); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(buf.Bytes())
	return nil
}

// pixel is a transparent 1×1 GIF.
var pixel = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// handlePixel counts a view of a republished copy and answers with the
// image, whatever was counted: a republisher's page never shows a broken
// image. It reads and writes nothing stored.
func (h *Handler) handlePixel(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		http.NotFound(w, r)
		return
	}
	h.cfg.Counter.Hit(id, r.Referer(), h.cfg.ClientIP(r), IsBot(r))
	hd := w.Header()
	hd.Set("Content-Type", "image/gif")
	hd.Set("Cache-Control", "no-store, max-age=0")
	// The image is made to be embedded by other sites.
	hd.Set("Cross-Origin-Resource-Policy", "cross-origin")
	hd.Set("Content-Length", strconv.Itoa(len(pixel)))
	_, _ = w.Write(pixel)
}

var botWords = []string{"bot", "crawl", "spider", "slurp", "preview", "facebookexternalhit", "headless", "curl/", "wget/",
	"python-", "go-http-client", "java/", "httpclient", "scrapy", "feedfetcher", "monitor", "lighthouse", "pingdom"}

// IsBot reports a request that is not a person viewing a page: a crawler,
// link previewer or script by its user agent, or a prefetch or prerender
// by its headers.
func IsBot(r *http.Request) bool {
	for _, h := range []string{"Sec-Purpose", "Purpose", "X-Purpose", "X-Moz"} {
		v := strings.ToLower(r.Header.Get(h))
		if strings.Contains(v, "prefetch") || strings.Contains(v, "preview") || strings.Contains(v, "prerender") {
			return true
		}
	}
	ua := strings.ToLower(r.UserAgent())
	if ua == "" {
		return true
	}
	for _, w := range botWords {
		if strings.Contains(ua, w) {
			return true
		}
	}
	return false
}

// Record returns the function a Counter flushes through: counts of
// articles that are not offered for republishing (made-up IDs among them)
// are dropped, so junk hits cost no rows.
func (h *Handler) Record(ctx context.Context, vs []store.RepublishView) error {
	ids := map[int64]bool{}
	for _, v := range vs {
		ids[v.ArticleID] = true
	}
	list := make([]int64, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	arts, _, err := h.cfg.Store.FindArticles(ctx, store.ArticleFilter{IDs: list, NoTotal: true})
	if err != nil {
		return err
	}
	known := map[int64]bool{}
	for _, a := range arts {
		known[a.ID] = true
	}
	keep := vs[:0]
	for _, v := range vs {
		if known[v.ArticleID] {
			keep = append(keep, v)
		}
	}
	return h.cfg.Store.RecordRepublishViews(ctx, keep)
}

// Rules returns the stored domain rules.
func (h *Handler) Rules(ctx context.Context) ([]*store.DomainRule, error) {
	return h.cfg.Store.FindDomainRules(ctx)
}
