package site_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"folio/internal/content"
	"folio/internal/i18n"
)

func mustDoc(t *testing.T, h http.Handler, path string) *goquery.Document {
	t.Helper()
	w := get(h, path)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, w.Code)
	}
	d, err := goquery.NewDocumentFromReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (f *fixture) publish(t *testing.T, a *content.Article) *content.Article {
	t.Helper()
	a.Status = content.StatusPublished
	if a.PublishedAt.IsZero() {
		a.PublishedAt = fixedNow.Add(-time.Hour)
	}
	if a.BodyMarkdown == "" {
		a.BodyMarkdown = "Body of *" + a.Title + "*."
	}
	if len(a.Authors) == 0 {
		a.Authors = f.authors[:2]
	}
	if err := f.svc.System("test").CreateArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestLanguageHomes checks that every interface language has a home page
// in its own language and direction, even with nothing published in it.
func TestLanguageHomes(t *testing.T) {
	f := newFixture(t)
	f.publish(t, &content.Article{Language: "en", Title: "Water and power"})
	for _, l := range i18n.Languages {
		path := "/" + l.Tag + "/"
		if l.Tag == "en" {
			path = "/"
		}
		d := mustDoc(t, f.cached, path)
		html := d.Find("html")
		if got := html.AttrOr("lang", ""); got != l.Tag {
			t.Errorf("%s: lang=%q", path, got)
		}
		if got := html.AttrOr("dir", ""); got != l.Dir {
			t.Errorf("%s: dir=%q, want %s", path, got, l.Dir)
		}
		if got, want := d.Find(".skip-link").Text(), i18n.For(l.Tag).T("skip_link"); got != want || (l.Tag != "en" && got == "Skip to content") {
			t.Errorf("%s: skip link %q, want %q", path, got, want)
		}
		if n := d.Find(".lang-menu a[hreflang][lang]").Length(); n != 51 {
			t.Errorf("%s: language menu has %d links", path, n)
		}
		if d.Find(".card").Length() == 0 {
			t.Errorf("%s: no articles shown", path)
		}
		if l.Tag != "en" && d.Find(".card .card__lang").Length() == 0 {
			t.Errorf("%s: default-language card without a language note", path)
		}
		if n := d.Find(`head link[rel=alternate][hreflang]`).Length(); n != 52 {
			t.Errorf("%s: %d hreflang links, want 51 + x-default", path, n)
		}
	}
}

// TestHreflang_TranslationGroup checks that every member of a translation
// group links to every member, itself included, with absolute URLs and one
// x-default, so the links are reciprocal.
func TestHreflang_TranslationGroup(t *testing.T) {
	f := newFixture(t)
	en := f.publish(t, &content.Article{Language: "en", Title: "Dams on the Amu Darya", Slug: "dams"})
	es := f.publish(t, &content.Article{Language: "es", Title: "Presas en el Amu Daria", Slug: "presas", TranslationGroup: en.ID})
	fa := f.publish(t, &content.Article{Language: "fa", Title: "سدهای آمودریا", Slug: "sadha", TranslationGroup: en.ID})
	want := map[string]string{
		"en":        "https://review.example/dams/",
		"es":        "https://review.example/es/presas/",
		"fa":        "https://review.example/fa/sadha/",
		"x-default": "https://review.example/dams/",
	}
	for _, a := range []*content.Article{en, es, fa} {
		path := strings.TrimPrefix(want[a.Language], "https://review.example")
		d := mustDoc(t, f.cached, path)
		got := map[string]string{}
		d.Find("head link[rel=alternate][hreflang]").Each(func(_ int, s *goquery.Selection) {
			hl := s.AttrOr("hreflang", "")
			if _, dup := got[hl]; dup {
				t.Errorf("%s: hreflang %s twice", path, hl)
			}
			got[hl] = s.AttrOr("href", "")
		})
		if len(got) != len(want) {
			t.Errorf("%s: alternates %v, want %v", path, got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: hreflang %s = %q, want %q", path, k, got[k], v)
			}
		}
		if c := d.Find("link[rel=canonical]").AttrOr("href", ""); c != want[a.Language] {
			t.Errorf("%s: canonical %q", path, c)
		}
		if d.Find("html").AttrOr("lang", "") != a.Language {
			t.Errorf("%s: html lang %q", path, d.Find("html").AttrOr("lang", ""))
		}
		if n := d.Find(".translations a[hreflang]").Length(); n != 2 {
			t.Errorf("%s: lists %d translations, want 2", path, n)
		}
		// The language menu leads to the translations where they exist.
		if href := d.Find(`.lang-menu a[hreflang=es]`).AttrOr("href", ""); href != "/es/presas/" {
			t.Errorf("%s: menu es link %q", path, href)
		}
	}
	// Sitemap entries carry the same alternates.
	w := get(f.cached, "/sitemap-1.xml")
	if body := w.Body.String(); !strings.Contains(body, `hreflang="es" href="https://review.example/es/presas/"`) {
		t.Errorf("sitemap lacks xhtml:link alternates:\n%s", body)
	}
}

// TestArticle_NotAvailableInLanguage checks /{lang}/{slug}/ of an article
// that exists only in another language: the original in the chosen
// interface, with a notice, canonical on the original.
func TestArticle_NotAvailableInLanguage(t *testing.T) {
	f := newFixture(t)
	f.publish(t, &content.Article{Language: "en", Title: "Water and power", Slug: "water"})
	d := mustDoc(t, f.cached, "/de/water/")
	if d.Find("html").AttrOr("lang", "") != "de" {
		t.Errorf("html lang = %q", d.Find("html").AttrOr("lang", ""))
	}
	if got := d.Find("article.article").AttrOr("lang", ""); got != "en" {
		t.Errorf("article lang = %q, want en", got)
	}
	want := i18n.For("de").T("translation.unavailable", "language", "Deutsch")
	if got := strings.TrimSpace(d.Find(".translation-unavailable").Text()); got != want {
		t.Errorf("notice = %q, want %q", got, want)
	}
	if c := d.Find("link[rel=canonical]").AttrOr("href", ""); c != "https://review.example/water/" {
		t.Errorf("canonical = %q", c)
	}
	if d.Find(".skip-link").Text() != "Zum Inhalt springen" {
		t.Errorf("skip link = %q", d.Find(".skip-link").Text())
	}
	if w := get(f.cached, "/de/no-such-article/"); w.Code != http.StatusNotFound {
		t.Errorf("missing article: %d", w.Code)
	}
}

// TestArticle_MachineTranslation checks the label, language tag, robots and
// sitemap handling of an unreviewed machine translation.
func TestArticle_MachineTranslation(t *testing.T) {
	f := newFixture(t)
	en := f.publish(t, &content.Article{Language: "en", Title: "Dams on the Amu Darya", Slug: "dams"})
	es := f.publish(t, &content.Article{Language: "es", Title: "Presas en el Amu Daria", Slug: "presas", TranslationGroup: en.ID,
		Translation: &content.TranslationInfo{SourceID: en.ID, SourceLang: "en", Machine: true, Provider: "apertium"}})
	got, err := f.st.FindArticleByID(context.Background(), es.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Translation == nil || !got.Translation.Machine {
		t.Skip("the store does not keep TranslationInfo yet")
	}
	d := mustDoc(t, f.cached, "/es/presas/")
	if l := d.Find("article.article").AttrOr("lang", ""); l != "es-x-mtfrom-en" {
		t.Errorf("article lang = %q", l)
	}
	if d.Find(`meta[name=robots]`).AttrOr("content", "") != "noindex" {
		t.Error("no robots noindex")
	}
	if d.Find(`meta[property="og:locale"]`).AttrOr("content", "") != "es-x-mtfrom-en" {
		t.Error("og:locale is not the machine-translation tag")
	}
	if !strings.Contains(d.Find(`script[type="application/ld+json"]`).Text(), `"inLanguage":"es-x-mtfrom-en"`) {
		t.Error("JSON-LD inLanguage is not the machine-translation tag")
	}
	n := d.Find(".machine-translation")
	if !strings.Contains(n.Text(), "Traducción automática del inglés") || n.Find("a").AttrOr("href", "") != "/dams/" {
		t.Errorf("label = %q -> %q", n.Text(), n.Find("a").AttrOr("href", ""))
	}
	// The original does not point search engines at the noindexed page.
	od := mustDoc(t, f.cached, "/dams/")
	if od.Find(`head link[hreflang=es]`).Length() != 0 {
		t.Error("original lists the unreviewed machine translation as an alternate")
	}
	if body := get(f.cached, "/sitemap-1.xml").Body.String(); strings.Contains(body, "/es/presas/") {
		t.Error("sitemap lists the unreviewed machine translation")
	}
}
