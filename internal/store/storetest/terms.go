package storetest

import (
	"context"
	"testing"

	"folio/internal/content"
	"folio/internal/store"
)

func testTerms(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()

	t.Run("CreateFindUpdate", func(t *testing.T) {
		s := newStore(t)
		for _, kind := range content.TermKinds {
			t.Run(string(kind), func(t *testing.T) {
				term := &content.Term{Kind: kind, Name: "Lake Chad", Description: "About the lake",
					Names:        map[string]string{"fr": "Lac Tchad"},
					Descriptions: map[string]string{"fr": "Sur le lac", "fa": "دربارهٔ دریاچه"}, Active: kind == content.KindDossier}
				ok(t, s.CreateTerm(ctx, term))
				if term.ID == 0 || term.Slug != "lake-chad" {
					t.Fatalf("created %+v", term)
				}
				got, err := s.FindTermByID(ctx, term.ID)
				ok(t, err)
				mustEqual(t, "by ID", term, got)
				got, err = s.FindTermBySlug(ctx, kind, "lake-chad")
				ok(t, err)
				mustEqual(t, "by slug", term, got)

				up := *term
				up.Name, up.Names, up.Active = "Chad basin", nil, !term.Active
				up.Descriptions = map[string]string{"ps": "د جهيل په اړه"}
				ok(t, s.UpdateTerm(ctx, &up))
				got, err = s.FindTermByID(ctx, term.ID)
				ok(t, err)
				mustEqual(t, "updated", &up, got)
			})
		}
	})

	t.Run("ErrSlugTaken", func(t *testing.T) {
		s := newStore(t)
		ok(t, s.CreateTerm(ctx, &content.Term{Kind: content.KindTag, Name: "Oil", Slug: "oil"}))
		wantCode(t, s.CreateTerm(ctx, &content.Term{Kind: content.KindTag, Name: "Oil 2", Slug: "oil"}), content.ECONFLICT)
		// The same slug in another kind is a different term.
		ok(t, s.CreateTerm(ctx, &content.Term{Kind: content.KindTheme, Name: "Oil", Slug: "oil"}))
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		s := newStore(t)
		_, err := s.FindTermByID(ctx, 404)
		wantCode(t, err, content.ENOTFOUND)
		_, err = s.FindTermBySlug(ctx, content.KindTag, "none")
		wantCode(t, err, content.ENOTFOUND)
		wantCode(t, s.UpdateTerm(ctx, &content.Term{ID: 404, Kind: content.KindTag, Name: "X"}), content.ENOTFOUND)
		wantCode(t, s.DeleteTerm(ctx, 404), content.ENOTFOUND)
	})

	t.Run("FindTerms", func(t *testing.T) {
		s := newStore(t)
		tagB := MustCreateTerm(t, s, content.KindTag, "Bees")
		tagA := MustCreateTerm(t, s, content.KindTag, "Ants")
		dossier := &content.Term{Kind: content.KindDossier, Name: "Floods", Active: true}
		ok(t, s.CreateTerm(ctx, dossier))
		region := MustCreateTerm(t, s, content.KindRegion, "Sahel")
		yes := true
		for _, tt := range []struct {
			name  string
			f     store.TermFilter
			want  []*content.Term
			total int
		}{
			{"All", store.TermFilter{}, []*content.Term{region, dossier, tagA, tagB}, 4},
			{"Kind", store.TermFilter{Kind: content.KindTag}, []*content.Term{tagA, tagB}, 2},
			{"Active", store.TermFilter{Active: &yes}, []*content.Term{dossier}, 1},
			{"IDs", store.TermFilter{IDs: []int64{tagB.ID, region.ID}}, []*content.Term{region, tagB}, 2},
			{"Page", store.TermFilter{Limit: 2, Offset: 1}, []*content.Term{dossier, tagA}, 4},
		} {
			t.Run(tt.name, func(t *testing.T) {
				got, total, err := s.FindTerms(ctx, tt.f)
				ok(t, err)
				mustEqual(t, "terms", tt.want, got)
				if total != tt.total {
					t.Fatalf("total = %d, want %d", total, tt.total)
				}
			})
		}
	})

	t.Run("DeleteUnlinks", func(t *testing.T) {
		s := newStore(t)
		keep, drop := MustCreateTerm(t, s, content.KindTag, "Keep"), MustCreateTerm(t, s, content.KindTag, "Drop")
		a := MustCreateArticle(t, s, &content.Article{Terms: termRefs(drop, keep)})
		ok(t, s.DeleteTerm(ctx, drop.ID))
		got, err := s.FindArticleByID(ctx, a.ID)
		ok(t, err)
		mustEqual(t, "terms", []*content.Term{keep}, got.Terms)
	})
}
