// Package storetest is the contract every store.Store implementation must
// meet. Each implementation's tests call Run with a constructor that returns
// a fresh, empty, migrated store; the helpers (MustCreateAuthor and friends)
// are for other packages' tests that need rows in a real store.
//
// The suite pins article times explicitly (2021) and passes explicit "now"
// values to Public filters and PublishDue. It assumes only that the store's
// own clock never runs backwards and reads later than 2022, because drafts
// without a publish time sort by their creation time.
package storetest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"folio/internal/content"
	"folio/internal/store"
)

// Run runs the whole contract suite; newStore must return an empty store
// that lives until the end of the (sub)test it is given.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	t.Run("ArticleStore_Create", func(t *testing.T) { testArticleCreate(t, newStore) })
	t.Run("ArticleStore_Find", func(t *testing.T) { testArticleFind(t, newStore) })
	t.Run("ArticleStore_Update", func(t *testing.T) { testArticleUpdate(t, newStore) })
	t.Run("ArticleStore_Delete", func(t *testing.T) { testArticleDelete(t, newStore) })
	t.Run("ArticleStore_FindArticles", func(t *testing.T) { testFindArticles(t, newStore) })
	t.Run("ArticleStore_Pagination", func(t *testing.T) { testPagination(t, newStore) })
	t.Run("ArticleStore_PublishDue", func(t *testing.T) { testPublishDue(t, newStore) })
	t.Run("ArticleStore_SlugTaken", func(t *testing.T) { testSlugTaken(t, newStore) })
	t.Run("ArticleStore_Access", func(t *testing.T) { testArticleAccess(t, newStore) })
	t.Run("AuthorStore", func(t *testing.T) { testAuthors(t, newStore) })
	t.Run("TermStore", func(t *testing.T) { testTerms(t, newStore) })
	t.Run("SettingsStore", func(t *testing.T) { testSettings(t, newStore) })
	t.Run("RedirectStore", func(t *testing.T) { testRedirects(t, newStore) })
	t.Run("MediaStore", func(t *testing.T) { testMedia(t, newStore) })
	t.Run("TokenStore", func(t *testing.T) { testTokens(t, newStore) })
	t.Run("Concurrency", func(t *testing.T) { testConcurrency(t, newStore) })
}

// base is the suite's reference time; every explicit article time is near it.
var base = time.Date(2021, 6, 1, 12, 0, 0, 0, time.UTC)

var seq atomic.Int64

// unique returns a distinct suffix so helpers never collide on slugs.
func unique() int64 { return seq.Add(1) }

// MustCreateAuthor stores an author named name (with a unique slug) and
// fails the test on error.
func MustCreateAuthor(tb testing.TB, s store.Store, name string) *content.Author {
	tb.Helper()
	a := &content.Author{Name: name, Slug: content.Slugify(fmt.Sprintf("%s %d", name, unique()))}
	if err := s.CreateAuthor(context.Background(), a); err != nil {
		tb.Fatalf("create author %q: %v", name, err)
	}
	return a
}

// MustCreateTerm stores a term of kind named name (with a unique slug) and
// fails the test on error.
func MustCreateTerm(tb testing.TB, s store.Store, kind content.TermKind, name string) *content.Term {
	tb.Helper()
	t := &content.Term{Kind: kind, Name: name, Slug: content.Slugify(fmt.Sprintf("%s %d", name, unique()))}
	if err := s.CreateTerm(context.Background(), t); err != nil {
		tb.Fatalf("create %s %q: %v", kind, name, err)
	}
	return t
}

// MustCreateArticle stores a, filling Language ("en") and Title when empty
// and a unique slug when Slug is empty, and fails the test on error. a is
// updated in place (ID, times, full authors and terms) and returned.
func MustCreateArticle(tb testing.TB, s store.Store, a *content.Article) *content.Article {
	tb.Helper()
	if a.Language == "" {
		a.Language = "en"
	}
	n := unique()
	if a.Title == "" {
		a.Title = fmt.Sprintf("Article %d", n)
	}
	if a.Slug == "" {
		a.Slug = content.Slugify(fmt.Sprintf("%s %d", a.Title, n))
	}
	if err := s.CreateArticle(context.Background(), a, store.ArticleWrite{}); err != nil {
		tb.Fatalf("create article %q: %v", a.Title, err)
	}
	return a
}

// authorRefs and termRefs return ID-only references, as callers pass them
// to CreateArticle.
func authorRefs(as ...*content.Author) []*content.Author {
	out := make([]*content.Author, len(as))
	for i, a := range as {
		out[i] = &content.Author{ID: a.ID}
	}
	return out
}

func termRefs(ts ...*content.Term) []*content.Term {
	out := make([]*content.Term, len(ts))
	for i, t := range ts {
		out[i] = &content.Term{ID: t.ID}
	}
	return out
}

func ids(as []*content.Article) []int64 {
	out := make([]int64, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

var cmpOpts = []cmp.Option{cmpopts.EquateEmpty()}

func mustEqual(tb testing.TB, what string, want, got any) {
	tb.Helper()
	if diff := cmp.Diff(want, got, cmpOpts...); diff != "" {
		tb.Fatalf("%s mismatch (-want +got):\n%s", what, diff)
	}
}

func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := content.ErrorCode(err); got != code {
		tb.Fatalf("error code = %q, want %q (error: %v)", got, code, err)
	}
}

func ok(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

func countArticles(tb testing.TB, s store.Store) int {
	tb.Helper()
	_, n, err := s.FindArticles(context.Background(), store.ArticleFilter{})
	ok(tb, err)
	return n
}
