package storetest

import (
	"context"
	"fmt"
	"testing"

	"folio/internal/content"
	"folio/internal/store"
)

// RevisionsStore is what the revision contract needs: articles, their
// history, and users to attribute writes to.
type RevisionsStore interface {
	store.Store
	store.RevisionStore
	store.UserStore
}

// RunRevisions runs the RevisionStore contract; newStore must return an
// empty store that lives until the end of the (sub)test it is given.
func RunRevisions(t *testing.T, newStore func(t *testing.T) RevisionsStore) {
	ctx := context.Background()
	mustUser := func(t *testing.T, s RevisionsStore) *content.User {
		t.Helper()
		u := &content.User{Email: fmt.Sprintf("writer%d@example.org", unique()), Name: "Writer", Role: content.RoleAuthor}
		ok(t, s.CreateUser(ctx, u))
		return u
	}

	t.Run("EveryWriteRecorded", func(t *testing.T) {
		s := newStore(t)
		ana := MustCreateAuthor(t, s, "Ana")
		tag := MustCreateTerm(t, s, content.KindTag, "Water")
		a := MustCreateArticle(t, s, &content.Article{Title: "First", BodyMarkdown: "one", Authors: authorRefs(ana), Terms: termRefs(tag)})
		if a.Version != 1 || a.CreatedBy != 0 {
			t.Fatalf("created version %d by %d, want 1 by 0", a.Version, a.CreatedBy)
		}
		a.Title, a.BodyMarkdown = "Second", "two"
		ok(t, s.UpdateArticle(ctx, a, store.ArticleWrite{}))
		if a.Version != 2 {
			t.Fatalf("version after update = %d, want 2", a.Version)
		}
		revs, err := s.FindRevisions(ctx, a.ID)
		ok(t, err)
		if len(revs) != 2 || revs[0].Version != 2 || revs[1].Version != 1 {
			t.Fatalf("revisions = %+v, want versions 2, 1", revs)
		}
		if revs[0].Title != "Second" || revs[0].BodyMarkdown != "two" || revs[1].Title != "First" {
			t.Fatalf("revision text = %q/%q, %q", revs[0].Title, revs[0].BodyMarkdown, revs[1].Title)
		}
		snap := revs[0].Snapshot
		mustEqual(t, "snapshot authors", []int64{ana.ID}, snap.AuthorIDs)
		mustEqual(t, "snapshot terms", []int64{tag.ID}, snap.TermIDs)
		one, err := s.FindRevision(ctx, revs[1].ID)
		ok(t, err)
		mustEqual(t, "FindRevision", revs[1], one)
	})

	t.Run("Attributed", func(t *testing.T) {
		s := newStore(t)
		u := mustUser(t, s)
		a := &content.Article{Language: "en", Title: "Mine", Slug: fmt.Sprintf("mine-%d", unique())}
		ok(t, s.CreateArticle(ctx, a, store.ArticleWrite{UserID: u.ID}))
		got, err := s.FindArticleByID(ctx, a.ID)
		ok(t, err)
		if got.CreatedBy != u.ID || got.Version != 1 {
			t.Fatalf("stored CreatedBy %d version %d, want %d and 1", got.CreatedBy, got.Version, u.ID)
		}
		got.Title = "Mine, edited"
		ok(t, s.UpdateArticle(ctx, got, store.ArticleWrite{UserID: u.ID, ExpectedVersion: 1, Note: "typo"}))
		revs, err := s.FindRevisions(ctx, a.ID)
		ok(t, err)
		if revs[0].UserID != u.ID || revs[0].Note != "typo" || revs[0].At.IsZero() {
			t.Fatalf("newest revision = %+v, want user %d note typo", revs[0], u.ID)
		}
	})

	t.Run("ErrVersionConflict", func(t *testing.T) {
		s := newStore(t)
		a := MustCreateArticle(t, s, &content.Article{Title: "Shared"})
		first, second := *a, *a
		first.Title = "Saved first"
		ok(t, s.UpdateArticle(ctx, &first, store.ArticleWrite{ExpectedVersion: a.Version}))
		second.Title = "Saved second"
		err := s.UpdateArticle(ctx, &second, store.ArticleWrite{ExpectedVersion: a.Version})
		wantCode(t, err, content.ECONFLICT)
		if content.ErrorFields(err)["version"] == "" {
			t.Fatalf("conflict without a version field: %v", err)
		}
		got, err := s.FindArticleByID(ctx, a.ID)
		ok(t, err)
		if got.Title != "Saved first" || got.Version != 2 {
			t.Fatalf("stored %q version %d, want the first save kept", got.Title, got.Version)
		}
		// Version 0 does not check: the API and importer overwrite.
		second.ID = a.ID
		ok(t, s.UpdateArticle(ctx, &second, store.ArticleWrite{}))
	})

	t.Run("PublishDueRecords", func(t *testing.T) {
		s := newStore(t)
		a := MustCreateArticle(t, s, &content.Article{Status: content.StatusScheduled, PublishedAt: base})
		_, err := s.PublishDue(ctx, base.AddDate(0, 0, 1))
		ok(t, err)
		revs, err := s.FindRevisions(ctx, a.ID)
		ok(t, err)
		if len(revs) != 2 || revs[0].Status != content.StatusPublished || revs[0].Version != 2 {
			t.Fatalf("revisions after PublishDue = %d, newest %+v", len(revs), revs[0])
		}
	})

	t.Run("DeleteCascades", func(t *testing.T) {
		s := newStore(t)
		a := MustCreateArticle(t, s, &content.Article{})
		revs, err := s.FindRevisions(ctx, a.ID)
		ok(t, err)
		ok(t, s.DeleteArticle(ctx, a.ID))
		_, err = s.FindRevision(ctx, revs[0].ID)
		wantCode(t, err, content.ENOTFOUND)
	})

	t.Run("Autosave", func(t *testing.T) {
		s := newStore(t)
		u := mustUser(t, s)
		a := MustCreateArticle(t, s, &content.Article{})
		_, err := s.FindAutosave(ctx, a.ID, u.ID)
		wantCode(t, err, content.ENOTFOUND)
		ok(t, s.PutAutosave(ctx, &store.Autosave{ArticleID: a.ID, UserID: u.ID, BaseVersion: 1, Title: "T", BodyMarkdown: "draft 1"}))
		ok(t, s.PutAutosave(ctx, &store.Autosave{ArticleID: a.ID, UserID: u.ID, BaseVersion: 1, Title: "T", BodyMarkdown: "draft 2"}))
		got, err := s.FindAutosave(ctx, a.ID, u.ID)
		ok(t, err)
		if got.BodyMarkdown != "draft 2" || got.At.IsZero() {
			t.Fatalf("autosave = %+v, want draft 2", got)
		}
		wantCode(t, s.PutAutosave(ctx, &store.Autosave{ArticleID: 99999, UserID: u.ID}), content.EINVALID)
		ok(t, s.DeleteAutosave(ctx, a.ID, u.ID))
		ok(t, s.DeleteAutosave(ctx, a.ID, u.ID))
		_, err = s.FindAutosave(ctx, a.ID, u.ID)
		wantCode(t, err, content.ENOTFOUND)
	})
}
