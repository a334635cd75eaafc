package render

import (
	"bytes"
	"encoding/xml"
	"net/url"
	"strings"
	"testing"

	"folio/internal/content"
)

func TestSearchPage(t *testing.T) {
	f := newFixture(t)
	r := mustNew(t, Options{})
	s := f.site.WithNav([]*content.Term{f.asia})
	s.Search = true
	in := SearchInput{Query: "water <b>", Sort: "date", Filters: url.Values{"region": {"central-asia"}}, Page: 2, TotalPages: 3, Total: 25,
		Hits: []SearchResult{{Article: f.article, Title: "The <mark>water</mark>", Snippet: "…of <mark>water</mark> &amp; dams…"},
			{Article: f.fa}},
		Facets: []SearchFacet{{Param: "region", Values: []SearchFacetValue{{Value: "central-asia", Name: "Central Asia", Count: 3}, {Value: "iran", Name: "Iran", Count: 1}}},
			{Param: "language", Values: []SearchFacetValue{{Value: "fa", Name: "فارسی", Count: 1}}}},
		Suggestion: "waters"}

	t.Run("OK", func(t *testing.T) {
		page := render(t, func(b *bytes.Buffer) error { return r.Search(b, NewSearchView(s, in)) })
		checkHTML(t, page)
		d := doc(t, page)
		if attr(t, d, "meta[name=robots]", "content") != "noindex" || d.Find("link[rel=canonical]").Length() != 0 {
			t.Error("search page must be noindex without canonical")
		}
		if got := d.Find("#search-q").AttrOr("value", ""); got != "water <b>" {
			t.Errorf("query field = %q", got)
		}
		if strings.Contains(page, "water <b>") {
			t.Error("query not escaped")
		}
		if d.Find(".search-hit").Length() != 2 || d.Find(".search-hit__title mark").Text() != "water" {
			t.Errorf("hits: %d, title mark %q", d.Find(".search-hit").Length(), d.Find(".search-hit__title mark").Text())
		}
		if fa := d.Find(".search-hit[lang=fa]"); fa.AttrOr("dir", "") != "rtl" {
			t.Error("Persian hit not marked rtl")
		}
		if d.Find(".search-hit").Eq(1).Find(".search-hit__snippet").Text() == "" {
			t.Error("a hit without snippet shows no summary")
		}
		// Facet links keep the query, sort and other filters; the selected
		// value's link removes it.
		sel := d.Find(".facet a[aria-current=true]")
		if sel.Text() != "Central Asia" || sel.AttrOr("href", "") != "/search/?q=water+%3Cb%3E&sort=date" {
			t.Errorf("selected facet %q → %q", sel.Text(), sel.AttrOr("href", ""))
		}
		if href := d.Find(".facet a[lang=fa]").AttrOr("href", ""); href != "/search/?language=fa&q=water+%3Cb%3E&region=central-asia&sort=date" {
			t.Errorf("language facet → %q", href)
		}
		if d.Find("input[type=hidden][name=region][value=central-asia]").Length() != 1 {
			t.Error("active filter not kept in the form")
		}
		if href := d.Find(".search__suggestion a").AttrOr("href", ""); href != "/search/?q=waters&region=central-asia&sort=date" {
			t.Errorf("suggestion → %q", href)
		}
		if prev := d.Find(".pagination__prev").AttrOr("href", ""); prev != "/search/?q=water+%3Cb%3E&region=central-asia&sort=date" {
			t.Errorf("prev → %q", prev)
		}
		if next := d.Find(".pagination__next").AttrOr("href", ""); !strings.Contains(next, "page=3") {
			t.Errorf("next → %q", next)
		}
		if d.Find("header .site-search[action='/search/'] input[name=q]").Length() != 1 {
			t.Error("no search form in the header")
		}
		if attr(t, d, "link[rel=search]", "href") != "/opensearch.xml" {
			t.Error("no OpenSearch link")
		}
	})
	t.Run("RTL", func(t *testing.T) {
		fa := s
		fa.Lang = "fa"
		page := render(t, func(b *bytes.Buffer) error { return r.Search(b, NewSearchView(fa, in)) })
		checkHTML(t, page)
		d := doc(t, page)
		if d.Find("html").AttrOr("dir", "") != "rtl" || d.Find("h1").Text() != "جست‌وجو" {
			t.Errorf("dir %q, h1 %q", d.Find("html").AttrOr("dir", ""), d.Find("h1").Text())
		}
		if d.Find("form.search-form").AttrOr("action", "") != "/fa/search/" {
			t.Error("Persian page searches elsewhere")
		}
		if en := d.Find(".search-hit[lang=en]"); en.AttrOr("dir", "") != "ltr" {
			t.Error("English hit on a Persian page not marked ltr")
		}
	})
	t.Run("NoSearch", func(t *testing.T) {
		page := render(t, func(b *bytes.Buffer) error { return r.Home(b, NewHomeView(f.site, nil, nil, nil, 1, 1)) })
		if strings.Contains(page, "site-search") || strings.Contains(page, "opensearch") {
			t.Error("a site without search shows a search form")
		}
	})
	t.Run("OpenSearch", func(t *testing.T) {
		var b bytes.Buffer
		if err := OpenSearch(&b, s); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			ShortName string `xml:"ShortName"`
			URL       []struct {
				Type     string `xml:"type,attr"`
				Template string `xml:"template,attr"`
			} `xml:"Url"`
		}
		if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if len([]rune(doc.ShortName)) > 16 || len(doc.URL) != 1 || doc.URL[0].Template != "https://meridian.example/search/?q={searchTerms}" {
			t.Errorf("opensearch = %s", b.String())
		}
	})
}
