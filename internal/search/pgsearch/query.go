package pgsearch

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"folio/internal/search"
)

// facetLimit bounds how many values each facet returns, as bleve's do.
var facetLimit = map[string]int{search.FacetRegion: 12, search.FacetTheme: 12, search.FacetDossier: 12,
	search.FacetAuthor: 12, search.FacetYear: 30, search.FacetLanguage: 60}

// headline options: matches between the markers, two fragments of body.
const (
	titleOpts = "HighlightAll=true, StartSel=" + markOn + ", StopSel=" + markOff
	bodyOpts  = "MaxFragments=2, MaxWords=30, MinWords=12, FragmentDelimiter=\" … \", StartSel=" + markOn + ", StopSel=" + markOff
)

// where builds the match and filter conditions of q; args holds their
// values, the tsquery first when there is text.
type where struct {
	conds []string
	args  []any
}

func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

// Search runs q.
func (x *Index) Search(ctx context.Context, q search.Query) (*search.Results, error) {
	start := time.Now()
	q, err := q.Check()
	if err != nil {
		return nil, err
	}
	if q.Text == "" && len(q.Filters) == 0 {
		return &search.Results{Facets: map[string][]search.FacetValue{}}, nil
	}
	w := &where{}
	tsq := ""
	if q.Text != "" {
		cfgs, err := x.used(ctx)
		if err != nil {
			return nil, err
		}
		if lang := q.Filters[search.FacetLanguage]; lang != "" {
			cfgs = []string{x.config(lang)}
		}
		if len(cfgs) == 0 {
			cfgs = []string{"simple"}
		}
		text := w.arg(q.Text)
		parts := make([]string, len(cfgs))
		for i, c := range cfgs {
			parts[i] = "websearch_to_tsquery(" + w.arg(c) + "::regconfig, " + text + ")"
		}
		tsq = "(" + strings.Join(parts, " || ") + ")"
		w.conds = append(w.conds, "d.tsv @@ "+tsq)
	}
	for k, v := range q.Filters {
		col := facetColumn[k]
		switch {
		case k == search.FacetLanguage:
			w.conds = append(w.conds, "d.language = "+w.arg(v))
		case k == search.FacetYear:
			y, err := strconv.Atoi(v)
			if err != nil {
				return emptyResults(start), nil
			}
			w.conds = append(w.conds, "d.year = "+w.arg(y))
		default:
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return emptyResults(start), nil
			}
			w.conds = append(w.conds, w.arg(id)+" = ANY(d."+col+")")
		}
	}
	cond := strings.Join(w.conds, " AND ")
	score := "0::real"
	if tsq != "" {
		score = "ts_rank_cd(d.tsv, " + tsq + ", 1)"
	}
	order := "score DESC, d.published_at DESC NULLS LAST, d.id DESC"
	if q.Sort == search.ByDate {
		order = "d.published_at DESC NULLS LAST, score DESC, d.id DESC"
	}
	titleHL, bodyHL := "p.title", "left(p.body, 240)"
	if tsq != "" {
		titleHL = "ts_headline(p.cfg, p.title, " + tsq + ", '" + titleOpts + "')"
		bodyHL = "ts_headline(p.cfg, p.body, " + tsq + ", '" + bodyOpts + "')"
	}
	// The page is chosen first and only its rows get headlines, which
	// re-parse their text.
	sql := `WITH page AS (
		SELECT d.id, d.language, d.cfg, d.title, d.body, d.published_at, ` + score + ` AS score
		FROM search_docs d WHERE ` + cond + `
		ORDER BY ` + order + ` LIMIT ` + strconv.Itoa(q.Limit) + ` OFFSET ` + strconv.Itoa(q.Offset) + `)
	SELECT p.id, p.language, p.score, ` + titleHL + `, ` + bodyHL + ` FROM page p ORDER BY ` + strings.ReplaceAll(order, "d.", "p.")
	rows, err := x.pool.Query(ctx, sql, w.args...)
	if err != nil {
		return nil, fmt.Errorf("pgsearch: query %q: %w", q.Text, err)
	}
	out := &search.Results{Facets: map[string][]search.FacetValue{}}
	for rows.Next() {
		var h search.Hit
		var score float32
		var title, snippet string
		if err := rows.Scan(&h.ID, &h.Language, &score, &title, &snippet); err != nil {
			rows.Close()
			return nil, fmt.Errorf("pgsearch: query %q: %w", q.Text, err)
		}
		h.Score = float64(score)
		h.Title, h.Snippet = marked(title), marked(snippet)
		out.Hits = append(out.Hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgsearch: query %q: %w", q.Text, err)
	}
	if err := x.facets(ctx, cond, w.args, out); err != nil {
		return nil, fmt.Errorf("pgsearch: facets of %q: %w", q.Text, err)
	}
	out.Took = time.Since(start)
	return out, nil
}

func emptyResults(start time.Time) *search.Results {
	return &search.Results{Facets: map[string][]search.FacetValue{}, Took: time.Since(start)}
}

// facets counts the total and each facet's values over the matching rows
// in one statement.
func (x *Index) facets(ctx context.Context, cond string, args []any, out *search.Results) error {
	var parts []string
	for _, f := range search.Facets {
		col := facetColumn[f]
		val := "m." + col + "::text"
		from := "m"
		if isArray(col) {
			val, from = "v::text", "m, unnest(m."+col+") v"
		}
		parts = append(parts, `(SELECT '`+f+`' AS facet, `+val+` AS value, count(*) AS n FROM `+from+
			` WHERE `+val+` IS NOT NULL GROUP BY 2 ORDER BY 3 DESC, 2 LIMIT `+strconv.Itoa(facetLimit[f])+`)`)
	}
	parts = append(parts, `(SELECT '', '', count(*) FROM m)`)
	sql := `WITH m AS (SELECT d.language, d.year, d.authors, d.regions, d.themes, d.dossiers FROM search_docs d WHERE ` + cond + `) ` +
		strings.Join(parts, " UNION ALL ")
	rows, err := x.pool.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	type row struct {
		Facet, Value string
		N            int64
	}
	got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
	if err != nil {
		return err
	}
	for _, r := range got {
		if r.Facet == "" {
			out.Total = int(r.N)
			continue
		}
		out.Facets[r.Facet] = append(out.Facets[r.Facet], search.FacetValue{Value: r.Value, Count: int(r.N)})
	}
	return nil
}
