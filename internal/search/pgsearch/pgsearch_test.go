package pgsearch_test

import (
	"context"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"folio/internal/changes"
	"folio/internal/content"
	"folio/internal/demo"
	"folio/internal/editorial"
	"folio/internal/search"
	"folio/internal/search/pgsearch"
	"folio/internal/seed"
	"folio/internal/store/postgres"
	"folio/internal/store/postgres/postgrestest"
	"folio/internal/testutil"
)

func TestMain(m *testing.M) { os.Exit(testutil.PostgresMain(m)) }

// fixture is the demo publication in a PostgreSQL store, written through
// the editorial service, indexed by PostgreSQL full-text search following
// the change log.
type fixture struct {
	db  *postgres.DB
	ed  *editorial.Editor
	idx *pgsearch.Index
	f   *search.Follower
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db := postgrestest.New(t)
	log := slog.New(slog.DiscardHandler)
	relay := changes.New(db, log)
	svc := editorial.New(db, editorial.OnChange(relay.Publish))
	ds, err := demo.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Demo(ctx, svc, t.TempDir(), ds); err != nil {
		t.Fatal(err)
	}
	idx, err := pgsearch.Open(ctx, db.Pool())
	if err != nil {
		t.Fatal(err)
	}
	fx := &fixture{db: db, ed: svc.System("test"), idx: idx, f: &search.Follower{Index: idx, Store: db, Events: db, Log: log}}
	if rebuilt, err := fx.f.Repair(ctx); err != nil || !rebuilt {
		t.Fatalf("Repair of a new index: rebuilt %v, %v", rebuilt, err)
	}
	return fx
}

func (fx *fixture) search(t *testing.T, q search.Query) *search.Results {
	t.Helper()
	res, err := fx.idx.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	return res
}

func (fx *fixture) slugs(t *testing.T, res *search.Results) []string {
	t.Helper()
	var out []string
	for _, h := range res.Hits {
		a, err := fx.db.FindArticleByID(context.Background(), h.ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a.Slug)
	}
	return out
}

func facet(res *search.Results, name, value string) int {
	for _, v := range res.Facets[name] {
		if v.Value == value {
			return v.Count
		}
	}
	return 0
}

func termID(a *content.Article, kind content.TermKind, slug string) string {
	for _, t := range a.Terms {
		if t.Kind == kind && t.Slug == slug {
			return strconv.FormatInt(t.ID, 10)
		}
	}
	return ""
}

