package editorial_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"folio/internal/cache/key"
	"folio/internal/content"
)

func TestService_Pages(t *testing.T) {
	ctx := context.Background()
	svc, rec := setup(t, now)
	ed := svc.System("test")
	about := &content.Article{Type: content.TypePage, Language: "en", Title: "About", Status: content.StatusPublished}
	if err := ed.CreateArticle(ctx, about); err != nil {
		t.Fatal(err)
	}
	// A page drops its own page, the page tree and the sitemap, never a
	// listing: it is in none.
	deps := rec.take()
	for _, k := range []string{key.Article(about.ID), key.Pages, key.All} {
		if !slices.Contains(deps, k) {
			t.Fatalf("deps %v lack %s", deps, k)
		}
	}
	if slices.Contains(deps, key.LangList("en")) {
		t.Fatalf("deps %v name the language listing", deps)
	}
	team := &content.Article{Type: content.TypePage, Language: "en", Title: "Team", ParentID: about.ID}
	if err := ed.CreateArticle(ctx, team); err != nil {
		t.Fatal(err)
	}
	art := &content.Article{Language: "en", Title: "Harbour"}
	if err := ed.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		parent int64
		self   *content.Article
	}{
		{"ErrParentMissing", 9999, about},
		{"ErrParentIsArticle", art.ID, about},
		{"ErrCycle", team.ID, about},
		{"ErrSelf", about.ID, about},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := *tt.self
			p.ParentID = tt.parent
			err := ed.UpdateArticle(ctx, &p)
			if content.ErrorCode(err) != content.EINVALID {
				t.Fatalf("err = %v, want invalid", err)
			}
			var ce *content.Error
			if !errors.As(err, &ce) || ce.Fields["parent_id"] == "" {
				t.Fatalf("err = %#v, want a message on parent_id", err)
			}
		})
	}

	t.Run("EditWithoutTypeKeepsPage", func(t *testing.T) {
		edit := &content.Article{ID: team.ID, Language: "en", Title: "Our team"}
		if err := ed.UpdateArticle(ctx, edit); err != nil {
			t.Fatal(err)
		}
		if edit.Type != content.TypePage || edit.ParentID != about.ID {
			t.Fatalf("type %q parent %d, want page under %d", edit.Type, edit.ParentID, about.ID)
		}
	})
}
