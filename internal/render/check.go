package render

import (
	"fmt"
	"io"
	"net/url"
	"time"

	"folio/internal/content"
	"folio/internal/urls"
)

// selfCheck renders every view once with a sample that fills every field, so
// a theme referring to a missing template or field fails at New rather than
// on a reader's request.
func (r *Renderer) selfCheck() error {
	st := content.DefaultSettings()
	st.LogoURL = "https://example.org/logo.png"
	st.ContactEmail = "desk@example.org"
	st.SocialLinks = []content.Link{{Label: "Mastodon", URL: "https://example.org/@desk"}}
	st.Languages = []string{"en", "fa"}
	st.DefaultLicense = content.LicenseCommunity
	st.Notices = content.Notices{NoteToReaders: "n", RepublishingPolicy: "r", Disclaimer: "d",
		FairUse: "f", MediaContact: "m", MembershipCall: "c"}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	region := &content.Term{ID: 1, Kind: content.KindRegion, Name: "Region", Slug: "region-x", Description: "d"}
	dossier := &content.Term{ID: 2, Kind: content.KindDossier, Name: "Dossier", Slug: "dossier-x", Active: true, Description: "d"}
	au := &content.Author{ID: 1, Name: "A", Slug: "a", Bio: "b", PhotoURL: "https://example.org/a.jpg",
		Links: []content.Link{{Label: "Site", URL: "https://example.org/"}}}
	a := &content.Article{ID: 1, Language: "en", Title: "T", Deck: "D", Slug: "t", BodyHTML: "<p>x</p>",
		Status: content.StatusPublished, PublishedAt: now, UpdatedAt: now.Add(time.Hour),
		Image:   &content.Image{URL: "/media/a.jpg", Alt: "a", Caption: "c", Credit: "c", CreditURL: "https://example.org/", Width: 10, Height: 10},
		Authors: []*content.Author{au, {ID: 2, Name: "B", Slug: "b"}}, Terms: []*content.Term{region, dossier},
		SourceURL: "https://example.org/src", SourceName: "Src",
		Corrections: []*content.Correction{{ID: 1, ArticleID: 1, Kind: content.CorrectionKind, Text: "c", Position: content.PositionTop, At: now},
			{ID: 2, ArticleID: 1, Kind: content.UpdateKind, Text: "u", Position: content.PositionBottom, At: now}}}
	fa := *a
	fa.ID, fa.Language, fa.Slug = 2, "fa", "t-fa"
	s := Site{Settings: &st, URLs: urls.New(&st), Lang: "en", Now: now, Search: true}.WithNav([]*content.Term{region})
	arts := []*content.Article{a}
	checks := []struct {
		name string
		fn   func(io.Writer) error
	}{
		{"home", func(w io.Writer) error {
			return r.Home(w, NewHomeView(s, arts, arts, []DossierBlock{{Term: dossier, Articles: arts}}, 2, 3))
		}},
		{"article", func(w io.Writer) error { return r.Article(w, NewArticleView(s, a, arts, []*content.Article{&fa})) }},
		{"archive", func(w io.Writer) error { return r.Archive(w, NewAuthorArchiveView(s, au, arts, 2, 3)) }},
		{"archive", func(w io.Writer) error { return r.Archive(w, NewTermArchiveView(s, region, arts, 1, 1)) }},
		{"error", func(w io.Writer) error { return r.Error(w, NewErrorView(s, 404)) }},
		{"page", func(w io.Writer) error {
			p := *a
			p.Type, p.Template, p.ParentID = content.TypePage, content.TemplateCorrections, 1
			p.SEO = &content.SEO{Title: "S", Description: "d", ImageURL: "/media/s.jpg", Canonical: "https://example.org/c"}
			log := s.CorrectionLog([]*content.Correction{{ArticleID: 1, Kind: content.UpdateKind, Text: "t", At: now}},
				map[int64]*content.Article{1: a})
			return r.Page(w, NewPageView(s, &p, PageOptions{Parents: arts, Children: arts, Translations: []*content.Article{&fa},
				Staff: []*content.Author{au}, Corrections: log}))
		}},
		{"search", func(w io.Writer) error { return r.Search(w, NewSearchView(s, sampleSearch(a))) }},
	}
	for _, c := range checks {
		if err := c.fn(io.Discard); err != nil {
			return fmt.Errorf("render: sample %s page: %w", c.name, err)
		}
	}
	return nil
}

func sampleSearch(a *content.Article) SearchInput {
	return SearchInput{Query: "q", Sort: "date", Filters: url.Values{"region": {"region-x"}}, Page: 2, TotalPages: 3, Total: 21,
		Hits:       []SearchResult{{Article: a, Title: "<mark>T</mark>", Snippet: "x <mark>q</mark>"}, {Article: a}},
		Facets:     []SearchFacet{{Param: "region", Values: []SearchFacetValue{{Value: "region-x", Name: "Region", Count: 2}}}, {Param: "language", Values: []SearchFacetValue{{Value: "fa", Name: "فارسی", Count: 1}}}},
		Suggestion: "r", Invalid: "i"}
}
