package site_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"folio/internal/demo"
	"folio/internal/editorial"
	"folio/internal/i18n"
	"folio/internal/render"
	"folio/internal/seed"
	"folio/internal/site"
	"folio/internal/store/sqlite/sqlitetest"
)

// demoHandler serves the seeded demo publication.
func demoHandler(t *testing.T) http.Handler {
	t.Helper()
	st := sqlitetest.New(t)
	svc := editorial.New(st)
	ds, err := demo.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Demo(context.Background(), svc, t.TempDir(), ds); err != nil {
		t.Fatal(err)
	}
	rnd, err := render.New(render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	site.New(site.Config{Store: st, Renderer: rnd, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}).Register(mux)
	return mux
}

// pageExceptions are the English texts each kind of page may show
// unmarked in any language: names, the same in every language (the
// publication, its authors, the networks it links to). They are listed per
// page, not per language, so no language can hide a missing translation
// here. On an article page the title of an original shown in place of a
// missing translation stands in the document's <title>, which cannot mark
// its language.
var pageExceptions = map[string][]string{
	"home": {"The Meridian Review", "Amina Karimova", "Farhad Nazari", "Ingrid Solvang", "Lena Vogt", "Zarmina Haqyar",
		"RSS", "Atom"},
	"article": {"The Meridian Review", "Zarmina Haqyar", "Ingrid Solvang", "The Canal That Rewrites a River",
		"Amina Karimova", "Farhad Nazari", "Lena Vogt", "Jonas Becker", // readers who comment
		"RSS", "Atom", "Facebook", "LinkedIn", "Reddit", "Telegram", "WhatsApp"},
}

// TestPages_NoUnmarkedEnglish reads the home page and one article in each
// of the 51 languages of the demo: English text (a notice not translated
// yet, the original of a missing translation) may appear only marked with
// its own lang, so screen readers and the bidi algorithm treat it as
// English. On fa and ps, which the demo localizes fully, the article's
// notices, bios, credits and copyright line must not fall back at all.
func TestPages_NoUnmarkedEnglish(t *testing.T) {
	h := demoHandler(t)
	get := func(path string) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Code, rec.Body.String()
	}
	articles := map[string]string{
		"fa": "/fa/" + url.PathEscape("کانالی-که-رودخانه-را-از-نو-می-نویسد") + "/",
		"ps": "/ps/" + url.PathEscape("هغه-کانال-چې-یو-سیند-له-سره-لیکي") + "/",
		"es": "/es/el-canal-que-reescribe-un-rio/",
		"en": "/the-canal-that-rewrites-a-river/",
	}
	// The English texts of the site, once: the English home page and the
	// English original of the article every language shows.
	_, enHome := get("/")
	_, enArticle := get(articles["en"])
	checker := newEnglishChecker(t, enHome, enArticle)
	ds, err := demo.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, term := range ds.Terms {
		for lang, name := range term.Names {
			checker.addNative(lang, name)
		}
	}
	for _, lang := range i18n.Tags() {
		if lang == "en" {
			continue
		}
		t.Run(lang, func(t *testing.T) {
			home := "/" + lang + "/"
			art, ok := articles[lang]
			if !ok {
				art = "/" + lang + "/the-canal-that-rewrites-a-river/"
			}
			for _, p := range []struct{ kind, path string }{{"home", home}, {"article", art}} {
				code, body := get(p.path)
				if code != http.StatusOK {
					t.Fatalf("GET %s = %d", p.path, code)
				}
				for _, run := range checker.unmarked(t, lang, body, pageExceptions[p.kind]) {
					t.Errorf("%s: English not marked lang=en: %.140s", p.path, run)
				}
				_, noDir := pageTexts(t, body)
				for _, el := range noDir {
					t.Errorf("%s: lang without dir: %.100s", p.path, el)
				}
			}
		})
	}
	for _, lang := range []string{"fa", "ps"} {
		_, body := get(articles[lang])
		d, err := goquery.NewDocumentFromReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		// The license summary is English for now (content.Licenses).
		d.Find(".notices [lang]:not(.license), .author-box p[lang], .author-box__name [lang], .copyright-line[lang!='" + lang + "'], figcaption [lang]").Each(func(_ int, s *goquery.Selection) {
			t.Errorf("%s article: %s falls back to %s: %.80q", lang, goquery.NodeName(s), s.AttrOr("lang", ""), s.Text())
		})
		for _, sel := range []string{".notice-disclaimer", ".notice-membership", ".author-box", ".copyright-line", "figcaption .credit", "time"} {
			if d.Find(sel).Length() == 0 {
				t.Errorf("%s article lacks %s", lang, sel)
			}
		}
	}
	// /ja/ is honest: nothing in Japanese yet, the English cards marked.
	_, body := get("/ja/")
	if !strings.Contains(body, "日本語の記事はまだありません") {
		t.Error("/ja/ does not say there is nothing in Japanese yet")
	}
	// The unreviewed Spanish machine translation stays off /es/.
	_, body = get("/es/")
	if strings.Contains(body, "Qué el Pamir los glaciares") {
		t.Error("/es/ lists an unreviewed machine translation")
	}
	code, body := get("/es/what-the-pamir-glaciers-are-telling-the-amu-darya/")
	if code != http.StatusOK || !strings.Contains(body, "noindex") || !strings.Contains(body, "machine-translation") {
		t.Errorf("the held machine translation at its own address: %d, labelled and noindexed?", code)
	}
}
