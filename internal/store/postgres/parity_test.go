package postgres_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/store"
	"folio/internal/store/postgres/postgrestest"
	"folio/internal/store/storetest"
)

// TestMigrationParity keeps the two schemas in step: every migration number
// exists for both databases, with the same name.
func TestMigrationParity(t *testing.T) {
	list := func(dir string) []string {
		es, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			if strings.HasSuffix(e.Name(), ".sql") {
				out = append(out, e.Name())
			}
		}
		slices.Sort(out)
		return out
	}
	pg, lite := list("migrations"), list(filepath.Join("..", "sqlite", "migrations"))
	if !slices.Equal(pg, lite) {
		t.Fatalf("migrations differ:\npostgres: %v\nsqlite:   %v", pg, lite)
	}
}

// TestUpdateArticle_VersionRace: of several saves of the same version at
// once, exactly one wins and the rest get conflict. SQLite serializes
// writers; here the row lock taken before the version check does it.
func TestUpdateArticle_VersionRace(t *testing.T) {
	ctx := context.Background()
	db := postgrestest.New(t)
	a := storetest.MustCreateArticle(t, db, &content.Article{Title: "Contested"})
	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := *a
			b.Title = "Edit " + string(rune('A'+i))
			errs[i] = db.UpdateArticle(ctx, &b, store.ArticleWrite{ExpectedVersion: a.Version})
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case content.ErrorCode(err) != content.ECONFLICT:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d saves of version %d won, want 1 (errors: %v)", won, a.Version, errors.Join(errs...))
	}
}

// TestPublishDue_Once: schedulers on two nodes racing over the same due
// articles publish each of them once.
func TestPublishDue_Once(t *testing.T) {
	ctx := context.Background()
	db := postgrestest.New(t)
	var want []int64
	for range 5 {
		a := storetest.MustCreateArticle(t, db, &content.Article{Status: content.StatusScheduled,
			PublishedAt: time.Now().Add(-time.Second)})
		want = append(want, a.ID)
	}
	var mu sync.Mutex
	var got []int64
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids, err := db.PublishDue(ctx, time.Now())
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			got = append(got, ids...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("published %v, want each of %v once", got, want)
	}
	for _, id := range want {
		revs, err := db.FindRevisions(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 2 {
			t.Errorf("article %d has %d revisions, want 2 (created, published once)", id, len(revs))
		}
	}
}
