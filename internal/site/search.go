package site

import (
	"bytes"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/i18n"
	"folio/internal/render"
	"folio/internal/search"
	"folio/internal/store"
)

// searcher is the search page's index and its protections: searches are
// anonymous and cost CPU, so each client gets a budget and only a few run
// at once.
type searcher struct {
	idx   search.Index
	ip    func(*http.Request) string
	limit *search.Limiter
	slots chan struct{}
}

// Search limits: per client, and at once for the whole process.
const (
	searchPerWindow = 30
	searchWindow    = 10 * time.Second
	searchSlots     = 8
	searchPerPage   = 10
)

// RemoteIP is the direct peer's address without its port.
func RemoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func newSearcher(idx search.Index, ip func(*http.Request) string) *searcher {
	if ip == nil {
		ip = RemoteIP
	}
	return &searcher{idx: idx, ip: ip, limit: search.NewLimiter(searchPerWindow, searchWindow),
		slots: make(chan struct{}, searchSlots)}
}

// isSearchPath reports whether p is /search/ or /{lang}/search/, or either
// without its slash (redirected here rather than by the cached pages, whose
// shared redirect would carry one reader's query to another).
func (s *Site) isSearchPath(p string) bool {
	p = strings.TrimSuffix(p, "/")
	if p == "/search" {
		return true
	}
	lang, rest, ok := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	return ok && rest == "search" && content.ValidLanguageTag(lang)
}

// serveSearch answers the search page. It bypasses the page cache, whose
// key is the path alone: results vary with the query string, and caching
// them would fill the cache with one entry per query anyone ever typed.
func (s *Site) serveSearch(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, "/") {
		target := r.URL.Path + "/"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return
	}
	if !s.search.limit.Allow(s.search.ip(r), time.Now()) {
		w.Header().Set("Retry-After", strconv.Itoa(int(searchWindow/time.Second)))
		http.Error(w, "Too many searches; please wait a few seconds.", http.StatusTooManyRequests)
		return
	}
	select {
	case s.search.slots <- struct{}{}:
		defer func() { <-s.search.slots }()
	case <-time.After(2 * time.Second):
		w.Header().Set("Retry-After", "5")
		http.Error(w, "Search is busy; please try again.", http.StatusServiceUnavailable)
		return
	case <-r.Context().Done():
		return
	}
	q, err := s.newRequest(r)
	if err == nil {
		err = s.handleSearch(w, r, q)
	}
	if err != nil {
		s.fail(w, r, q, err)
	}
}

func (s *Site) handleSearch(w http.ResponseWriter, r *http.Request, q *request) error {
	if lang, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/"); rest == "search/" {
		if lang == q.settings.DefaultLanguage || !(i18n.Supported(lang) || slices.Contains(q.settings.Languages, lang)) {
			return store.NotFound("page", r.URL.Path)
		}
		q.lang = lang
	}
	status := http.StatusOK
	p, err := search.ParseParams(r.URL.Query())
	in := render.SearchInput{Query: p.Query, Sort: p.Sort, Filters: p.Filters, Page: p.Page}
	if err != nil {
		in.Invalid, status = invalidMessage(err), http.StatusBadRequest
	} else if !p.Empty() {
		sq, err := search.Resolve(r.Context(), s.store, p, searchPerPage)
		if err != nil {
			return err
		}
		res, err := s.search.idx.Search(r.Context(), sq)
		switch {
		case content.ErrorCode(err) == content.EINVALID:
			in.Invalid, status = invalidMessage(err), http.StatusBadRequest
		case err != nil:
			return err
		default:
			found, err := search.Load(r.Context(), s.store, res, q.lang, q.now)
			if err != nil {
				return err
			}
			in.Total, in.Suggestion = res.Total, res.Suggestion
			in.TotalPages = min(pages(res.Total, searchPerPage), search.MaxPage)
			for _, f := range found.Named {
				sf := render.SearchFacet{Param: f.Param}
				for _, v := range f.Values {
					sf.Values = append(sf.Values, render.SearchFacetValue{Value: v.Value, Name: v.Name, Count: v.Count})
				}
				in.Facets = append(in.Facets, sf)
			}
			for _, h := range res.Hits {
				if a := found.Articles[h.ID]; a != nil {
					in.Hits = append(in.Hits, render.SearchResult{Article: a, Title: h.Title, Snippet: h.Snippet})
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := s.render.Search(&buf, render.NewSearchView(q.view(), in)); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Not for shared caches either: one entry per query would crowd out pages.
	h.Set("Cache-Control", "private, no-cache")
	h.Set("X-Robots-Tag", "noindex")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = buf.WriteTo(w)
	}
	return nil
}

func (s *Site) handleOpenSearch(w http.ResponseWriter, r *http.Request, q *request) error {
	var buf bytes.Buffer
	if err := render.OpenSearch(&buf, q.view()); err != nil {
		return err
	}
	w.Header().Set("Content-Type", render.OpenSearchType+"; charset=utf-8")
	if r.Method != http.MethodHead {
		_, _ = buf.WriteTo(w)
	}
	return nil
}

// invalidMessage names each bad parameter and what is wrong with it.
func invalidMessage(err error) string {
	fields := content.ErrorFields(err)
	if len(fields) == 0 {
		return content.ErrorMessage(err)
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + fields[k]
	}
	return strings.Join(parts, "; ")
}
