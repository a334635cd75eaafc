package storetest

import (
	"context"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

// testArticleAccess checks that the access fields survive a create, an
// update, a revision and a restore-from-archive round trip, and that a bad
// level is refused naming the field with nothing stored.
func testArticleAccess(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()
	tests := []struct {
		name string
		in   content.Article
		want content.Access
	}{
		{"DefaultIsPublic", content.Article{}, content.AccessPublic},
		{"Members", content.Article{Access: content.AccessMembers}, content.AccessMembers},
		{"MembersFirst", content.Article{Access: content.AccessMembersFirst, PublishedAt: base, FreeAt: base.Add(72 * time.Hour)}, content.AccessMembersFirst},
		{"PaidTier", content.Article{Access: content.AccessPaid, AccessTier: "supporter"}, content.AccessPaid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			a := tt.in
			a.Language, a.Title = "en", "Access "+tt.name
			ok(t, s.CreateArticle(ctx, &a, store.ArticleWrite{}))
			got, err := s.FindArticleByID(ctx, a.ID)
			ok(t, err)
			if got.Access != tt.want || got.AccessTier != tt.in.AccessTier || !got.FreeAt.Equal(tt.in.FreeAt) {
				t.Fatalf("stored access %q tier %q free_at %v; want %q %q %v", got.Access, got.AccessTier, got.FreeAt,
					tt.want, tt.in.AccessTier, tt.in.FreeAt)
			}
			rs, isRevs := s.(store.RevisionStore)
			if !isRevs {
				return
			}
			revs, err := rs.FindRevisions(ctx, a.ID)
			ok(t, err)
			if len(revs) == 0 || revs[0].Snapshot.Access.OrPublic() != tt.want {
				t.Fatalf("revision snapshot does not keep access %q: %+v", tt.want, revs)
			}
		})
	}

	t.Run("UpdateChangesAccess", func(t *testing.T) {
		s := newStore(t)
		a := MustCreateArticle(t, s, &content.Article{Slug: "gated"})
		a.Access, a.AccessTier = content.AccessPaid, "patron"
		ok(t, s.UpdateArticle(ctx, a, store.ArticleWrite{}))
		got, err := s.FindArticleByID(ctx, a.ID)
		ok(t, err)
		if got.Access != content.AccessPaid || got.AccessTier != "patron" {
			t.Fatalf("after update: access %q tier %q", got.Access, got.AccessTier)
		}
		got.Access, got.AccessTier = content.AccessPublic, ""
		ok(t, s.UpdateArticle(ctx, got, store.ArticleWrite{}))
		again, err := s.FindArticleByID(ctx, a.ID)
		ok(t, err)
		if again.Access != content.AccessPublic || again.AccessTier != "" {
			t.Fatalf("after reopening: access %q tier %q", again.Access, again.AccessTier)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		tests := []struct {
			name  string
			a     content.Article
			field string
		}{
			{"UnknownLevel", content.Article{Access: "vip"}, "access"},
			{"TierOnPublic", content.Article{AccessTier: "supporter"}, "access_tier"},
			{"FreeAtOnMembers", content.Article{Access: content.AccessMembers, FreeAt: base}, "free_at"},
			{"BadTierSlug", content.Article{Access: content.AccessPaid, AccessTier: "Not A Slug"}, "access_tier"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := newStore(t)
				before := countArticles(t, s)
				a := tt.a
				a.Language, a.Title = "en", "Bad access"
				err := s.CreateArticle(ctx, &a, store.ArticleWrite{})
				wantCode(t, err, content.EINVALID)
				if f := content.ErrorFields(err); f[tt.field] == "" {
					t.Fatalf("error %v does not name %q (fields %v)", err, tt.field, f)
				}
				if n := countArticles(t, s); n != before {
					t.Fatalf("%d articles after a refused write, want %d", n, before)
				}
			})
		}
	})
}