func TestPostgresSearch_Demo(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	canal, err := fx.db.FindArticleBySlug(ctx, "en", "the-canal-that-rewrites-a-river")
	if err != nil {
		t.Fatal(err)
	}
	fa, err := fx.db.FindArticleBySlug(ctx, "fa", "کانالی-که-رودخانه-را-از-نو-می-نویسد")
	if err != nil {
		t.Fatal(err)
	}
	n, err := fx.idx.Count()
	if err != nil || n == 0 {
		t.Fatalf("Count %d, %v", n, err)
	}

	t.Run("English", func(t *testing.T) {
		res := fx.search(t, search.Query{Text: "water", Limit: 50})
		got := fx.slugs(t, res)
		if !slices.Contains(got, canal.Slug) {
			t.Fatalf("water found %v", got)
		}
		if res.Total != len(got) {
			t.Errorf("total %d, hits %d", res.Total, len(got))
		}
		if h := res.Hits[0]; !strings.Contains(string(h.Snippet), "<mark>") && !strings.Contains(string(h.Title), "<mark>") {
			t.Errorf("first hit has no highlight: %q / %q", h.Title, h.Snippet)
		}
		if facet(res, search.FacetLanguage, "en") == 0 || facet(res, search.FacetYear, "2026") == 0 {
			t.Errorf("facets %v", res.Facets)
		}
		if water := termID(canal, content.KindTheme, "water"); facet(res, search.FacetTheme, water) == 0 {
			t.Errorf("theme facet lacks water %s: %v", water, res.Facets[search.FacetTheme])
		}
		// Stemmed under the English configuration.
		if res := fx.search(t, search.Query{Text: "rivers", Filters: map[string]string{search.FacetLanguage: "en"}}); !slices.Contains(fx.slugs(t, res), canal.Slug) {
			t.Errorf("rivers did not find the canal article (stemming)")
		}
	})
	t.Run("Persian", func(t *testing.T) {
		res := fx.search(t, search.Query{Text: "آب"})
		if !slices.Contains(fx.slugs(t, res), fa.Slug) {
			t.Fatalf("آب found %v", fx.slugs(t, res))
		}
		var hit search.Hit
		for _, h := range res.Hits {
			if h.ID == fa.ID {
				hit = h
			}
		}
		if !strings.Contains(string(hit.Snippet), "<mark>آب</mark>") || hit.Language != "fa" {
			t.Errorf("hit %+v", hit)
		}
		if region := termID(fa, content.KindRegion, "afghanistan"); facet(res, search.FacetRegion, region) == 0 {
			t.Errorf("region facet %v", res.Facets[search.FacetRegion])
		}
	})
	t.Run("PhraseSortFilters", func(t *testing.T) {
		res := fx.search(t, search.Query{Text: `"rewrites a river"`})
		if len(res.Hits) == 0 || res.Hits[0].ID != canal.ID {
			t.Fatalf("phrase found %v", fx.slugs(t, res))
		}
		res = fx.search(t, search.Query{Text: "water", Sort: search.ByDate, Limit: 50})
		for i := 1; i < len(res.Hits); i++ {
			a, _ := fx.db.FindArticleByID(ctx, res.Hits[i-1].ID)
			b, _ := fx.db.FindArticleByID(ctx, res.Hits[i].ID)
			if a.PublishedAt.Before(b.PublishedAt) {
				t.Fatalf("date sort: %s before %s", a.Slug, b.Slug)
			}
		}
		dossier := termID(canal, content.KindDossier, "water-wars-of-the-amu-darya")
		res = fx.search(t, search.Query{Filters: map[string]string{search.FacetDossier: dossier}})
		if res.Total == 0 || !slices.Contains(fx.slugs(t, res), canal.Slug) {
			t.Fatalf("dossier filter alone found %v", fx.slugs(t, res))
		}
		// Stored text is escaped in titles and snippets; only <mark> is markup.
		if err := fx.idx.Upsert(ctx, &search.Doc{ID: 1 << 40, Language: "en", Title: "Tags & <b>bold</b>", Body: "a <script>x</script> zanzibarite story"}); err != nil {
			t.Fatal(err)
		}
		res = fx.search(t, search.Query{Text: "zanzibarite"})
		if len(res.Hits) != 1 || strings.Contains(string(res.Hits[0].Snippet), "<script>") ||
			!strings.Contains(string(res.Hits[0].Snippet), "<mark>zanzibarite</mark>") || string(res.Hits[0].Title) != "Tags &amp; &lt;b&gt;bold&lt;/b&gt;" {
			t.Fatalf("hits %+v", res.Hits)
		}
		if err := fx.idx.Delete(ctx, 1<<40); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.idx.Search(ctx, search.Query{Text: "x", Sort: "sideways"}); content.ErrorCode(err) != content.EINVALID {
			t.Fatalf("bad sort: %v", err)
		}
	})
	t.Run("FollowsChanges", func(t *testing.T) {
		if _, err := fx.ed.Unpublish(ctx, canal.ID); err != nil {
			t.Fatal(err)
		}
		if err := fx.f.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		if res := fx.search(t, search.Query{Text: "water", Limit: 50}); slices.Contains(fx.slugs(t, res), canal.Slug) {
			t.Fatal("an unpublished article is still found")
		}
		st, ok, err := fx.idx.State()
		if err != nil || !ok || st.Rebuilding {
			t.Fatalf("state %+v %v %v", st, ok, err)
		}
		// A second index on the same tables (another node) resumes.
		other, err := pgsearch.Open(ctx, fx.db.Pool())
		if err != nil {
			t.Fatal(err)
		}
		f2 := &search.Follower{Index: other, Store: fx.db, Events: fx.db, Log: slog.New(slog.DiscardHandler)}
		if rebuilt, err := f2.Repair(ctx); err != nil || rebuilt {
			t.Fatalf("second node's Repair: rebuilt %v, %v", rebuilt, err)
		}
	})
}
