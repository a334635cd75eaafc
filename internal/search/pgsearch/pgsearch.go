// Package pgsearch is the search.Index on PostgreSQL full-text search, for
// sites on several nodes: they share the database, and so the index, which
// a bleve directory on one node's disk cannot be.
//
// Documents live in search_docs with a tsvector column generated from the
// title (weight A), deck (B) and body (C) under the text search
// configuration of the document's language ("english", "russian",
// "arabic", …, "simple" where PostgreSQL has none); a GIN index answers
// the match. A query is parsed with websearch_to_tsquery under every
// configuration in use (or the one of the language filter) and OR-ed, so
// each document is matched the way it was analysed. Snippets come from
// ts_headline, facets from one GROUP BY pass over the matching rows.
// There is no "did you mean": PostgreSQL has no term dictionary to
// correct against without the pg_trgm extension.
//
// The tables are the index's own, made by Open (like bleve's directory),
// not the store's: the store's schema does not change with the choice.
//
// It imports search (the interface) and pgx.
package pgsearch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"folio/internal/search"
)

// Index is a search.Index in a PostgreSQL database.
type Index struct {
	pool    *pgxpool.Pool
	configs map[string]string // language base tag → text search configuration

	mu      sync.Mutex
	usedAt  time.Time
	usedCfg []string // configurations documents use, see used
}

var _ search.Index = (*Index)(nil)

const schema = `
CREATE TABLE IF NOT EXISTS search_docs (
    id           bigint PRIMARY KEY,
    language     text NOT NULL,
    cfg          regconfig NOT NULL,
    title        text NOT NULL,
    deck         text NOT NULL,
    body         text NOT NULL,
    authors      bigint[] NOT NULL,
    regions      bigint[] NOT NULL,
    themes       bigint[] NOT NULL,
    dossiers     bigint[] NOT NULL,
    tags         bigint[] NOT NULL,
    published_at timestamptz,
    year         int,
    tsv          tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector(cfg, title), 'A') ||
        setweight(to_tsvector(cfg, deck), 'B') ||
        setweight(to_tsvector(cfg, body), 'C')) STORED
);
CREATE INDEX IF NOT EXISTS search_docs_tsv ON search_docs USING gin (tsv);
CREATE INDEX IF NOT EXISTS search_docs_published ON search_docs (published_at DESC);
CREATE TABLE IF NOT EXISTS search_state (
    one   boolean PRIMARY KEY DEFAULT true CHECK (one),
    state jsonb NOT NULL
);`

// lockKey serializes writers: every node follows the change log, and one
// Apply at a time keeps the stored position in step with the documents.
const lockKey = 0x5ea4c4

// Open makes the index's tables when missing and learns which text search
// configurations the server has.
func Open(ctx context.Context, pool *pgxpool.Pool) (*Index, error) {
	// Two nodes starting at once would race on CREATE … IF NOT EXISTS.
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(lockKey)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, schema)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("pgsearch: create tables: %w", err)
	}
	rows, err := pool.Query(ctx, `SELECT cfgname FROM pg_ts_config`)
	if err != nil {
		return nil, fmt.Errorf("pgsearch: list configurations: %w", err)
	}
	have, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("pgsearch: list configurations: %w", err)
	}
	cfgs := map[string]string{}
	for lang, name := range languageConfigs {
		if slices.Contains(have, name) {
			cfgs[lang] = name
		}
	}
	return &Index{pool: pool, configs: cfgs}, nil
}

