package search_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"folio/internal/content"
	"folio/internal/search"
)

func facet(res *search.Results, name, value string) int {
	for _, v := range res.Facets[name] {
		if v.Value == value {
			return v.Count
		}
	}
	return 0
}

func TestSearch_Demo(t *testing.T) {
	fx := newFixture(t)
	canal := fx.article(t, "en", "the-canal-that-rewrites-a-river")
	fa := fx.article(t, "fa", "کانالی-که-رودخانه-را-از-نو-می-نویسد")

	t.Run("English", func(t *testing.T) {
		res := fx.search(t, search.Query{Text: "water", Limit: 50})
		got := fx.slugs(t, res)
		if !slices.Contains(got, canal.Slug) || !slices.Contains(got, "after-the-water-sindhs-unfinished-recovery") {
			t.Fatalf("water found %v", got)
		}
		if res.Total != len(got) {
			t.Errorf("total %d, hits %d", res.Total, len(got))
		}
		h := res.Hits[0]
		if !strings.Contains(string(h.Snippet), "<mark>") && !strings.Contains(string(h.Title), "<mark>") {
			t.Errorf("first hit has no highlight: title %q snippet %q", h.Title, h.Snippet)
		}
		if facet(res, search.FacetLanguage, "en") == 0 {
			t.Errorf("no en in language facet: %v", res.Facets[search.FacetLanguage])
		}
		water := termID(canal, content.KindTheme, "water")
		if facet(res, search.FacetTheme, water) == 0 {
			t.Errorf("theme facet lacks water (%s): %v", water, res.Facets[search.FacetTheme])
		}
		if facet(res, search.FacetYear, "2026") == 0 {
			t.Errorf("year facet: %v", res.Facets[search.FacetYear])
		}
		if res.Suggestion != "" {
			t.Errorf("suggestion %q for a known word", res.Suggestion)
		}
	})
	t.Run("Persian", func(t *testing.T) {
		res := fx.search(t, search.Query{Text: "آب"})
		if len(res.Hits) == 0 || res.Hits[0].ID != fa.ID {
			t.Fatalf("آب found %v, want %s first", fx.slugs(t, res), fa.Slug)
		}
		if !strings.Contains(string(res.Hits[0].Snippet), "<mark>آب</mark>") {
			t.Errorf("snippet %q", res.Hits[0].Snippet)
		}
		if res.Hits[0].Language != "fa" || facet(res, search.FacetLanguage, "fa") != 1 {
			t.Errorf("language %q, facet %v", res.Hits[0].Language, res.Facets[search.FacetLanguage])
		}
		region := termID(fa, content.KindRegion, "afghanistan")
		if facet(res, search.FacetRegion, region) != 1 {
			t.Errorf("region facet %v lacks afghanistan %s", res.Facets[search.FacetRegion], region)
		}
	})
	t.Run("Filters", func(t *testing.T) {
		res := fx.search(t, search.Query{Text: "canal", Filters: map[string]string{search.FacetLanguage: "es"}})
		if len(res.Hits) == 0 {
			t.Fatal("no Spanish hit for canal")
		}
		for _, h := range res.Hits {
			if h.Language != "es" {
				t.Errorf("hit %d in %s", h.ID, h.Language)
			}
		}
		dossier := termID(canal, content.KindDossier, "water-wars-of-the-amu-darya")
		res = fx.search(t, search.Query{Filters: map[string]string{search.FacetDossier: dossier}, Limit: 100})
		for _, h := range res.Hits {
			a, _ := fx.db.FindArticleByID(t.Context(), h.ID)
			if termID(a, content.KindDossier, "water-wars-of-the-amu-darya") == "" {
				t.Errorf("%s is not in the dossier", a.Slug)
			}
		}
		if res.Total < 3 {
			t.Errorf("dossier has %d articles", res.Total)
		}
	})
	t.Run("SortAndPages", func(t *testing.T) {
		all := fx.search(t, search.Query{Text: "water", Sort: search.ByDate, Limit: 100})
		for i := 1; i < len(all.Hits); i++ {
			a, _ := fx.db.FindArticleByID(t.Context(), all.Hits[i-1].ID)
			b, _ := fx.db.FindArticleByID(t.Context(), all.Hits[i].ID)
			if a.PublishedAt.Before(b.PublishedAt) {
				t.Errorf("date order: %s before %s", a.Slug, b.Slug)
			}
		}
		p2 := fx.search(t, search.Query{Text: "water", Sort: search.ByDate, Limit: 2, Offset: 2})
		if len(p2.Hits) != 2 || p2.Hits[0].ID != all.Hits[2].ID || p2.Total != all.Total {
			t.Errorf("page 2 = %v, want hits 3-4 of %d", p2.Hits, all.Total)
		}
	})
	t.Run("Phrase", func(t *testing.T) {
		res := fx.search(t, search.Query{Text: `"Qosh Tepa canal"`})
		if res.Total == 0 {
			t.Fatal("phrase found nothing")
		}
		none := fx.search(t, search.Query{Text: `"canal Tepa Qosh"`})
		if none.Total != 0 {
			t.Errorf("reversed phrase found %d", none.Total)
		}
	})
	t.Run("DidYouMean", func(t *testing.T) {
		res := fx.search(t, search.Query{Text: "glaciars"})
		if res.Suggestion != "glaciers" {
			t.Errorf("suggestion %q, want glaciers", res.Suggestion)
		}
		res = fx.search(t, search.Query{Text: "Rogun dma"})
		if res.Suggestion != "rogun dam" {
			t.Errorf("suggestion %q, want rogun dam", res.Suggestion)
		}
	})
	t.Run("BadQuery", func(t *testing.T) {
		for _, q := range []search.Query{
			{Text: strings.Repeat("x", search.MaxQuery+1)},
			{Text: "x", Sort: "popular"},
			{Text: "x", Limit: 1000},
			{Text: "x", Filters: map[string]string{"colour": "red"}},
		} {
			_, err := fx.idx.Search(t.Context(), q)
			if content.ErrorCode(err) != content.EINVALID {
				t.Errorf("%+v: err %v, want invalid", q, err)
			}
		}
	})
	t.Run("Empty", func(t *testing.T) {
		if res := fx.search(t, search.Query{}); res.Total != 0 {
			t.Errorf("empty query found %d", res.Total)
		}
	})
	t.Run("Escaped", func(t *testing.T) {
		// Titles and snippets are HTML; article text must come out escaped.
		a := &content.Article{Language: "en", Title: "Zanzibar <script>alert(1)</script> & co",
			BodyMarkdown: "Zanzibar text with <b>tags</b> & ampersands.", Status: content.StatusPublished, Authors: canal.Authors}
		if err := fx.ed.CreateArticle(t.Context(), a); err != nil {
			t.Fatal(err)
		}
		fx.sync(t)
		res := fx.search(t, search.Query{Text: "zanzibar"})
		if len(res.Hits) != 1 {
			t.Fatalf("hits %d", len(res.Hits))
		}
		for _, s := range []string{string(res.Hits[0].Title), string(res.Hits[0].Snippet)} {
			if strings.Contains(s, "<script") || strings.Contains(s, "<b>") {
				t.Errorf("unescaped: %q", s)
			}
		}
	})
}

func termID(a *content.Article, k content.TermKind, slug string) string {
	for _, t := range a.TermsOf(k) {
		if t.Slug == slug {
			return strconv.FormatInt(t.ID, 10)
		}
	}
	return ""
}
