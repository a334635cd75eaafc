package site

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"folio/internal/cache"
	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/i18n"
	"folio/internal/render"
	"folio/internal/search"
	"folio/internal/store"
	"folio/internal/urls"
)

// Store is what the public site reads: content, and the responsive
// variants of media-library images.
type Store interface {
	store.Store
	store.MediaVariantStore
}

// Config wires a Site.
type Config struct {
	Store    Store
	Renderer *render.Renderer
	Media    fs.FS // the media directory; nil serves no media
	Logger   *slog.Logger
	Now      func() time.Time
	BaseURL  string // overrides the stored base URL when set
	// Cache keeps rendered pages; nil renders every request.
	Cache *cache.Cache
	// OnDemand, when set, translates an article into a language it has no
	// version in when a reader asks for it there; nil shows the original
	// with a notice.
	OnDemand OnDemand
	// StrictI18n shows interface strings missing from a catalog as [[key]]
	// (FOLIO_I18N_STRICT=1), for translators.
	StrictI18n bool
	// Search answers /search/ and /{lang}/search/; nil leaves them 404.
	Search search.Index
	// SearchForm shows the header search form even without Search, so
	// that export-static writes the same pages the server sends.
	SearchForm bool
	// SearchSite points the search form at another site's /search/ (the
	// live one, for pages exported to a static host); see render.Site.
	SearchSite string
	// ClientIP names the reader a request comes from, for the search rate
	// limit; the direct peer when nil.
	ClientIP func(*http.Request) string
	// OnRender, when set, receives the duration of each page render on a
	// cache miss (for metrics).
	OnRender func(time.Duration)
}

// OnDemand translates an article for a reader who asked for it in lang.
// Translate returns the translation (stored and public) or an error; the
// site then serves the original with a notice. Supports tells whether the
// provider covers a pair, so the original's page offers the button only
// where it can work.
type OnDemand interface {
	Translate(ctx context.Context, articleID int64, lang string) (*content.Article, error)
	Supports(from, to string) bool
}

// Site is the public site's HTTP handler set.
type Site struct {
	store      Store
	render     *render.Renderer
	media      fs.FS
	log        *slog.Logger
	now        func() time.Time
	baseURL    string
	cache      *cache.Cache
	ondemand   OnDemand
	strictI18n bool
	search     *searcher
	searchForm bool
	searchSite string
	onRender   func(time.Duration)
}

// New returns a Site.
func New(cfg Config) *Site {
	s := &Site{store: cfg.Store, render: cfg.Renderer, media: cfg.Media, log: cfg.Logger, now: cfg.Now, baseURL: cfg.BaseURL, cache: cfg.Cache,
		ondemand: cfg.OnDemand, strictI18n: cfg.StrictI18n, searchForm: cfg.SearchForm || cfg.Search != nil, searchSite: cfg.SearchSite, onRender: cfg.OnRender}
	if cfg.Search != nil {
		s.search = newSearcher(cfg.Search, cfg.ClientIP)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
}

// Register adds the public routes to mux. Page paths are dispatched by hand
// because a first segment may be a language, an article slug or a listing.
func (s *Site) Register(mux *http.ServeMux) {
	mux.Handle("GET /static/", http.StripPrefix("/static/", s.staticHandler()))
	mux.Handle("GET /media/", http.StripPrefix("/media/", s.mediaHandler()))
	mux.Handle("POST /translate/{id}/{lang}/", http.HandlerFunc(s.handleTranslateRequest))
	// "/" without a method, so it does not conflict with the API's
	// catch-all; methods are checked here.
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "Method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if s.legacyRedirect(w, r) {
			return
		}
		// Search results depend on the query string, which the page cache
		// does not key on; they are rendered for every request instead.
		if s.search != nil && s.isSearchPath(r.URL.Path) {
			s.serveSearch(w, r)
			return
		}
		if s.cache != nil {
			s.serveCached(w, r)
			return
		}
		s.pages(w, r, nil)
	}))
}

// pages serves one public page; when deps is not nil it receives the
// entities the page read.
func (s *Site) pages(w http.ResponseWriter, r *http.Request, deps *[]string) {
	q, err := s.newRequest(r)
	if err == nil {
		err = s.dispatch(w, r, q)
	}
	if deps != nil && q != nil {
		*deps = q.deps
	}
	if err != nil {
		s.fail(w, r, q, err)
	}
}

// request carries what every public handler needs.
type request struct {
	ctx      context.Context
	settings *content.Settings
	urls     urls.Builder
	lang     string
	now      time.Time
	path     string
	nav      []*content.Term
	deps     []string // entities the response read, for cache invalidation
	media    []int64  // media-library images shown, for their variants (media.go)
	strict   bool     // render.Site.StrictI18n
	search   bool     // the site has a search index
	// searchSite is Config.SearchSite.
	searchSite string
	// variants loads the variants of media-library images (Site.findVariants).
	variants func(ctx context.Context, ids []int64) map[int64][]content.MediaVariant
	// shown are the articles the page shows, for their comment counts
	// (comment_counts.go), counted by counts.
	shown  []int64
	counts func(ctx context.Context, ids []int64) map[int64]int
}

