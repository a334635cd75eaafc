package storetest

import (
	"context"
	"errors"
	"testing"

	"folio/internal/content"
	"folio/internal/store"
)

// BatchStores is what RunBatch needs.
type BatchStores interface {
	store.Store
	store.ImportStore
	store.BatchStore
}

// RunBatch runs the contract of store.BatchStore.
func RunBatch(t *testing.T, newStore func(t *testing.T) BatchStores) {
	// write makes one imported article with its record, redirect and
	// comment through b, checking that b reads its own writes.
	write := func(t *testing.T, ctx context.Context, b store.Tx, au *content.Author, slug string) *content.Article {
		t.Helper()
		a := &content.Article{Language: "en", Title: "Batch " + slug, Slug: slug, BodyMarkdown: "Body",
			BodyHTML: "<p>Body</p>", Status: content.StatusPublished, Authors: []*content.Author{{ID: au.ID}}}
		if err := b.CreateArticle(ctx, a, store.ArticleWrite{}); err != nil {
			t.Fatal(err)
		}
		if len(a.Authors) != 1 || a.Authors[0].Name != au.Name || a.ID == 0 {
			t.Fatalf("created %+v: want its ID and the full author", a)
		}
		if taken, err := b.SlugTaken(ctx, "en", slug, 0); err != nil || !taken {
			t.Fatalf("SlugTaken(%q) = %v, %v inside the batch, want true", slug, taken, err)
		}
		got, err := b.FindArticleByID(ctx, a.ID)
		if err != nil || got.Title != a.Title {
			t.Fatalf("FindArticleByID inside the batch: %+v, %v", got, err)
		}
		got.Title += " (edited)"
		if err := b.UpdateArticle(ctx, got, store.ArticleWrite{}); err != nil || got.Version != 2 {
			t.Fatalf("UpdateArticle: version %d, %v", got.Version, err)
		}
		rec := &store.ImportRecord{Kind: "wordpress", SourceID: slug, EntityKind: "article", EntityID: a.ID, ContentHash: "x"}
		if err := b.PutImportRecord(ctx, rec); err != nil {
			t.Fatal(err)
		}
		if r, err := b.FindImportRecord(ctx, "wordpress", slug, "article"); err != nil || r.EntityID != a.ID {
			t.Fatalf("FindImportRecord inside the batch: %+v, %v", r, err)
		}
		if err := b.PutRedirect(ctx, &content.Redirect{From: "/old/" + slug + "/", To: "/" + slug + "/", Status: 301}); err != nil {
			t.Fatal(err)
		}
		if r, err := b.FindRedirect(ctx, "/old/"+slug+"/"); err != nil || r.To != "/"+slug+"/" {
			t.Fatalf("FindRedirect inside the batch: %+v, %v", r, err)
		}
		c := &store.Comment{ArticleID: a.ID, AuthorName: "Reader", BodyHTML: "<p>Hi</p>", SourceID: "c1"}
		if err := b.PutComment(ctx, c); err != nil {
			t.Fatal(err)
		}
		c2 := &store.Comment{ArticleID: a.ID, AuthorName: "Reader", BodyHTML: "<p>Hi again</p>", SourceID: "c1"}
		if err := b.PutComment(ctx, c2); err != nil || c2.ID != c.ID {
			t.Fatalf("PutComment with the same source ID: id %d (want %d), %v", c2.ID, c.ID, err)
		}
		if cs, err := b.FindArticleComments(ctx, a.ID); err != nil || len(cs) != 1 || cs[0].BodyHTML != "<p>Hi again</p>" {
			t.Fatalf("FindComments inside the batch: %+v, %v", cs, err)
		}
		return a
	}

	t.Run("BatchStore_Commit", func(t *testing.T) {
		ctx := context.Background()
		s := newStore(t)
		au := MustCreateAuthor(t, s, "Batcher")
		var ids []int64
		err := s.Batch(ctx, func(b store.Tx) error {
			for _, slug := range []string{"one", "two"} {
				ids = append(ids, write(t, ctx, b, au, slug).ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			a, err := s.FindArticleByID(ctx, id)
			if err != nil || a.Version != 2 {
				t.Fatalf("article %d after commit: %+v, %v", id, a, err)
			}
		}
		if _, n, err := s.FindComments(ctx, 0, 0, 0); err != nil || n != 2 {
			t.Errorf("%d comments after commit, want 2 (%v)", n, err)
		}
	})

	t.Run("BatchStore_RollbackOnError", func(t *testing.T) {
		ctx := context.Background()
		s := newStore(t)
		au := MustCreateAuthor(t, s, "Batcher")
		boom := errors.New("boom")
		err := s.Batch(ctx, func(b store.Tx) error {
			write(t, ctx, b, au, "kept-nowhere")
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want fn's error", err)
		}
		if _, n, _ := s.FindArticles(ctx, store.ArticleFilter{}); n != 0 {
			t.Errorf("%d articles after a failed batch, want 0", n)
		}
		if _, err := s.FindImportRecord(ctx, "wordpress", "kept-nowhere", "article"); content.ErrorCode(err) != content.ENOTFOUND {
			t.Errorf("import record after a failed batch: %v, want not_found", err)
		}
		if _, err := s.FindRedirect(ctx, "/old/kept-nowhere/"); content.ErrorCode(err) != content.ENOTFOUND {
			t.Errorf("redirect after a failed batch: %v, want not_found", err)
		}
		// The write lock is released: single writes go on.
		MustCreateArticle(t, s, &content.Article{Title: "After"})
	})

	t.Run("BatchStore_Conflict", func(t *testing.T) {
		ctx := context.Background()
		s := newStore(t)
		MustCreateArticle(t, s, &content.Article{Title: "Taken", Slug: "taken"})
		err := s.Batch(ctx, func(b store.Tx) error {
			return b.CreateArticle(ctx, &content.Article{Language: "en", Title: "Again", Slug: "taken",
				BodyMarkdown: "x", BodyHTML: "<p>x</p>", Status: content.StatusDraft}, store.ArticleWrite{})
		})
		if content.ErrorCode(err) != content.ECONFLICT {
			t.Fatalf("err = %v, want conflict", err)
		}
	})
}
