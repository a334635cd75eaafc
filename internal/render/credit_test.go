package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"folio/internal/content"
	"folio/internal/i18n"
)

// TestArticlePage_CreditLabel checks the label before an image credit: from
// the credit type, in the page language, never added to a credit that is
// labelled already and never doubled ("Photo: Illustration: …").
func TestArticlePage_CreditLabel(t *testing.T) {
	r := mustNew(t, Options{})
	tests := []struct {
		lang, credit string
		typ          content.CreditType
		want         string
	}{
		{"en", "Ahmad Rahimi", "", "Photo: Ahmad Rahimi"},
		{"en", "Ana Ruiz", content.CreditIllustration, "Illustration: Ana Ruiz"},
		{"en", "Illustration: Ana Ruiz", "", "Illustration: Ana Ruiz"},
		{"en", "Source: UN Water", "", "Source: UN Water"},
		{"en", "Meridian desk", content.CreditChart, "Chart: Meridian desk"},
		{"es", "Illustration: Ana Ruiz", "", "Ilustración: Ana Ruiz"},
		{"es", "Ana Ruiz", content.CreditVideo, "Vídeo: Ana Ruiz"},
		{"fa", "Ahmad Rahimi", content.CreditPhoto, "عکس: Ahmad Rahimi"},
		{"fa", "Illustration: Ana Ruiz", "", "تصویرسازی: Ana Ruiz"},
	}
	for _, tt := range tests {
		f := newFixture(t)
		f.article.Image.Credit, f.article.Image.CreditType = tt.credit, tt.typ
		f.article.Language = tt.lang
		v := NewArticleView(f.site, f.article, nil, nil)
		page := render(t, func(b *bytes.Buffer) error { return r.Article(b, v) })
		credit := doc(t, page).Find("figure figcaption .credit")
		if got := strings.TrimSpace(credit.Text()); got != tt.want {
			t.Errorf("%s %q (%q): credit = %q, want %q", tt.lang, tt.credit, tt.typ, got, tt.want)
		}
		// The name keeps its own direction inside the label's sentence.
		if credit.Find("bdi").Length() != 1 {
			t.Errorf("%s %q: credit name not in <bdi>", tt.lang, tt.credit)
		}
	}
}

// TestArticlePage_CreditLabelInOriginal checks the credit of an original
// shown in place of a missing translation: the figure is the original's
// (marked English), its label the page's (Persian), marked so its colon
// lands on the right side.
func TestArticlePage_CreditLabelInOriginal(t *testing.T) {
	r := mustNew(t, Options{})
	f := newFixture(t)
	f.article.Image.CreditType = content.CreditIllustration
	s := f.site
	s.Lang = "fa"
	v := NewArticleViewWith(s, f.article, nil, nil, ArticleOptions{Unavailable: true})
	page := render(t, func(b *bytes.Buffer) error { return r.Article(b, v) })
	d := doc(t, page)
	if d.Find("article.article").AttrOr("lang", "") != "en" {
		t.Fatal("the original is not marked English")
	}
	label := d.Find("figcaption .credit > span[lang]")
	if label.Text() != "تصویرسازی: " || label.AttrOr("lang", "") != "fa" || label.AttrOr("dir", "") != "rtl" {
		t.Errorf("credit label %q lang=%q dir=%q", label.Text(), label.AttrOr("lang", ""), label.AttrOr("dir", ""))
	}
	if got := d.Find("figcaption .credit bdi").Text(); got != "Ahmad Rahimi" {
		t.Errorf("credit name %q", got)
	}
}

