package site_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

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

// englishWords are frequent English words that are not words of the other
// 50 interface languages (so not "is", "of", "to", "in", "a", "die").
var englishWords = regexp.MustCompile(`(?i)\b(the|and|with|that|from|our|which|have|been|were|their|will|about)\b`)

// looksEnglish reports whether a text run reads as English prose: two
// different such words.
func looksEnglish(s string) bool {
	seen := map[string]bool{}
	for _, w := range englishWords.FindAllString(s, -1) {
		seen[strings.ToLower(w)] = true
	}
	return len(seen) >= 2
}

// pageNames are the names a page may show in English whatever its
// language: the publication's name and the people quoted in it.
var pageNames = []string{"The Meridian Review"}

// englishRuns returns the English-looking text runs of the page body whose
// own language (the nearest lang attribute) is not English: text a reader
// of the page language gets without being told it is English.
func englishRuns(t *testing.T, body string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(n *html.Node, lang string)
	walk = func(n *html.Node, lang string) {
		if n.Type == html.ElementNode {
			if n.Data == "script" || n.Data == "style" || n.Data == "head" {
				return
			}
			for _, a := range n.Attr {
				if a.Key == "lang" {
					lang = a.Val
				}
			}
		}
		// lang="" is "unknown" (readers' comments): not checked.
		if n.Type == html.TextNode && lang != "" && !strings.HasPrefix(lang, "en") {
			text := strings.Join(strings.Fields(n.Data), " ")
			for _, name := range pageNames {
				text = strings.ReplaceAll(text, name, "")
			}
			// A URL is no language's prose, whatever words its slug has.
			if looksEnglish(text) && !strings.HasPrefix(text, "http://") && !strings.HasPrefix(text, "https://") {
				out = append(out, lang+": "+text)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, lang)
		}
	}
	walk(doc, "und")
	return out
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
	for _, lang := range i18n.Tags() {
		t.Run(lang, func(t *testing.T) {
			home := "/" + lang + "/"
			if lang == "en" {
				home = "/"
			}
			art, ok := articles[lang]
			if !ok {
				art = "/" + lang + "/the-canal-that-rewrites-a-river/"
			}
			for _, path := range []string{home, art} {
				code, body := get(path)
				if code != http.StatusOK {
					t.Fatalf("GET %s = %d", path, code)
				}
				if lang == "en" {
					continue
				}
				for _, run := range englishRuns(t, body) {
					t.Errorf("%s: English text not marked lang=en: %.120q", path, run)
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
		d.Find(".notices [lang]:not(.license), .author-box [lang], .copyright-line[lang!='" + lang + "'], figcaption [lang]").Each(func(_ int, s *goquery.Selection) {
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
