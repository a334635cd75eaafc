package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"folio/internal/content"
	"folio/internal/store"
)

// testConcurrency writes from several goroutines at once. On SQLite this
// catches a missing busy timeout or deferred write transactions, which fail
// with SQLITE_BUSY instead of waiting their turn.
func testConcurrency(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := newStore(t)
	tag := MustCreateTerm(t, s, content.KindTag, "Shared")
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				au := &content.Author{Name: fmt.Sprintf("Writer %d-%d", w, i)}
				if err := s.CreateAuthor(ctx, au); err != nil {
					errs <- err
					continue
				}
				a := &content.Article{Language: "en", Title: fmt.Sprintf("Story %d-%d", w, i),
					Authors: authorRefs(au), Terms: termRefs(tag)}
				if err := s.CreateArticle(ctx, a, store.ArticleWrite{}); err != nil {
					errs <- err
					continue
				}
				a.Title += " (updated)"
				if err := s.UpdateArticle(ctx, a, store.ArticleWrite{}); err != nil {
					errs <- err
					continue
				}
				if _, _, err := s.FindArticles(ctx, store.ArticleFilter{TermID: tag.ID, Limit: 5}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := countArticles(t, s); n != workers*each {
		t.Fatalf("count = %d, want %d", n, workers*each)
	}
}
