package storetest

import (
	"context"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

// ImportStores is what RunImports needs: the store and its import and
// archive extensions.
type ImportStores interface {
	store.Store
	store.ImportStore
	store.ArchiveStore
}

// RunImports runs the contract of store.ImportStore and store.ArchiveStore.
func RunImports(t *testing.T, newStore func(t *testing.T) ImportStores) {
	t.Run("ImportStore_Records", func(t *testing.T) {
		ctx := context.Background()
		s := newStore(t)
		if _, err := s.FindImportRecord(ctx, "wordpress", "10", "article"); content.ErrorCode(err) != content.ENOTFOUND {
			t.Fatalf("missing record: err = %v, want not_found", err)
		}
		at := time.Date(2024, 2, 3, 4, 5, 6, 0, time.UTC)
		r := &store.ImportRecord{Kind: "wordpress", SourceID: "10", EntityKind: "article", EntityID: 7, ImportedAt: at, ContentHash: "a:b"}
		if err := s.PutImportRecord(ctx, r); err != nil {
			t.Fatal(err)
		}
		r.EntityID, r.ContentHash = 8, "c:d"
		if err := s.PutImportRecord(ctx, r); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindImportRecord(ctx, "wordpress", "10", "article")
		if err != nil || got.EntityID != 8 || got.ContentHash != "c:d" || !got.ImportedAt.Equal(at) {
			t.Fatalf("got %+v, %v", got, err)
		}
		if _, err := s.FindImportRecord(ctx, "ghost", "10", "article"); content.ErrorCode(err) != content.ENOTFOUND {
			t.Errorf("records leak across kinds: %v", err)
		}
		if err := s.PutImportRecord(ctx, &store.ImportRecord{Kind: "wordpress"}); content.ErrorCode(err) != content.EINVALID {
			t.Errorf("empty record: err = %v, want invalid", err)
		}
		if err := s.PutImportRecord(ctx, &store.ImportRecord{Kind: "ghost", SourceID: "a1", EntityKind: "author", EntityID: 3, ImportedAt: at}); err != nil {
			t.Fatal(err)
		}
		all, n, err := s.FindImportRecords(ctx, 0, 0)
		if err != nil || n != 2 || len(all) != 2 || all[0].Kind != "ghost" || all[1].EntityID != 8 {
			t.Errorf("FindImportRecords = %+v, %d, %v; want ghost then wordpress", all, n, err)
		}
		if page, n, _ := s.FindImportRecords(ctx, 1, 1); len(page) != 1 || n != 2 || page[0].Kind != "wordpress" {
			t.Errorf("second page %+v of %d", page, n)
		}
		if err := s.DeleteImportRecord(ctx, "wordpress", "10", "article"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteImportRecord(ctx, "wordpress", "10", "article"); err != nil {
			t.Errorf("deleting twice: %v", err)
		}
	})
	t.Run("ImportStore_Comments", func(t *testing.T) {
		ctx := context.Background()
		s := newStore(t)
		a := MustCreateArticle(t, s, &content.Article{Title: "With comments"})
		c := &store.Comment{ArticleID: a.ID, AuthorName: "Ruth", BodyHTML: "<p>One</p>", SourceID: "501", CreatedAt: base}
		if err := s.PutComment(ctx, c); err != nil || c.ID == 0 {
			t.Fatalf("put: %v (id %d)", err, c.ID)
		}
		again := &store.Comment{ArticleID: a.ID, AuthorName: "Ruth", BodyHTML: "<p>Edited</p>", SourceID: "501", CreatedAt: base}
		if err := s.PutComment(ctx, again); err != nil || again.ID != c.ID {
			t.Fatalf("same source id must replace: %v (id %d, want %d)", err, again.ID, c.ID)
		}
		reply := &store.Comment{ArticleID: a.ID, ParentID: c.ID, AuthorName: "Mara", BodyHTML: "<p>Two</p>", CreatedAt: base.Add(time.Hour)}
		if err := s.PutComment(ctx, reply); err != nil {
			t.Fatal(err)
		}
		cs, n, err := s.FindComments(ctx, a.ID, 0, 0)
		if err != nil || n != 2 || cs[0].BodyHTML != "<p>Edited</p>" || cs[1].ParentID != c.ID || cs[0].Status != store.CommentApproved {
			t.Fatalf("comments %+v n=%d err=%v", cs, n, err)
		}
		if err := s.PutComment(ctx, &store.Comment{ArticleID: 99999, BodyHTML: "x"}); content.ErrorCode(err) != content.EINVALID {
			t.Errorf("comment on a missing article: err = %v, want invalid", err)
		}
		if err := s.DeleteComment(ctx, reply.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteComment(ctx, reply.ID); content.ErrorCode(err) != content.ENOTFOUND {
			t.Errorf("delete twice: %v", err)
		}
		if err := s.DeleteArticle(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, n, _ := s.FindComments(ctx, 0, 0, 0); n != 0 {
			t.Errorf("%d comments outlive their article", n)
		}
	})
	t.Run("ArchiveStore_Restore", func(t *testing.T) {
		ctx := context.Background()
		s := newStore(t)
		au := &content.Author{ID: 40, Name: "Ana", Slug: "ana", CreatedAt: base, UpdatedAt: base.Add(time.Hour)}
		tm := &content.Term{ID: 41, Kind: content.KindTag, Name: "Rivers", Slug: "rivers", CreatedAt: base, UpdatedAt: base}
		a := &content.Article{ID: 42, Language: "en", TranslationGroup: 42, Title: "Kept", Slug: "kept", BodyMarkdown: "x",
			BodyHTML: "<p>x</p>", Status: content.StatusPublished, PublishedAt: base, CreatedAt: base, UpdatedAt: base.Add(2 * time.Hour),
			Authors: []*content.Author{{ID: 40}}, Terms: []*content.Term{{ID: 41}}}
		err := s.Restore(ctx, func(r store.Restorer) error {
			for _, f := range []func() error{
				func() error { return r.RestoreAuthor(ctx, au) },
				func() error { return r.RestoreTerm(ctx, tm) },
				func() error { return r.RestoreArticle(ctx, a) },
				func() error {
					return r.RestoreRedirect(ctx, &content.Redirect{From: "/old/", To: "/kept/", Status: 301, CreatedAt: base})
				},
				func() error {
					return r.RestoreComment(ctx, &store.Comment{ID: 43, ArticleID: 42, BodyHTML: "<p>c</p>", Status: "approved", CreatedAt: base})
				},
				func() error {
					return r.RestoreImportRecord(ctx, &store.ImportRecord{Kind: "wordpress", SourceID: "9", EntityKind: "article",
						EntityID: 42, ImportedAt: base, ContentHash: "s:t"})
				},
			} {
				if err := f(); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.FindArticleByID(ctx, 42)
		if err != nil || !got.UpdatedAt.Equal(a.UpdatedAt) || got.Authors[0].Name != "Ana" || got.Terms[0].Slug != "rivers" {
			t.Fatalf("restored %+v, %v", got, err)
		}
		rs, n, err := s.FindRedirects(ctx, 0, 0)
		if err != nil || n != 1 || rs[0].From != "/old/" {
			t.Errorf("redirects %+v %d %v", rs, n, err)
		}
		recs, n, err := s.FindImportRecords(ctx, 0, 0)
		if err != nil || n != 1 || recs[0].EntityID != 42 || recs[0].ContentHash != "s:t" || !recs[0].ImportedAt.Equal(base) {
			t.Errorf("import records %+v %d %v", recs, n, err)
		}
		if err := s.Restore(ctx, func(store.Restorer) error { return nil }); content.ErrorCode(err) != content.ECONFLICT {
			t.Errorf("restore into a non-empty store: err = %v, want conflict", err)
		}
	})
	t.Run("ArchiveStore_RestoreAllOrNothing", func(t *testing.T) {
		ctx := context.Background()
		s := newStore(t)
		err := s.Restore(ctx, func(r store.Restorer) error {
			if err := r.RestoreAuthor(ctx, &content.Author{ID: 1, Name: "A", Slug: "a", CreatedAt: base, UpdatedAt: base}); err != nil {
				return err
			}
			// refers to a term that is not there
			return r.RestoreArticle(ctx, &content.Article{ID: 2, Language: "en", Title: "T", Slug: "t", CreatedAt: base, UpdatedAt: base,
				Terms: []*content.Term{{ID: 99}}})
		})
		if err == nil {
			t.Fatal("restore with a dangling term succeeded")
		}
		if _, n, _ := s.FindAuthors(ctx, store.AuthorFilter{}); n != 0 {
			t.Errorf("%d authors left by a failed restore", n)
		}
	})
}