// dep records that the response read the entities named by keys.
func (q *request) dep(keys ...string) { q.deps = append(q.deps, keys...) }

// articles records the articles shown and the authors and terms their cards name.
func (q *request) articles(arts ...*content.Article) {
	for _, a := range arts {
		q.dep(key.Article(a.ID))
		q.showsImage(a.Image)
		q.showsArticle(a.ID)
		for _, au := range a.Authors {
			q.dep(key.Author(au.ID))
		}
		for _, t := range a.Terms {
			q.dep(key.Term(t.ID))
		}
	}
}

func (q *request) view() render.Site {
	return render.Site{Settings: q.settings, URLs: q.urls, Lang: q.lang, Now: q.now,
		LinkLang: q.linkLang(), StrictI18n: q.strict, Variants: q.imageVariants(), Search: q.search, SearchSite: q.searchSite,
		CommentCounts: q.commentCounts()}.WithNav(q.nav)
}

// isContentLang reports whether the site publishes in lang (settings
// Languages or the default). Other interface languages have a home page
// whose links lead into the default language.
func (q *request) isContentLang(lang string) bool {
	return lang == q.settings.DefaultLanguage || slices.Contains(q.settings.Languages, lang)
}

func (q *request) linkLang() string {
	if q.isContentLang(q.lang) {
		return q.lang
	}
	return q.settings.DefaultLanguage
}

// public filters public articles of the request's language.
func (q *request) public() store.ArticleFilter {
	// Unreviewed machine translations stay off listings, feeds and front
	// pages unless the site publishes them.
	return store.ArticleFilter{Public: true, Now: q.now, Language: q.lang, Reviewed: !q.settings.PublishMachineTranslations}
}

func (s *Site) dispatch(w http.ResponseWriter, r *http.Request, q *request) error {
	p := r.URL.Path
	switch p {
	case "/robots.txt":
		return s.handleRobots(w, r, q)
	case "/sitemap.xml":
		return s.handleSitemapIndex(w, r, q)
	case "/sitemap-news.xml":
		return s.handleNewsSitemap(w, r, q)
	case "/opensearch.xml":
		if s.search != nil {
			return s.handleOpenSearch(w, r, q)
		}
	}
	if n, ok := strings.CutPrefix(p, "/sitemap-"); ok {
		if num, ok := strings.CutSuffix(n, ".xml"); ok {
			i, err := strconv.Atoi(num)
			if err != nil || i < 1 || strconv.Itoa(i) != num {
				return store.NotFound("sitemap", num)
			}
			return s.handleSitemapPage(w, r, q, i)
		}
	}
	segs := strings.Split(strings.Trim(p, "/"), "/")
	if len(segs) == 1 && segs[0] == "" {
		segs = nil
	}
	for _, sg := range segs {
		if sg == "" {
			return store.NotFound("page", p)
		}
	}
	// Every interface language is a prefix, whatever settings.Languages
	// lists; settings.Languages only orders the menu and scopes sitemaps.
	if len(segs) > 0 && segs[0] != q.settings.DefaultLanguage && (i18n.Supported(segs[0]) || slices.Contains(q.settings.Languages, segs[0])) {
		q.lang = segs[0]
		segs = segs[1:]
	}
	// Feeds sit beside their listing as files; everything else is a
	// directory-style path that must end in a slash.
	feed := ""
	if n := len(segs); n > 0 && isFeedFile(segs[n-1]) {
		feed = segs[n-1]
		segs = segs[:n-1]
	} else if !strings.HasSuffix(p, "/") {
		return s.redirectSlash(w, r, q)
	}
	page := 1
	if n := len(segs); n >= 2 && segs[n-2] == "page" && feed == "" {
		i, err := strconv.Atoi(segs[n-1])
		if err != nil || i < 2 || strconv.Itoa(i) != segs[n-1] {
			return store.NotFound("page", p)
		}
		page = i
		segs = segs[:n-2]
	}
	switch {
	case len(segs) == 0:
		if feed != "" {
			return s.handleHomeFeed(w, r, q, feed)
		}
		return s.handleHome(w, r, q, page)
	case len(segs) == 2 && segs[0] == "author":
		return s.handleAuthor(w, r, q, segs[1], page, feed)
	case len(segs) == 2 && content.TermKind(segs[0]).Valid():
		return s.handleTerm(w, r, q, content.TermKind(segs[0]), segs[1], page, feed)
	case len(segs) == 1 && page == 1 && feed == "":
		return s.handleArticle(w, r, q, segs[0])
	}
	return store.NotFound("page", p)
}

func isFeedFile(s string) bool {
	return s == urls.FeedRSS || s == urls.FeedAtom || s == urls.FeedJSON
}

