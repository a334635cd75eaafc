package storetest

import (
	"context"
	"testing"

	"folio/internal/content"
	"folio/internal/store"
)

// testPages checks that pages are stored with their own fields and that
// only filters asking for them return them: a listing that forgets pages
// must not show one.
func testPages(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := newStore(t)
	ana := MustCreateAuthor(t, s, "Ana")
	region := MustCreateTerm(t, s, content.KindRegion, "Coast")
	pub := func(a *content.Article) *content.Article {
		a.Status, a.PublishedAt = content.StatusPublished, base
		a.Authors, a.Terms = authorRefs(ana), termRefs(region)
		return MustCreateArticle(t, s, a)
	}
	art := pub(&content.Article{Title: "Harbour reopens"})
	about := pub(&content.Article{Type: content.TypePage, Title: "About us", Template: content.TemplateAbout,
		SEO: &content.SEO{Title: "About the Courier", Description: "Who we are", Canonical: "https://example.org/about/"}})
	team := pub(&content.Article{Type: content.TypePage, Title: "Team", ParentID: about.ID, Template: content.TemplateMasthead})

	t.Run("RoundTrip", func(t *testing.T) {
		got, err := s.FindArticleByID(ctx, team.ID)
		ok(t, err)
		mustEqual(t, "page", team, got)
		got, err = s.FindArticleByID(ctx, about.ID)
		ok(t, err)
		if got.Type != content.TypePage || got.Template != content.TemplateAbout || got.SEO == nil || got.SEO.Title != "About the Courier" {
			t.Fatalf("about = type %q template %q seo %+v", got.Type, got.Template, got.SEO)
		}
		got, err = s.FindArticleByID(ctx, art.ID)
		ok(t, err)
		if got.Type != content.TypeArticle || got.SEO != nil {
			t.Fatalf("article = type %q seo %+v, want article and no SEO", got.Type, got.SEO)
		}
	})

	ids := func(as []*content.Article) map[int64]bool {
		m := map[int64]bool{}
		for _, a := range as {
			m[a.ID] = true
		}
		return m
	}
	top := int64(0)
	tests := []struct {
		name   string
		filter store.ArticleFilter
		want   []int64
		total  int
	}{
		{"DefaultIsArticles", store.ArticleFilter{}, []int64{art.ID}, 1},
		{"PublicListing", store.ArticleFilter{Public: true, Now: base, Language: "en"}, []int64{art.ID}, 1},
		{"AuthorListing", store.ArticleFilter{Public: true, Now: base, Language: "en", AuthorID: ana.ID}, []int64{art.ID}, 1},
		{"TermListing", store.ArticleFilter{Public: true, Now: base, Language: "en", TermID: region.ID}, []int64{art.ID}, 1},
		{"Pages", store.ArticleFilter{Type: content.TypePage}, []int64{about.ID, team.ID}, 2},
		{"Any", store.ArticleFilter{Type: store.AnyType}, []int64{art.ID, about.ID, team.ID}, 3},
		{"ByIDsAnyType", store.ArticleFilter{IDs: []int64{art.ID, team.ID}}, []int64{art.ID, team.ID}, 2},
		{"ByGroupAnyType", store.ArticleFilter{TranslationGroup: about.TranslationGroup}, []int64{about.ID}, 1},
		{"TopLevelPages", store.ArticleFilter{Type: content.TypePage, ParentID: &top}, []int64{about.ID}, 1},
		{"Children", store.ArticleFilter{Type: content.TypePage, ParentID: &about.ID}, []int64{team.ID}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := s.FindArticles(ctx, tt.filter)
			ok(t, err)
			want := map[int64]bool{}
			for _, id := range tt.want {
				want[id] = true
			}
			mustEqual(t, "ids", want, ids(got))
			if total != tt.total {
				t.Fatalf("total = %d, want %d", total, tt.total)
			}
		})
	}

	t.Run("UpdateKeepsPageFields", func(t *testing.T) {
		p, err := s.FindArticleByID(ctx, team.ID)
		ok(t, err)
		p.ParentID, p.Template, p.SEO = 0, content.TemplateContact, &content.SEO{Description: "Write to us"}
		ok(t, s.UpdateArticle(ctx, p, store.ArticleWrite{}))
		got, err := s.FindArticleByID(ctx, team.ID)
		ok(t, err)
		if got.ParentID != 0 || got.Template != content.TemplateContact || got.SEO == nil || got.SEO.Description != "Write to us" {
			t.Fatalf("after update: parent %d template %q seo %+v", got.ParentID, got.Template, got.SEO)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		for _, a := range []*content.Article{
			{Language: "en", Title: "x", Type: "post"},
			{Language: "en", Title: "x", ParentID: about.ID},
			{Language: "en", Title: "x", Type: content.TypePage, Template: "gallery"},
		} {
			wantCode(t, s.CreateArticle(ctx, a, store.ArticleWrite{}), content.EINVALID)
		}
	})
}