// TestLicenseSummaries checks that every license Folio knows has its
// summary in every catalog, that the English one is the summary the API
// and feeds carry, and that a page shows it in its own language with only
// the license's legal name marked as English.
func TestLicenseSummaries(t *testing.T) {
	if err := i18n.Load(); err != nil {
		t.Fatal(err)
	}
	for _, lic := range content.Licenses {
		key := "license.summary." + lic.Code
		if got, _ := i18n.For("en").Raw(key); got != lic.Summary {
			t.Errorf("%s: English catalog %q, content.Licenses %q", key, got, lic.Summary)
		}
		for _, tag := range i18n.Tags() {
			if got, ok := i18n.For(tag).Raw(key); !ok || got == "" {
				t.Errorf("%s: no %s", tag, key)
			}
		}
	}
	r := mustNew(t, Options{})
	f := newFixture(t)
	f.settings.DefaultLicense = content.LicenseCCBYNC
	f.article.Language = "es"
	page := render(t, func(b *bytes.Buffer) error { return r.Article(b, NewArticleView(f.site, f.article, nil, nil)) })
	lic := doc(t, page).Find(".notices .license")
	if lic.AttrOr("lang", "") != "" {
		t.Errorf("summary marked lang=%q on a Spanish page", lic.AttrOr("lang", ""))
	}
	if got := lic.Text(); !strings.HasPrefix(got, "Puede compartir y adaptar este artículo con fines no comerciales") {
		t.Errorf("summary = %q", got)
	}
	name := lic.Find("a[rel=license]")
	if name.Text() != "Creative Commons Attribution-NonCommercial 4.0" || name.AttrOr("lang", "") != "en" || name.AttrOr("dir", "") != "ltr" {
		t.Errorf("license name %q lang=%q dir=%q", name.Text(), name.AttrOr("lang", ""), name.AttrOr("dir", ""))
	}
	// A custom license's own wording is the site's, in its default language.
	f.settings.DefaultLicense = content.LicenseCustom
	f.settings.CustomLicense = content.CustomLicense{Name: "Meridian reuse terms", Text: "Reuse with credit.", URL: "https://meridian.example/terms/"}
	page = render(t, func(b *bytes.Buffer) error { return r.Article(b, NewArticleView(f.site, f.article, nil, nil)) })
	lic = doc(t, page).Find(".notices .license")
	if lic.AttrOr("lang", "") != "en" || !strings.HasPrefix(lic.Text(), "Reuse with credit.") {
		t.Errorf("custom summary %q lang=%q, want the site's English text marked en", lic.Text(), lic.AttrOr("lang", ""))
	}
}

// TestTermNames_Fallback checks that a term's name not translated into the
// page language is marked with the language it is stored in, wherever it
// is shown (archive heading, article kicker and tag list), and a
// translated one is not.
func TestTermNames_Fallback(t *testing.T) {
	r := mustNew(t, Options{})
	f := newFixture(t)
	s := f.site
	s.Lang = "fa"
	for _, tt := range []struct {
		term *content.Term
		lang string
	}{{f.water, "en"}, {f.asia, ""}} {
		page := render(t, func(b *bytes.Buffer) error { return r.Archive(b, NewTermArchiveView(s, tt.term, nil, 1, 1)) })
		h := doc(t, page).Find("h1.archive__heading")
		if h.AttrOr("lang", "") != tt.lang || (tt.lang != "" && h.AttrOr("dir", "") != "ltr") {
			t.Errorf("%s archive heading %q: lang=%q dir=%q, want lang=%q", tt.term.Slug, h.Text(), h.AttrOr("lang", ""), h.AttrOr("dir", ""), tt.lang)
		}
	}
	f.fa.Terms = []*content.Term{f.asia, f.water, f.tag}
	page := render(t, func(b *bytes.Buffer) error { return r.Article(b, NewArticleView(s, f.fa, nil, nil)) })
	d := doc(t, page)
	for name, want := range map[string]string{"آسیای مرکزی": "", "Water": "en", "Qosh Tepa": "en"} {
		found := false
		d.Find(".kicker a, a[rel=tag]").Each(func(_ int, a *goquery.Selection) {
			if a.Text() != name {
				return
			}
			found = true
			if a.AttrOr("lang", "") != want {
				t.Errorf("term link %q: lang=%q, want %q", name, a.AttrOr("lang", ""), want)
			}
		})
		if !found {
			t.Errorf("no link to term %q", name)
		}
	}
}
