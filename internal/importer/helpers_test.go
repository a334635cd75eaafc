package importer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/media"
	"folio/internal/store"
	"folio/internal/store/sqlite"
	"folio/internal/store/sqlite/sqlitetest"
)

// site is a real store, editorial service and media library in a temp dir.
type site struct {
	db  *sqlite.DB
	svc *editorial.Service
	lib *media.Library
	dir string
}

func newSite(t *testing.T) *site {
	t.Helper()
	db := sqlitetest.New(t)
	dir := t.TempDir()
	return &site{db: db, svc: editorial.New(db), lib: &media.Library{Root: filepath.Join(dir, "media")}, dir: dir}
}

func (s *site) opts() Options {
	return Options{Editorial: s.svc, Store: s.db, Media: s.lib, Uploads: filepath.Join("testdata", "uploads")}
}

func open(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// counts is how many rows of each kind the site holds.
type counts struct{ Articles, Authors, Terms, Media, Redirects, Comments int }

func (s *site) counts(t *testing.T) counts {
	t.Helper()
	ctx := context.Background()
	var c counts
	var err error
	must := func(e error) {
		if e != nil && err == nil {
			err = e
		}
	}
	_, c.Articles, err = s.db.FindArticles(ctx, store.ArticleFilter{Type: store.AnyType, Limit: 1})
	_, c.Authors, _ = s.db.FindAuthors(ctx, store.AuthorFilter{Limit: 1})
	_, n, e := s.db.FindTerms(ctx, store.TermFilter{Limit: 1})
	c.Terms = n
	must(e)
	_, c.Media, e = s.db.FindMedia(ctx, 1, 0)
	must(e)
	_, c.Redirects, e = s.db.FindRedirects(ctx, 1, 0)
	must(e)
	_, c.Comments, e = s.db.FindComments(ctx, 0, 1, 0)
	must(e)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (s *site) article(t *testing.T, lang, slug string) *content.Article {
	t.Helper()
	a, err := s.db.FindArticleBySlug(context.Background(), lang, slug)
	if err != nil {
		t.Fatalf("article %s/%s: %v", lang, slug, err)
	}
	return a
}

func hasWarning(rep *Report, item int, sub string) bool {
	for _, w := range rep.Warnings {
		if (item < 0 || w.Item == item) && strings.Contains(w.Message, sub) {
			return true
		}
	}
	return false
}
