package main

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"folio/internal/search"
	"folio/internal/search/pgsearch"
)

// benchPG indexes docs with PostgreSQL full-text search in the database
// at url (its search tables are emptied first) and runs qs.
func benchPG(ctx context.Context, url string, docs []*search.Doc, qs []query) (*result, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, `DROP TABLE IF EXISTS search_docs, search_state`); err != nil {
		return nil, err
	}
	idx, err := pgsearch.Open(ctx, pool)
	if err != nil {
		return nil, err
	}
	res := &result{engine: "PostgreSQL FTS (internal/search/pgsearch)", docs: len(docs), lat: map[string][]time.Duration{}, hits: map[string]int{}}
	start := time.Now()
	for i := 0; i < len(docs); i += 500 {
		if err := idx.Apply(ctx, search.Update{Upsert: docs[i:min(i+500, len(docs))]}); err != nil {
			return nil, err
		}
	}
	res.indexDur = time.Since(start)
	if _, err := pool.Exec(ctx, `VACUUM ANALYZE search_docs`); err != nil {
		return nil, err
	}
	if err := pool.QueryRow(ctx, `SELECT pg_total_relation_size('search_docs')`).Scan(&res.size); err != nil {
		return nil, err
	}
	for _, q := range qs[:min(len(qs), 50)] {
		_, _ = idx.Search(ctx, bleveQuery(q))
	}
	for _, q := range qs {
		t := time.Now()
		r, err := idx.Search(ctx, bleveQuery(q))
		if err != nil {
			return nil, fmt.Errorf("postgres %q: %w", q.text, err)
		}
		res.lat[q.kind] = append(res.lat[q.kind], time.Since(t))
		if r.Total > 0 {
			res.hits[q.kind]++
		}
	}
	return res, nil
}
