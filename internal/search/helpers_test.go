package search_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"

	"folio/internal/changes"
	"folio/internal/content"
	"folio/internal/demo"
	"folio/internal/editorial"
	"folio/internal/search"
	"folio/internal/seed"
	"folio/internal/store"
	"folio/internal/store/sqlite"
	"folio/internal/store/sqlite/sqlitetest"
)

// fixture is the demo publication in a real SQLite store, written through
// the real editorial service, with a real bleve index following its change
// log.
type fixture struct {
	db  *sqlite.DB
	svc *editorial.Service
	ed  *editorial.Editor
	idx *search.Bleve
	f   *search.Follower
	dir string
}

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db := sqlitetest.New(t)
	relay := changes.New(db, quiet())
	svc := editorial.New(db, editorial.OnChange(relay.Publish))
	ds, err := demo.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Demo(ctx, svc, t.TempDir(), ds); err != nil {
		t.Fatal(err)
	}
	fx := &fixture{db: db, svc: svc, ed: svc.System("test"), dir: filepath.Join(t.TempDir(), search.DirName)}
	fx.open(t)
	if _, err := fx.f.Repair(ctx); err != nil {
		t.Fatal(err)
	}
	return fx
}

// open opens the index directory and a follower on it.
func (fx *fixture) open(t *testing.T) {
	t.Helper()
	idx, err := search.Open(fx.dir)
	if err != nil {
		t.Fatal(err)
	}
	fx.idx = idx
	fx.f = &search.Follower{Index: idx, Store: fx.db, Events: fx.db, Log: quiet()}
	t.Cleanup(func() { _ = idx.Close() })
}

func (fx *fixture) sync(t *testing.T) {
	t.Helper()
	if err := fx.f.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (fx *fixture) search(t *testing.T, q search.Query) *search.Results {
	t.Helper()
	res, err := fx.idx.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	return res
}

// slugs returns the slugs of the hits, in order.
func (fx *fixture) slugs(t *testing.T, res *search.Results) []string {
	t.Helper()
	var out []string
	for _, h := range res.Hits {
		a, err := fx.db.FindArticleByID(context.Background(), h.ID)
		if err != nil {
			t.Fatalf("hit %d: %v", h.ID, err)
		}
		out = append(out, a.Slug)
	}
	return out
}

func (fx *fixture) article(t *testing.T, lang, slug string) *content.Article {
	t.Helper()
	a, err := fx.db.FindArticleBySlug(context.Background(), lang, slug)
	if err != nil {
		t.Fatalf("article %s/%s: %v", lang, slug, err)
	}
	return a
}

func (fx *fixture) publicCount(t *testing.T) int {
	t.Helper()
	// Unreviewed machine translations are public but never indexed.
	_, n, err := fx.db.FindArticles(context.Background(), store.ArticleFilter{Public: true, Reviewed: true})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
