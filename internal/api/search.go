package api

import (
	"net"
	"net/http"
	"strconv"
	"time"

	"folio/internal/content"
	"folio/internal/search"
)

const searchPath = "/api/v1/search"

// searchParams are the search page's parameters, plus limit.
var searchParams = []param{
	{"q", "Words to find; \"quoted words\" must appear together. At most 200 bytes.", "string", nil},
	{"sort", "Order of the results (default relevance).", "string", []string{"relevance", "date"}},
	{"page", "Page of results, from 1 to 100.", "integer", nil},
	{"region", "Only articles in this region (slug).", "string", nil},
	{"theme", "Only articles on this theme (slug).", "string", nil},
	{"dossier", "Only articles in this in-depth report (slug).", "string", nil},
	{"author", "Only articles by this author (slug).", "string", nil},
	{"year", "Only articles published in this year.", "integer", nil},
	{"language", "Only articles in this BCP 47 language.", "string", nil},
	{"limit", "Results per page, 1 to 50 (default 10).", "integer", nil},
}

// searchOutput is one page of reader search results: public, reviewed
// articles only, whoever asks.
type searchOutput struct {
	Query      string                   `json:"query"`
	Total      int                      `json:"total"`
	Page       int                      `json:"page"`
	Pages      int                      `json:"pages"`
	Suggestion string                   `json:"suggestion,omitempty"`
	Hits       []searchHit              `json:"hits"`
	Facets     map[string][]searchFacet `json:"facets"`
}

type searchHit struct {
	ID          int64     `json:"id"`
	Language    string    `json:"language"`
	Title       string    `json:"title"`
	TitleHTML   string    `json:"title_html"`   // escaped title, matches in <mark>
	SnippetHTML string    `json:"snippet_html"` // escaped passage, matches in <mark>
	URL         string    `json:"url"`
	PublishedAt time.Time `json:"published_at"`
	Authors     []string  `json:"authors"`
}

type searchFacet struct {
	Value string `json:"value"` // the filter parameter's value
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Search budget per client, as on the search page.
const (
	searchPerWindow = 30
	searchWindow    = 10 * time.Second
)

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (a *API) handleSearch(w http.ResponseWriter, r *http.Request) error {
	if a.search == nil {
		return &content.Error{Code: content.ENOTFOUND, Message: "search is not enabled on this site"}
	}
	if !a.searchLimit.Allow(a.clientIP(r), time.Now()) {
		w.Header().Set("Retry-After", strconv.Itoa(int(searchWindow/time.Second)))
		return &content.Error{Code: codeTooMany, Message: "too many searches; wait a few seconds"}
	}
	p, err := search.ParseParams(r.URL.Query())
	if err != nil {
		return &content.Error{Code: codeBadRequest, Message: "invalid search", Fields: content.ErrorFields(err)}
	}
	limit := 10
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 50 {
			return &content.Error{Code: codeBadRequest, Message: "invalid search", Fields: map[string]string{"limit": "must be a number from 1 to 50"}}
		}
		limit = n
	}
	st, err := a.settings(r.Context())
	if err != nil {
		return err
	}
	b, err := a.builder(r.Context())
	if err != nil {
		return err
	}
	out := searchOutput{Query: p.Query, Page: p.Page, Pages: 1, Hits: []searchHit{}, Facets: map[string][]searchFacet{}}
	if !p.Empty() {
		q, err := search.Resolve(r.Context(), a.store, p, limit)
		if err != nil {
			return err
		}
		res, err := a.search.Search(r.Context(), q)
		if content.ErrorCode(err) == content.EINVALID {
			return &content.Error{Code: codeBadRequest, Message: "invalid search", Fields: content.ErrorFields(err)}
		}
		if err != nil {
			return err
		}
		now := time.Now()
		found, err := search.Load(r.Context(), a.store, res, st.DefaultLanguage, now)
		if err != nil {
			return err
		}
		out.Total, out.Suggestion = res.Total, res.Suggestion
		out.Pages = max(1, min((res.Total+limit-1)/limit, search.MaxPage))
		for _, h := range res.Hits {
			art := found.Articles[h.ID]
			if art == nil {
				continue
			}
			hit := searchHit{ID: art.ID, Language: art.Language, Title: art.Title, TitleHTML: string(h.Title),
				SnippetHTML: string(h.Snippet), URL: b.Abs(b.Article(art)), PublishedAt: art.PublishedAt, Authors: []string{}}
			for _, au := range art.Authors {
				hit.Authors = append(hit.Authors, au.Name)
			}
			out.Hits = append(out.Hits, hit)
		}
		for _, f := range found.Named {
			vals := []searchFacet{}
			for _, v := range f.Values {
				vals = append(vals, searchFacet{Value: v.Value, Name: v.Name, Count: v.Count})
			}
			out.Facets[f.Param] = vals
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