func (s *Site) redirectSlash(w http.ResponseWriter, r *http.Request, q *request) error {
	if rd, err := s.findRedirect(r); err == nil && rd.To != "" {
		// An old address without its trailing slash lands in one hop.
		http.Redirect(w, r, rd.To, http.StatusMovedPermanently)
		return nil
	}
	if strings.Contains(r.URL.Path, ".") {
		return store.NotFound("page", r.URL.Path)
	}
	target := r.URL.Path + "/"
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, target, http.StatusMovedPermanently)
	return nil
}

// fail answers a handler's error: missing pages consult the redirects
// table, then get the 404 or 410 page; internal errors are logged once and
// get a 500 page.
func (s *Site) fail(w http.ResponseWriter, r *http.Request, q *request, err error) {
	code := content.ErrorCode(err)
	if code == content.ENOTFOUND && q != nil {
		rd, rerr := s.findRedirect(r)
		switch {
		case rerr == nil && rd.Status == http.StatusGone:
			code = content.EGONE
		case rerr == nil && rd.To != "":
			http.Redirect(w, r, rd.To, http.StatusMovedPermanently)
			return
		case rerr != nil && content.ErrorCode(rerr) != content.ENOTFOUND:
			err, code = rerr, content.EINTERNAL
		}
	}
	status := http.StatusInternalServerError
	switch code {
	case content.ENOTFOUND:
		status = http.StatusNotFound
	case content.EGONE:
		status = http.StatusGone
	default:
		s.log.Error("public page failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	s.errorPage(w, r, q, status)
}

// findRedirect looks the request's path up as written, then in the
// normalized form imports store old addresses in (urls.OldPath): decoded,
// slashes closed up, trailing slash added. An old link with a non-ASCII
// slug answers however a browser or a crawler escaped it.
func (s *Site) findRedirect(r *http.Request) (*content.Redirect, error) {
	rd, err := s.store.FindRedirect(r.Context(), r.URL.Path)
	if content.ErrorCode(err) != content.ENOTFOUND {
		return rd, err
	}
	norm := urls.OldPath(r.URL.EscapedPath())
	if norm == r.URL.Path {
		return rd, err
	}
	return s.store.FindRedirect(r.Context(), norm)
}

func (s *Site) newRequest(r *http.Request) (*request, error) {
	st, err := s.store.Settings(r.Context())
	if err != nil {
		return nil, err
	}
	if s.baseURL != "" {
		cp := *st
		cp.BaseURL = strings.TrimRight(s.baseURL, "/")
		st = &cp
	}
	q := &request{ctx: r.Context(), settings: st, urls: urls.New(st), lang: st.DefaultLanguage,
		now: s.now().UTC(), path: r.URL.Path, strict: s.strictI18n, search: s.searchForm, searchSite: s.searchSite,
		variants: s.findVariants, counts: s.findCommentCounts}
	q.dep(key.Settings, key.Terms)
	regions, _, err := s.store.FindTerms(r.Context(), store.TermFilter{Kind: content.KindRegion})
	if err != nil {
		return nil, err
	}
	yes := true
	dossiers, _, err := s.store.FindTerms(r.Context(), store.TermFilter{Kind: content.KindDossier, Active: &yes})
	if err != nil {
		return nil, err
	}
	q.nav = append(dossiers, regions...)
	return q, nil
}

func (s *Site) errorPage(w http.ResponseWriter, r *http.Request, q *request, status int) {
	w.Header().Set("Cache-Control", "no-cache")
	if q == nil {
		http.Error(w, http.StatusText(status), status)
		return
	}
	var buf strings.Builder
	if err := s.render.Error(&buf, render.NewErrorView(q.view(), status)); err != nil {
		s.log.Error("render error page", "status", status, "err", err)
		http.Error(w, http.StatusText(status), status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write([]byte(buf.String()))
	}
}

// pages returns how many pages total items fill.
func pages(total, per int) int {
	if per <= 0 || total <= 0 {
		return 1
	}
	return (total + per - 1) / per
}

func isNotFound(err error) bool {
	var e *content.Error
	return errors.As(err, &e) && e.Code == content.ENOTFOUND
}

// legacyRedirect answers old query-string permalinks (WordPress's /?p=ID,
// /?page_id=ID and /?attachment_id=ID) from the redirects table. The page cache keys by path, so
// these must be caught before it would serve the home page.
func (s *Site) legacyRedirect(w http.ResponseWriter, r *http.Request) bool {
	if r.URL.Path != "/" || r.URL.RawQuery == "" {
		return false
	}
	for _, param := range []string{"p", "page_id", "attachment_id"} {
		id := r.URL.Query().Get(param)
		if id == "" {
			continue
		}
		if _, err := strconv.ParseUint(id, 10, 64); err != nil {
			return false
		}
		rd, err := s.store.FindRedirect(r.Context(), "/?"+param+"="+id)
		if err != nil || rd.To == "" {
			return false
		}
		http.Redirect(w, r, rd.To, http.StatusMovedPermanently)
		return true
	}
	return false
}
