package render

import (
	"encoding/xml"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"strconv"

	"folio/internal/content"
)

// SearchInput is what a search handler found, in reader terms: filters by
// their query-string parameter and value (slugs, years, language tags).
type SearchInput struct {
	Query      string
	Sort       string     // "relevance" or "date"
	Filters    url.Values // active filters: region, theme, dossier, author, year, language
	Page       int
	TotalPages int
	Total      int
	Hits       []SearchResult
	Facets     []SearchFacet
	Suggestion string
	// Invalid is a message about the query itself (too long ...); it is
	// shown instead of results.
	Invalid string
}

// SearchResult is one hit: the article and its highlighted title and
// snippet (HTML from the search index, text escaped, matches in <mark>).
type SearchResult struct {
	Article *content.Article
	Title   template.HTML
	Snippet template.HTML
}

// SearchFacet is the values of one facet parameter.
type SearchFacet struct {
	Param  string // region, theme, dossier, author, year, language
	Values []SearchFacetValue
}

// SearchFacetValue is one facet value with its count.
type SearchFacetValue struct {
	Value string // the parameter value
	Name  string // what readers see
	Count int
}

// SearchView is the search page.
type SearchView struct {
	Page
	Query       string
	Action      string // the form's target
	Hidden      []HiddenField
	SortOptions []SelectOption
	Summary     string
	Invalid     string
	Hits        []SearchHit
	Suggestion  *SearchLink
	Active      []SearchLink // active filters; each link removes its filter
	Facets      []FacetView
	Pagination  Pagination
}

// HiddenField keeps an active filter when the form is sent again.
type HiddenField struct{ Name, Value string }

// SelectOption is one option of a select.
type SelectOption struct {
	Value, Label string
	Selected     bool
}

// SearchLink is a link with its text.
type SearchLink struct {
	Text string
	URL  string
}

// SearchHit is one result on the page.
type SearchHit struct {
	Card
	HTMLTitle template.HTML
	Snippet   template.HTML
}

// FacetView is one facet's box.
type FacetView struct {
	Label  string
	Values []FacetValueView
}

// FacetValueView is one facet value linking to the search narrowed by it.
type FacetValueView struct {
	Name     string
	Count    int
	URL      string
	Selected bool
	Lang     string // set for language names, written in their own language
	Dir      string // Lang's direction
}

// facetOrder lists the facet parameters in the order pages show them.
var facetOrder = []string{"region", "theme", "dossier", "author", "year", "language"}

func (s Site) facetLabel(param string) string {
	l := s.Locale()
	switch param {
	case "region":
		return l.T("kind.regions")
	case "theme":
		return l.T("kind.themes")
	case "dossier":
		return l.T("kind.dossiers")
	case "author":
		return l.T("kind.author")
	case "year":
		return l.T("search.year")
	}
	return l.T("nav.language")
}

