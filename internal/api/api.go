package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/media"
	"folio/internal/search"
	"folio/internal/store"
	"folio/internal/urls"
)

// Defaults used when Config fields are zero.
const (
	DefaultMaxBody = 2 << 20 // JSON request bodies
	uploadOverhead = 1 << 20 // multipart framing and text fields beside the file
)

// Config wires the API to the rest of Folio.
type Config struct {
	Store     store.Store        // reads; Editorial's store when nil
	Editorial *editorial.Service // every article, author, term and settings write
	Media     *media.Library     // uploads; media routes answer 500 without it
	Logger    *slog.Logger       // internal errors are logged here once
	MaxBody   int64              // largest JSON body; DefaultMaxBody when 0
	MaxUpload int64              // largest multipart upload; the library's limit plus 1 MiB when 0
	// Search answers GET /api/v1/search; nil answers 404.
	Search search.Index
	// ClientIP names the caller for the search rate limit; the direct
	// peer when nil.
	ClientIP func(*http.Request) string
	// BaseURL, when set (--base-url), wins over the stored base URL in
	// every url field, GET /api/v1/settings and the OpenAPI servers.
	BaseURL string
}

// API is the JSON API v1 handler set.
type API struct {
	store     store.Store
	editorial *editorial.Service
	media     *media.Library
	log       *slog.Logger
	maxBody   int64
	maxUpload int64
	mux       *http.ServeMux // the mux Register was given, for 405 answers
	baseURL   string         // Config.BaseURL without a trailing slash
	routes    []route

	search      search.Index
	searchLimit *search.Limiter
	clientIP    func(*http.Request) string

	docOnce sync.Once
	doc     map[string]any // OpenAPI document without servers
}

// New returns an API for cfg.
func New(cfg Config) *API {
	a := &API{
		store:     cfg.Store,
		editorial: cfg.Editorial,
		media:     cfg.Media,
		log:       cfg.Logger,
		maxBody:   cfg.MaxBody,
		maxUpload: cfg.MaxUpload,
		routes:    routes,
		search:    cfg.Search,
		clientIP:  cfg.ClientIP,
		baseURL:   strings.TrimRight(cfg.BaseURL, "/"),

		searchLimit: search.NewLimiter(searchPerWindow, searchWindow),
	}
	if a.clientIP == nil {
		a.clientIP = clientIP
	}
	if a.store == nil && a.editorial != nil {
		a.store = a.editorial.Store()
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.maxBody <= 0 {
		a.maxBody = DefaultMaxBody
	}
	if a.maxUpload <= 0 {
		lib := int64(media.DefaultMaxBytes)
		if a.media != nil && a.media.MaxBytes > 0 {
			lib = a.media.MaxBytes
		}
		a.maxUpload = lib + uploadOverhead
	}
	return a
}

// builder returns the URL builder for the current settings.
func (a *API) builder(ctx context.Context) (urls.Builder, error) {
	s, err := a.settings(ctx)
	if err != nil {
		return urls.Builder{}, err
	}
	return urls.New(s), nil
}

// settings returns the stored settings with the configured base URL in
// place of the stored one, as the public site sees them. The copy is the
// caller's.
func (a *API) settings(ctx context.Context) (*content.Settings, error) {
	s, err := a.store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	cp := *s
	if a.baseURL != "" {
		cp.BaseURL = a.baseURL
	}
	return &cp, nil
}

// errNoMedia is returned by media routes when no library was given.
var errNoMedia = &content.Error{Code: content.EINTERNAL, Message: "media library is not configured"}

// ed returns the editorial service acting for the API: a valid bearer
// token has full access, so every write runs as the system actor.
func (a *API) ed() *editorial.Editor { return a.editorial.System("api") }
