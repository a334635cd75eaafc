package site_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"folio/internal/demo"
	"folio/internal/i18n"
)

// TestDemo_HomeSpeaksEachLanguage reads the demo's home page in each of the
// 51 interface languages, as seeded through the editorial service: the
// publication's name, tagline, banner and footer menu are the demo's own
// texts in that language (data/l10n), and none of them is marked as a
// fallback to another language.
func TestDemo_HomeSpeaksEachLanguage(t *testing.T) {
	h := demoHandler(t)
	ds, err := demo.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := ds.Settings
	for _, lang := range i18n.Tags() {
		t.Run(lang, func(t *testing.T) {
			path := "/" + lang + "/"
			if lang == s.DefaultLanguage {
				path = "/"
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s = %d", path, rec.Code)
			}
			d, err := goquery.NewDocumentFromReader(rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			want := func(field string) string {
				if lang == s.DefaultLanguage {
					v, _ := s.SettingsField(field)
					return v
				}
				return s.Translations[lang][field]
			}
			if got := strings.TrimSpace(d.Find(".site-footer__title").Text()); got != want("title") {
				t.Errorf("footer title = %q, want %q", got, want("title"))
			}
			banner := d.Find(".site-banner p")
			if got := strings.TrimSpace(banner.Text()); got != want("banner.text") {
				t.Errorf("banner = %q, want %q", got, want("banner.text"))
			}
			if l, ok := banner.Attr("lang"); ok && l != lang {
				t.Errorf("banner is marked lang=%q: a fallback", l)
			}
			if !strings.Contains(d.Find("header").Text(), want("tagline")) {
				t.Errorf("header lacks the tagline %q", want("tagline"))
			}
			menu := s.Menus[lang].Footer
			links := d.Find(".site-footer__menu a")
			if links.Length() != len(menu) || len(menu) == 0 {
				t.Fatalf("footer menu has %d links, want %d", links.Length(), len(menu))
			}
			links.Each(func(i int, a *goquery.Selection) {
				if got := strings.TrimSpace(a.Text()); got != menu[i].Label {
					t.Errorf("footer menu item %d = %q, want %q", i+1, got, menu[i].Label)
				}
			})
		})
	}
}