// searchURL is the search page of the view's language for these parameters.
func (s Site) searchURL(query, sort string, filters url.Values, page int) string {
	v := url.Values{}
	if query != "" {
		v.Set("q", query)
	}
	for _, p := range facetOrder {
		if f := filters.Get(p); f != "" {
			v.Set(p, f)
		}
	}
	if sort != "" && sort != "relevance" {
		v.Set("sort", sort)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	u := s.URLs.Search(s.lang())
	if len(v) > 0 {
		u += "?" + v.Encode()
	}
	return u
}

func with(filters url.Values, param, value string) url.Values {
	out := url.Values{}
	for k, v := range filters {
		out[k] = append([]string(nil), v...)
	}
	if value == "" {
		out.Del(param)
	} else {
		out.Set(param, value)
	}
	return out
}

// NewSearchView builds the search page. It is never indexed by search
// engines and has no canonical URL.
func NewSearchView(s Site, in SearchInput) *SearchView {
	l := s.Locale()
	title := l.T("search")
	if in.Query != "" {
		title = in.Query + " — " + title
	}
	v := &SearchView{Page: basePage(s, withSite(title, s), "", ""), Query: in.Query, Action: s.URLs.Search(s.lang()),
		Invalid: in.Invalid}
	v.NoIndex = true
	for _, p := range facetOrder {
		if f := in.Filters.Get(p); f != "" {
			v.Hidden = append(v.Hidden, HiddenField{Name: p, Value: f})
		}
	}
	for _, o := range []struct{ value, key string }{{"relevance", "search.sort.relevance"}, {"date", "search.sort.date"}} {
		v.SortOptions = append(v.SortOptions, SelectOption{Value: o.value, Label: l.T(o.key), Selected: in.Sort == o.value})
	}
	if in.Query != "" || len(in.Filters) > 0 {
		if in.Total == 0 {
			v.Summary = l.T("search.none", "query", in.Query)
		} else {
			v.Summary = l.T("search.results", "query", in.Query, "n", strconv.Itoa(in.Total))
		}
	}
	if in.Suggestion != "" {
		v.Suggestion = &SearchLink{Text: in.Suggestion, URL: s.searchURL(in.Suggestion, in.Sort, in.Filters, 1)}
	}
	for _, h := range in.Hits {
		if h.Article == nil {
			continue
		}
		hit := SearchHit{Card: s.card(h.Article), HTMLTitle: h.Title, Snippet: h.Snippet}
		if hit.HTMLTitle == "" {
			hit.HTMLTitle = template.HTML(template.HTMLEscapeString(h.Article.Title))
		}
		if hit.Snippet == "" {
			hit.Snippet = template.HTML(template.HTMLEscapeString(summary(h.Article)))
		}
		v.Hits = append(v.Hits, hit)
	}
	names := map[string]map[string]string{}
	for _, f := range in.Facets {
		fv := FacetView{Label: s.facetLabel(f.Param)}
		names[f.Param] = map[string]string{}
		for _, val := range f.Values {
			names[f.Param][val.Value] = val.Name
			selected := in.Filters.Get(f.Param) == val.Value
			target := with(in.Filters, f.Param, val.Value)
			if selected {
				target = with(in.Filters, f.Param, "")
			}
			view := FacetValueView{Name: val.Name, Count: val.Count, Selected: selected,
				URL: s.searchURL(in.Query, in.Sort, target, 1)}
			if f.Param == "language" {
				view.Lang, view.Dir = val.Value, Dir(val.Value)
			}
			fv.Values = append(fv.Values, view)
		}
		if len(fv.Values) > 0 {
			v.Facets = append(v.Facets, fv)
		}
	}
	for _, p := range facetOrder {
		val := in.Filters.Get(p)
		if val == "" {
			continue
		}
		name := names[p][val]
		if name == "" {
			name = val
		}
		v.Active = append(v.Active, SearchLink{Text: s.facetLabel(p) + ": " + name,
			URL: s.searchURL(in.Query, in.Sort, with(in.Filters, p, ""), 1)})
	}
	total := max(in.TotalPages, 1)
	page := min(max(in.Page, 1), total)
	pg := Pagination{Page: page, Total: total, Label: l.T("pagination.label"),
		Status: l.T("pagination.status", "n", page, "total", total),
		Newer:  l.T("pagination.newer"), Older: l.T("pagination.older")}
	if page > 1 {
		pg.PrevURL = s.searchURL(in.Query, in.Sort, in.Filters, page-1)
	}
	if page < total {
		pg.NextURL = s.searchURL(in.Query, in.Sort, in.Filters, page+1)
	}
	v.Pagination = pg
	return v
}

// Search renders the search page.
func (r *Renderer) Search(w io.Writer, v *SearchView) error { return r.render(w, "search", v) }

type openSearchURL struct {
	Type     string `xml:"type,attr"`
	Method   string `xml:"method,attr,omitempty"`
	Template string `xml:"template,attr"`
}

type openSearchDoc struct {
	XMLName       xml.Name        `xml:"http://a9.com/-/spec/opensearch/1.1/ OpenSearchDescription"`
	ShortName     string          `xml:"ShortName"`
	Description   string          `xml:"Description"`
	InputEncoding string          `xml:"InputEncoding"`
	Language      string          `xml:"Language"`
	URLs          []openSearchURL `xml:"Url"`
}

// OpenSearchType is the media type of the OpenSearch description document.
const OpenSearchType = "application/opensearchdescription+xml"

// OpenSearch writes the site's OpenSearch description document, which
// lets browsers add the site's search to their own.
func OpenSearch(w io.Writer, s Site) error {
	name := []rune(s.Title())
	if len(name) > 16 { // the specification's limit for ShortName
		name = name[:16]
	}
	doc := openSearchDoc{ShortName: string(name), Description: s.Locale().T("search") + " — " + s.Title(),
		InputEncoding: "UTF-8", Language: s.lang(),
		URLs: []openSearchURL{{Type: "text/html", Method: "get", Template: s.URLs.Abs(s.URLs.Search(s.lang())) + "?q={searchTerms}"}}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("render: opensearch: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("render: opensearch: %w", err)
	}
	return nil
}
