package search

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	htmlhl "github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	"github.com/blevesearch/bleve/v2/search/query"

	"folio/internal/content"
)

// facetSizes bounds how many values each facet returns.
var facetSizes = map[string]int{FacetRegion: 12, FacetTheme: 12, FacetDossier: 12, FacetAuthor: 12, FacetYear: 30, FacetLanguage: 60}

// Check validates q and fills defaults, naming the bad field.
func (q Query) Check() (Query, error) {
	q.Text = strings.TrimSpace(q.Text)
	p := content.Problems{}
	if len(q.Text) > MaxQuery {
		p.Add("q", "is longer than %d bytes", MaxQuery)
	}
	if !utf8.ValidString(q.Text) {
		p.Add("q", "is not valid UTF-8")
	}
	switch q.Sort {
	case "":
		q.Sort = ByRelevance
	case ByRelevance, ByDate:
	default:
		p.Add("sort", "must be relevance or date (got %q)", q.Sort)
	}
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	if q.Limit < 1 || q.Limit > MaxLimit {
		p.Add("limit", "must be between 1 and %d (got %d)", MaxLimit, q.Limit)
	}
	if q.Offset < 0 || q.Offset > 10000 {
		p.Add("offset", "must be between 0 and 10000 (got %d)", q.Offset)
	}
	for k, v := range q.Filters {
		if _, ok := facetField[k]; !ok {
			p.Add(k, "is not a search filter")
		} else if v == "" || len(v) > 64 {
			p.Add(k, "must be a value of 1 to 64 bytes")
		}
	}
	return q, p.Err("search")
}

// parseText splits the query into free words and "quoted phrases".
func parseText(s string) (words string, phrases []string) {
	var free []string
	for i := 0; ; i++ {
		before, rest, found := strings.Cut(s, `"`)
		if i%2 == 0 {
			free = append(free, before)
		} else if p := strings.TrimSpace(before); p != "" {
			phrases = append(phrases, p)
		}
		if !found {
			break
		}
		s = rest
	}
	return strings.TrimSpace(strings.Join(free, " ")), phrases
}

// textQuery matches text in every language's fields, each analyzing it the
// way its documents were analyzed; every word must occur in the article.
func textQuery(text string, phrase bool, present []string) query.Query {
	var any []query.Query
	for _, g := range present {
		for _, f := range []string{titleField(g), bodyField(g)} {
			var q query.Query
			if phrase {
				mq := bleve.NewMatchPhraseQuery(text)
				mq.SetField(f)
				q = mq
			} else {
				mq := bleve.NewMatchQuery(text)
				mq.SetField(f)
				mq.SetOperator(query.MatchQueryOperatorAnd)
				q = mq
			}
			if f == titleField(g) {
				q.(query.BoostableQuery).SetBoost(3)
			}
			any = append(any, q)
		}
	}
	return bleve.NewDisjunctionQuery(any...)
}

// Search runs q.
func (b *Bleve) Search(ctx context.Context, q Query) (*Results, error) {
	q, err := q.Check()
	if err != nil {
		return nil, err
	}
	words, phrases := parseText(q.Text)
	present := b.presentGroups()
	var must []query.Query
	if words != "" {
		must = append(must, textQuery(words, false, present))
	}
	for _, p := range phrases {
		must = append(must, textQuery(p, true, present))
	}
	if len(must) == 0 && len(q.Filters) == 0 {
		return &Results{Facets: map[string][]FacetValue{}}, nil
	}
	if len(must) == 0 {
		must = append(must, bleve.NewMatchAllQuery())
	}
	for k, v := range q.Filters {
		tq := bleve.NewTermQuery(v)
		tq.SetField(facetField[k])
		must = append(must, tq)
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(must...), q.Limit, q.Offset, false)
	req.Fields = []string{fieldLang}
	for _, g := range present {
		req.Fields = append(req.Fields, titleField(g))
	}
	req.Highlight = bleve.NewHighlightWithStyle(htmlhl.Name)
	for _, f := range Facets {
		req.AddFacet(f, bleve.NewFacetRequest(facetField[f], facetSizes[f]))
	}
	// Relevance sorts by score alone: a date tie-break would read the
	// date of every matching document, not only of the page shown.
	if q.Sort == ByDate {
		req.SortBy([]string{"-" + fieldPublished, "-_score"})
	}
	res, err := b.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: query %q: %w", q.Text, err)
	}
	out := &Results{Total: int(res.Total), Took: res.Took, Facets: map[string][]FacetValue{}}
	for _, h := range res.Hits {
		id, err := strconv.ParseInt(h.ID, 10, 64)
		if err != nil {
			continue
		}
		lang, _ := h.Fields[fieldLang].(string)
		g := group(lang)
		hit := Hit{ID: id, Language: lang, Score: h.Score}
		if fr := h.Fragments[titleField(g)]; len(fr) > 0 {
			hit.Title = template.HTML(fr[0]) // escaped by the html highlighter
		} else if t, ok := h.Fields[titleField(g)].(string); ok {
			hit.Title = template.HTML(html.EscapeString(t))
		}
		if fr := h.Fragments[bodyField(g)]; len(fr) > 0 {
			hit.Snippet = template.HTML(fr[0]) // escaped by the html highlighter
		}
		out.Hits = append(out.Hits, hit)
	}
	for _, f := range Facets {
		fr := res.Facets[f]
		if fr == nil || fr.Terms == nil {
			continue
		}
		for _, t := range fr.Terms.Terms() {
			out.Facets[f] = append(out.Facets[f], FacetValue{Value: t.Term, Count: t.Count})
		}
	}
	if q.Text != "" {
		out.Suggestion, err = b.suggest(q.Text)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DocsWith returns the IDs of the documents carrying value in a facet (or
// "tag"); the Follower uses it to find what an author or term change touches.
func (b *Bleve) DocsWith(ctx context.Context, facet, value string) ([]int64, error) {
	f, ok := facetField[facet]
	if !ok {
		return nil, fmt.Errorf("search: docs with %s: not a facet", facet)
	}
	tq := bleve.NewTermQuery(value)
	tq.SetField(f)
	var out []int64
	const page = 1000
	for from := 0; ; from += page {
		req := bleve.NewSearchRequestOptions(tq, page, from, false)
		res, err := b.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("search: docs with %s %s: %w", facet, value, err)
		}
		for _, h := range res.Hits {
			if id, err := strconv.ParseInt(h.ID, 10, 64); err == nil {
				out = append(out, id)
			}
		}
		if len(res.Hits) < page {
			return out, nil
		}
	}
}
