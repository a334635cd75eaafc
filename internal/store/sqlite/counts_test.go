package sqlite_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/store"
	"folio/internal/store/sqlite/sqlitetest"
	"folio/internal/store/storetest"
)

// TestPublicCounts makes random writes (create, publish, unpublish, move to
// another language, change authors and terms, delete, publish in the
// future, delete a term) and checks after each that every listing's total,
// answered from public_counts, equals a count of the listing's rows.
func TestPublicCounts(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.New(t)
	r := rand.New(rand.NewPCG(5, 6))
	authors := make([]*content.Author, 4)
	for i := range authors {
		authors[i] = storetest.MustCreateAuthor(t, db, "Writer")
	}
	terms := make([]*content.Term, 4)
	for i := range terms {
		terms[i] = storetest.MustCreateTerm(t, db, content.KindTheme, "Theme")
	}
	now := time.Now().UTC()
	langs := []string{"en", "es"}
	statuses := []content.Status{content.StatusDraft, content.StatusPublished, content.StatusPublished}
	var ids []int64
	pick := func() ([]*content.Author, []*content.Term) {
		var as []*content.Author
		var ts []*content.Term
		for _, a := range authors {
			if r.IntN(3) == 0 {
				as = append(as, &content.Author{ID: a.ID})
			}
		}
		for _, tm := range terms {
			if tm != nil && r.IntN(3) == 0 {
				ts = append(ts, &content.Term{ID: tm.ID})
			}
		}
		return as, ts
	}
	check := func(step int) {
		t.Helper()
		fs := []store.ArticleFilter{}
		for _, l := range langs {
			fs = append(fs, store.ArticleFilter{Language: l})
			for _, a := range authors {
				fs = append(fs, store.ArticleFilter{Language: l, AuthorID: a.ID})
			}
			for _, tm := range terms {
				if tm != nil {
					fs = append(fs, store.ArticleFilter{Language: l, TermID: tm.ID})
				}
			}
		}
		for _, f := range fs {
			f.Public, f.Limit = true, 1
			_, got, err := db.FindArticles(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			// Excluding no article takes the filter off the kept counts:
			// this total comes from scanning the listing.
			f.ExcludeIDs = []int64{-1}
			_, want, err := db.FindArticles(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("step %d: listing %+v: total %d, counted %d", step, f, got, want)
			}
		}
	}
	for step := range 150 {
		switch op := r.IntN(10); {
		case op < 4 || len(ids) == 0:
			as, ts := pick()
			a := &content.Article{Language: langs[r.IntN(2)], Status: statuses[r.IntN(3)], Authors: as, Terms: ts}
			if a.Status == content.StatusPublished {
				a.PublishedAt = now.Add(-time.Duration(r.IntN(1000)) * time.Hour)
				if r.IntN(8) == 0 {
					a.PublishedAt = now.Add(time.Hour) // published, but not yet public
				}
			}
			storetest.MustCreateArticle(t, db, a)
			ids = append(ids, a.ID)
		case op < 8:
			a, err := db.FindArticleByID(ctx, ids[r.IntN(len(ids))])
			if err != nil {
				t.Fatal(err)
			}
			switch r.IntN(3) {
			case 0:
				if a.Status == content.StatusPublished {
					a.Status = content.StatusDraft
				} else {
					a.Status, a.PublishedAt = content.StatusPublished, now.Add(-time.Minute)
				}
			case 1:
				a.Language = langs[r.IntN(2)]
				a.Slug = content.Slugify(a.Title + " " + a.Language)
			case 2:
				a.Authors, a.Terms = pick()
			}
			if err := db.UpdateArticle(ctx, a, store.ArticleWrite{}); err != nil {
				t.Fatalf("step %d: update: %v", step, err)
			}
		case op < 9:
			i := r.IntN(len(ids))
			if err := db.DeleteArticle(ctx, ids[i]); err != nil {
				t.Fatal(err)
			}
			ids = append(ids[:i], ids[i+1:]...)
		default:
			if i := r.IntN(len(terms)); terms[i] != nil && r.IntN(4) == 0 {
				if err := db.DeleteTerm(ctx, terms[i].ID); err != nil {
					t.Fatal(err)
				}
				terms[i] = nil
			}
		}
		check(step)
	}
	var rows int
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM public_counts WHERE n > 0`).Scan(&rows); err != nil || rows == 0 {
		t.Errorf("public_counts has %d non-zero rows (%v): the totals did not come from it", rows, err)
	}
}
