package storetest

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"folio/internal/content"
	"folio/internal/store"
)

func testAuthors(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()

	t.Run("CreateFindUpdate", func(t *testing.T) {
		s := newStore(t)
		a := &content.Author{Name: "Zoë Adams", Bio: "Reporter", Email: "zoe@example.org",
			Links: []content.Link{{Label: "Site", URL: "https://zoe.example.org"}}}
		ok(t, s.CreateAuthor(ctx, a))
		if a.ID == 0 || a.Slug != "zoe-adams" || a.CreatedAt.IsZero() {
			t.Fatalf("created %+v", a)
		}
		got, err := s.FindAuthorByID(ctx, a.ID)
		ok(t, err)
		mustEqual(t, "by ID", a, got)
		got, err = s.FindAuthorBySlug(ctx, "zoe-adams")
		ok(t, err)
		mustEqual(t, "by slug", a, got)

		up := *a
		up.Name, up.Slug, up.Links = "Zoë B. Adams", "zoe-b-adams", nil
		ok(t, s.UpdateAuthor(ctx, &up))
		if !up.CreatedAt.Equal(a.CreatedAt) {
			t.Fatalf("CreatedAt changed to %v", up.CreatedAt)
		}
		got, err = s.FindAuthorByID(ctx, a.ID)
		ok(t, err)
		mustEqual(t, "updated", &up, got)
	})

	t.Run("Translations", func(t *testing.T) {
		s := newStore(t)
		a := &content.Author{Name: "Ana López", Bio: "Reporter in Kabul.", Translations: map[string]content.AuthorText{
			"fa": {Name: "آنا لوپز", Bio: "خبرنگار در کابل."}, "ru": {Name: "Ана Лопес"}}}
		ok(t, s.CreateAuthor(ctx, a))
		got, err := s.FindAuthorByID(ctx, a.ID)
		ok(t, err)
		mustEqual(t, "created", a, got)
		a.Translations["ps"] = content.AuthorText{Bio: "په کابل کې خبریاله."}
		delete(a.Translations, "ru")
		ok(t, s.UpdateAuthor(ctx, a))
		got, err = s.FindAuthorByID(ctx, a.ID)
		ok(t, err)
		mustEqual(t, "updated", a, got)
		bad := &content.Author{Name: "X", Translations: map[string]content.AuthorText{"not a tag": {Bio: "x"}}}
		wantCode(t, s.CreateAuthor(ctx, bad), content.EINVALID)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		s := newStore(t)
		_, err := s.FindAuthorByID(ctx, 404)
		wantCode(t, err, content.ENOTFOUND)
		_, err = s.FindAuthorBySlug(ctx, "nobody")
		wantCode(t, err, content.ENOTFOUND)
		wantCode(t, s.UpdateAuthor(ctx, &content.Author{ID: 404, Name: "X"}), content.ENOTFOUND)
		wantCode(t, s.DeleteAuthor(ctx, 404), content.ENOTFOUND)
	})

	t.Run("ErrSlugTaken", func(t *testing.T) {
		s := newStore(t)
		ok(t, s.CreateAuthor(ctx, &content.Author{Name: "Ana", Slug: "ana"}))
		err := s.CreateAuthor(ctx, &content.Author{Name: "Ana Other", Slug: "ana"})
		wantCode(t, err, content.ECONFLICT)
		if !strings.Contains(content.ErrorMessage(err), `"ana"`) {
			t.Fatalf("message %q does not name the slug", content.ErrorMessage(err))
		}
		b := &content.Author{Name: "Ben", Slug: "ben"}
		ok(t, s.CreateAuthor(ctx, b))
		b.Slug = "ana"
		wantCode(t, s.UpdateAuthor(ctx, b), content.ECONFLICT)
	})

	t.Run("FindAuthors", func(t *testing.T) {
		s := newStore(t)
		c, a, b := MustCreateAuthor(t, s, "Cleo"), MustCreateAuthor(t, s, "amir"), MustCreateAuthor(t, s, "Bea")
		got, total, err := s.FindAuthors(ctx, store.AuthorFilter{})
		ok(t, err)
		mustEqual(t, "by name", []*content.Author{a, b, c}, got)
		if total != 3 {
			t.Fatalf("total = %d", total)
		}
		got, total, err = s.FindAuthors(ctx, store.AuthorFilter{Limit: 1, Offset: 1})
		ok(t, err)
		mustEqual(t, "page", []*content.Author{b}, got)
		if total != 3 {
			t.Fatalf("total = %d", total)
		}
		got, total, err = s.FindAuthors(ctx, store.AuthorFilter{IDs: []int64{c.ID, a.ID}})
		ok(t, err)
		mustEqual(t, "IDs", []*content.Author{a, c}, got)
		if total != 2 {
			t.Fatalf("total = %d", total)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		s := newStore(t)
		ana, ben := MustCreateAuthor(t, s, "Ana"), MustCreateAuthor(t, s, "Ben")
		shared := MustCreateArticle(t, s, &content.Article{Authors: authorRefs(ana, ben)})
		ok(t, s.DeleteAuthor(ctx, ben.ID))
		_, err := s.FindAuthorByID(ctx, ben.ID)
		wantCode(t, err, content.ENOTFOUND)
		got, err := s.FindArticleByID(ctx, shared.ID)
		ok(t, err)
		mustEqual(t, "remaining byline", []*content.Author{ana}, got.Authors)
	})

	t.Run("ErrOnlyAuthor", func(t *testing.T) {
		s := newStore(t)
		ana, ben := MustCreateAuthor(t, s, "Ana"), MustCreateAuthor(t, s, "Ben")
		MustCreateArticle(t, s, &content.Article{Authors: authorRefs(ana, ben)})
		solo := MustCreateArticle(t, s, &content.Article{Authors: authorRefs(ana)})
		err := s.DeleteAuthor(ctx, ana.ID)
		wantCode(t, err, content.ECONFLICT)
		if !strings.Contains(content.ErrorMessage(err), "article "+strconv.FormatInt(solo.ID, 10)) {
			t.Fatalf("message %q does not name article %d", content.ErrorMessage(err), solo.ID)
		}
		// Nothing changed: both bylines are still there.
		got, _, err := s.FindArticles(ctx, store.ArticleFilter{AuthorID: ana.ID})
		ok(t, err)
		if len(got) != 2 {
			t.Fatalf("ana has %d articles after failed delete, want 2", len(got))
		}
	})
}
