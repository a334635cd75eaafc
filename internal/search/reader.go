package search

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/i18n"
	"folio/internal/store"
)

// Params are a reader's search parameters as sent in a query string; the
// search page and the API take the same ones.
type Params struct {
	Query   string
	Sort    string
	Page    int
	Filters url.Values // region, theme, dossier, author (slugs), year, language
}

// MaxPage keeps deep pagination, which costs the index every page before,
// within bounds.
const MaxPage = 100

// ParseParams reads q, sort, page and the facet filters, naming the
// parameter in the error when one is malformed.
func ParseParams(v url.Values) (Params, error) {
	p := Params{Query: strings.TrimSpace(v.Get("q")), Sort: v.Get("sort"), Page: 1, Filters: url.Values{}}
	probs := content.Problems{}
	if s := v.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxPage {
			probs.Add("page", "must be a number from 1 to %d (got %q)", MaxPage, s)
		} else {
			p.Page = n
		}
	}
	if p.Sort != "" && p.Sort != string(ByRelevance) && p.Sort != string(ByDate) {
		probs.Add("sort", "must be relevance or date (got %q)", p.Sort)
	}
	if len(p.Query) > MaxQuery {
		probs.Add("q", "is longer than %d bytes", MaxQuery)
	}
	for _, f := range Facets {
		val := strings.TrimSpace(v.Get(f))
		if val == "" {
			continue
		}
		switch f {
		case FacetYear:
			if n, err := strconv.Atoi(val); err != nil || n < 1 || n > 9999 {
				probs.Add(f, "must be a year (got %q)", val)
				continue
			}
		case FacetLanguage:
			if !content.ValidLanguageTag(val) {
				probs.Add(f, "%q is not a language tag", val)
				continue
			}
		default:
			if content.CheckSlug(val) != nil {
				probs.Add(f, "%q is not a slug", val)
				continue
			}
		}
		p.Filters.Set(f, val)
	}
	return p, probs.Err("search")
}

// Empty reports whether p asks for nothing (no text, no filter).
func (p Params) Empty() bool { return p.Query == "" && len(p.Filters) == 0 }

// Resolve turns reader parameters into an index query: slugs become IDs.
// A slug that names nothing filters everything out.
func Resolve(ctx context.Context, st store.Store, p Params, perPage int) (Query, error) {
	q := Query{Text: p.Query, Sort: Sort(p.Sort), Limit: perPage, Offset: (p.Page - 1) * perPage,
		Filters: map[string]string{}}
	for f, vals := range p.Filters {
		val := vals[0]
		switch f {
		case FacetRegion, FacetTheme, FacetDossier:
			t, err := st.FindTermBySlug(ctx, content.TermKind(f), val)
			if err != nil && content.ErrorCode(err) != content.ENOTFOUND {
				return q, err
			}
			val = "0"
			if err == nil {
				val = strconv.FormatInt(t.ID, 10)
			}
		case FacetAuthor:
			a, err := st.FindAuthorBySlug(ctx, val)
			if err != nil && content.ErrorCode(err) != content.ENOTFOUND {
				return q, err
			}
			val = "0"
			if err == nil {
				val = strconv.FormatInt(a.ID, 10)
			}
		}
		q.Filters[f] = val
	}
	return q, nil
}

// Found is a search's results as readers see them: the public articles of
// the hits and the facet values named (slugs, names in the page language).
type Found struct {
	*Results
	Articles map[int64]*content.Article
	Named    []NamedFacet
}

// NamedFacet is one facet with reader-facing values.
type NamedFacet struct {
	Param  string
	Values []NamedValue
}

// NamedValue is a facet value as a query-string value and a name.
type NamedValue struct {
	Value string // slug, year or language tag
	Name  string
	Count int
}

// Load loads the articles and facet names of res. Hits whose article is
// no longer public are left out, should the index lag a change.
func Load(ctx context.Context, st store.Store, res *Results, lang string, now time.Time) (*Found, error) {
	out := &Found{Results: res, Articles: map[int64]*content.Article{}}
	if len(res.Hits) > 0 {
		ids := make([]int64, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.ID
		}
		arts, _, err := st.FindArticles(ctx, store.ArticleFilter{IDs: ids, Public: true, Now: now, NoTotal: true})
		if err != nil {
			return nil, err
		}
		for _, a := range arts {
			if Eligible(a, now) {
				out.Articles[a.ID] = a
			}
		}
	}
	var termIDs, authorIDs []int64
	for _, f := range []string{FacetRegion, FacetTheme, FacetDossier, FacetAuthor} {
		for _, v := range res.Facets[f] {
			if id, err := strconv.ParseInt(v.Value, 10, 64); err == nil {
				if f == FacetAuthor {
					authorIDs = append(authorIDs, id)
				} else {
					termIDs = append(termIDs, id)
				}
			}
		}
	}
	terms := map[string]*content.Term{}
	if len(termIDs) > 0 {
		ts, _, err := st.FindTerms(ctx, store.TermFilter{IDs: termIDs})
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			terms[strconv.FormatInt(t.ID, 10)] = t
		}
	}
	authors := map[string]*content.Author{}
	if len(authorIDs) > 0 {
		as, _, err := st.FindAuthors(ctx, store.AuthorFilter{IDs: authorIDs})
		if err != nil {
			return nil, err
		}
		for _, a := range as {
			authors[strconv.FormatInt(a.ID, 10)] = a
		}
	}
	for _, f := range Facets {
		nf := NamedFacet{Param: f}
		for _, v := range res.Facets[f] {
			nv := NamedValue{Value: v.Value, Name: v.Value, Count: v.Count}
			switch f {
			case FacetRegion, FacetTheme, FacetDossier:
				t := terms[v.Value]
				if t == nil {
					continue // deleted since indexed
				}
				nv.Value, nv.Name = t.Slug, t.NameIn(lang)
			case FacetAuthor:
				a := authors[v.Value]
				if a == nil {
					continue
				}
				nv.Value, nv.Name = a.Slug, a.Name
			case FacetLanguage:
				nv.Name = i18n.NativeName(v.Value)
			}
			nf.Values = append(nf.Values, nv)
		}
		if f == FacetYear {
			slices.SortFunc(nf.Values, func(a, b NamedValue) int { return strings.Compare(b.Value, a.Value) })
		}
		out.Named = append(out.Named, nf)
	}
	return out, nil
}