// languageConfigs names PostgreSQL's built-in configuration per language;
// languages without one (and CJK, which no built-in parser segments) use
// "simple": lower-cased words, no stemming.
var languageConfigs = map[string]string{
	"ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish",
	"nl": "dutch", "en": "english", "fi": "finnish", "fr": "french", "de": "german",
	"el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
	"it": "italian", "lt": "lithuanian", "ne": "nepali", "nb": "norwegian", "no": "norwegian",
	"pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "es": "spanish",
	"sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}

// config returns the configuration of a language tag.
func (x *Index) config(lang string) string {
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	if c, ok := x.configs[base]; ok {
		return c
	}
	return "simple"
}

// Upsert adds or replaces documents.
func (x *Index) Upsert(ctx context.Context, docs ...*search.Doc) error {
	return x.Apply(ctx, search.Update{Upsert: docs})
}

// Delete removes documents.
func (x *Index) Delete(ctx context.Context, ids ...int64) error {
	return x.Apply(ctx, search.Update{Delete: ids})
}

// Apply writes u in one transaction.
func (x *Index) Apply(ctx context.Context, u search.Update) error {
	err := pgx.BeginFunc(ctx, x.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(lockKey)); err != nil {
			return err
		}
		b := &pgx.Batch{}
		for _, d := range u.Upsert {
			var pub *time.Time
			var year *int
			if !d.PublishedAt.IsZero() {
				p := d.PublishedAt.UTC()
				y := d.Year
				if y == 0 {
					y = p.Year()
				}
				pub, year = &p, &y
			}
			b.Queue(`INSERT INTO search_docs (id, language, cfg, title, deck, body, authors, regions, themes, dossiers, tags, published_at, year)
				VALUES ($1, $2, $3::regconfig, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
				ON CONFLICT (id) DO UPDATE SET language = EXCLUDED.language, cfg = EXCLUDED.cfg, title = EXCLUDED.title,
				deck = EXCLUDED.deck, body = EXCLUDED.body, authors = EXCLUDED.authors, regions = EXCLUDED.regions,
				themes = EXCLUDED.themes, dossiers = EXCLUDED.dossiers, tags = EXCLUDED.tags,
				published_at = EXCLUDED.published_at, year = EXCLUDED.year`,
				d.ID, d.Language, x.config(d.Language), clean(d.Title), clean(d.Deck), clean(d.Body),
				ids(d.Authors), ids(d.Regions), ids(d.Themes), ids(d.Dossiers), ids(d.Tags), pub, year)
		}
		if len(u.Delete) > 0 {
			b.Queue(`DELETE FROM search_docs WHERE id = ANY($1)`, u.Delete)
		}
		if u.State != nil {
			st, _ := json.Marshal(u.State)
			b.Queue(`INSERT INTO search_state (one, state) VALUES (true, $1) ON CONFLICT (one) DO UPDATE SET state = EXCLUDED.state`, st)
		}
		if b.Len() == 0 {
			return nil
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("pgsearch: apply %d documents, %d deletions: %w", len(u.Upsert), len(u.Delete), err)
	}
	return nil
}

// clean drops NUL bytes, which PostgreSQL text cannot hold.
func clean(s string) string { return strings.ReplaceAll(s, "\x00", "") }

func ids(v []int64) []int64 {
	if v == nil {
		return []int64{}
	}
	return v
}

// State returns the stored position.
func (x *Index) State() (search.State, bool, error) {
	var raw []byte
	err := x.pool.QueryRow(context.Background(), `SELECT state FROM search_state`).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return search.State{}, false, nil
	}
	if err != nil {
		return search.State{}, false, fmt.Errorf("pgsearch: state: %w", err)
	}
	var s search.State
	if err := json.Unmarshal(raw, &s); err != nil {
		return search.State{}, false, fmt.Errorf("pgsearch: state: %w", err)
	}
	return s, true, nil
}

// Count returns the number of documents.
func (x *Index) Count() (uint64, error) {
	var n int64
	if err := x.pool.QueryRow(context.Background(), `SELECT count(*) FROM search_docs`).Scan(&n); err != nil {
		return 0, fmt.Errorf("pgsearch: count: %w", err)
	}
	return uint64(n), nil
}

// IDs returns every document ID.
func (x *Index) IDs() ([]int64, error) {
	rows, err := x.pool.Query(context.Background(), `SELECT id FROM search_docs ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("pgsearch: ids: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("pgsearch: ids: %w", err)
	}
	return out, nil
}

// facetColumn is the column of each filter; arrays are matched with ANY.
var facetColumn = map[string]string{
	search.FacetRegion: "regions", search.FacetTheme: "themes", search.FacetDossier: "dossiers",
	search.FacetAuthor: "authors", "tag": "tags", search.FacetYear: "year", search.FacetLanguage: "language",
}

func isArray(col string) bool { return col != "year" && col != "language" }

// DocsWith returns the IDs of documents carrying value in facet.
func (x *Index) DocsWith(ctx context.Context, facet, value string) ([]int64, error) {
	col, ok := facetColumn[facet]
	if !ok || !isArray(col) {
		return nil, fmt.Errorf("pgsearch: docs with %s: not a term facet", facet)
	}
	id, err := strconv.ParseInt(value, 10, 64)
	if err != nil {
		return nil, nil
	}
	rows, err := x.pool.Query(ctx, `SELECT id FROM search_docs WHERE $1 = ANY(`+col+`) ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("pgsearch: docs with %s %s: %w", facet, value, err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// Close releases nothing: the pool is the store's.
func (x *Index) Close() error { return nil }

// used returns the configurations documents use, refreshed every few
// seconds, so a query is parsed only under those.
func (x *Index) used(ctx context.Context) ([]string, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.usedCfg != nil && time.Since(x.usedAt) < 5*time.Second {
		return x.usedCfg, nil
	}
	rows, err := x.pool.Query(ctx, `SELECT DISTINCT cfg::text FROM search_docs`)
	if err != nil {
		return nil, fmt.Errorf("pgsearch: configurations in use: %w", err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("pgsearch: configurations in use: %w", err)
	}
	slices.Sort(got)
	x.usedCfg, x.usedAt = got, time.Now()
	return got, nil
}

// Markers ts_headline puts around matches; private-use characters, so the
// text can be escaped first and the markers turned into <mark> after.
const (
	markOn  = "\uE000"
	markOff = "\uE001"
)

func marked(s string) template.HTML {
	// Escape around the markers, then mark.
	var b strings.Builder
	for {
		i := strings.Index(s, markOn)
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], markOff)
		if j < 0 {
			break
		}
		b.WriteString(html.EscapeString(s[:i]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(s[i+len(markOn) : i+j]))
		b.WriteString("</mark>")
		s = s[i+j+len(markOff):]
	}
	b.WriteString(html.EscapeString(strings.NewReplacer(markOn, "", markOff, "").Replace(s)))
	return template.HTML(b.String())
}
