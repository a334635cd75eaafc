package render

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/render/markdown"
	"folio/internal/urls"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// now is the fixed clock of every fixture.
var now = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

type fixture struct {
	settings              *content.Settings
	site                  Site
	leyla, omar           *content.Author
	asia, water, amu, tag *content.Term
	article, second, fa   *content.Article
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	st := content.DefaultSettings()
	st.Title = "The Meridian Review"
	st.Tagline = "Independent analysis from Central Asia and beyond"
	st.Description = "Analysis and reporting on politics, water and rights."
	st.BaseURL = "https://meridian.example"
	st.Languages = []string{"en", "fa", "ru"}
	st.TimeZone = "Asia/Kabul" // +04:30: 29 November 23:00 UTC is 30 November there
	st.DefaultLicense = content.LicenseCommunity
	st.LogoURL = "https://meridian.example/media/logo.png"
	st.ContactEmail = "desk@meridian.example"
	st.SocialLinks = []content.Link{{Label: "Mastodon", URL: "https://social.example/@meridian"}}
	st.Notices = content.Notices{
		NoteToReaders:      "We correct our errors openly. Write to *corrections@meridian.example*.",
		RepublishingPolicy: "Community sites may republish this article **unchanged**, with the copyright line and a link to the original.",
		Disclaimer:         "Views expressed are the authors' own.",
		FairUse:            "This article may contain copyrighted material used under fair use.",
		MediaContact:       "Media enquiries: press@meridian.example",
		MembershipCall:     "Independent journalism needs you. [Become a member](https://meridian.example/membership/).",
	}
	if err := st.Validate(); err != nil {
		tb.Fatal(err)
	}
	f := &fixture{settings: &st}
	f.site = Site{Settings: &st, URLs: urls.New(&st), Lang: "en", Now: now}
	f.leyla = &content.Author{ID: 1, Name: "Leyla Hosseini", Slug: "leyla-hosseini",
		Bio:      "Leyla Hosseini covers water and climate in Central Asia.\n\nShe is based in Dushanbe.",
		PhotoURL: "https://meridian.example/media/leyla.jpg",
		Links:    []content.Link{{Label: "Website", URL: "https://leyla.example/"}}}
	f.omar = &content.Author{ID: 2, Name: "Omar Farid", Slug: "omar-farid", Bio: "Omar Farid is an economist."}
	f.asia = &content.Term{ID: 1, Kind: content.KindRegion, Name: "Central Asia", Slug: "central-asia",
		Description: "Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan.", Names: map[string]string{"fa": "آسیای مرکزی"}}
	f.water = &content.Term{ID: 2, Kind: content.KindTheme, Name: "Water", Slug: "water"}
	f.amu = &content.Term{ID: 3, Kind: content.KindDossier, Name: "The Amu Darya", Slug: "amu-darya", Active: true,
		Description: "Our running report on the river and the canal."}
	f.tag = &content.Term{ID: 4, Kind: content.KindTag, Name: "Qosh Tepa", Slug: "qosh-tepa"}
	body := "The canal will take a fifth of the river's flow.\n\n## What changes\n\nFarmers downstream [are worried](https://example.org/report).\n"
	html, err := markdown.ToHTML(body)
	if err != nil {
		tb.Fatal(err)
	}
	f.article = &content.Article{
		ID: 10, Language: "en", TranslationGroup: 10, Title: "Water politics in the Amu Darya basin",
		Deck: "A new canal is reshaping a fragile balance.", Slug: "water-politics-amu-darya",
		BodyMarkdown: body, BodyHTML: html, Status: content.StatusPublished, Featured: true,
		Image: &content.Image{URL: "/media/2026/11/canal.jpg", Alt: "An empty irrigation canal in northern Afghanistan",
			Caption: "The Qosh Tepa canal under construction.", Credit: "Ahmad Rahimi", CreditURL: "https://photos.example/ahmad",
			Width: 1600, Height: 1067},
		SourceURL: "https://partner.example/amu", SourceName: "Partner News",
		Authors:     []*content.Author{f.leyla, f.omar},
		Terms:       []*content.Term{f.asia, f.water, f.amu, f.tag},
		PublishedAt: time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC),
		UpdatedAt:   time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC),
	}
	f.second = &content.Article{
		ID: 11, Language: "en", Title: "Bishkek's budget, explained", Slug: "bishkek-budget",
		Excerpt: "Where the money goes.", BodyHTML: "<p>Numbers.</p>", Status: content.StatusPublished,
		Authors: []*content.Author{f.omar}, Terms: []*content.Term{f.asia},
		PublishedAt: time.Date(2026, 11, 29, 23, 0, 0, 0, time.UTC),
	}
	f.fa = &content.Article{
		ID: 12, Language: "fa", TranslationGroup: 10, Title: "سیاست آب در حوضه آمو دریا",
		Deck: "کانال جدید توازنی شکننده را تغییر می‌دهد.", Slug: "سیاست-آب-آمو-دریا", BodyHTML: "<p>کانال.</p>",
		Status: content.StatusPublished, Authors: []*content.Author{f.leyla}, Terms: []*content.Term{f.asia},
		PublishedAt: time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC),
	}
	return f
}

func mustNew(tb testing.TB, opts Options) *Renderer {
	tb.Helper()
	r, err := New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func render(tb testing.TB, fn func(*bytes.Buffer) error) string {
	tb.Helper()
	var buf bytes.Buffer
	if err := fn(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.String()
}

func (f *fixture) home(tb testing.TB, r *Renderer) string {
	s := f.site.WithNav([]*content.Term{f.asia, f.water, f.amu})
	v := NewHomeView(s, []*content.Article{f.second, f.article}, []*content.Article{f.article},
		[]DossierBlock{{Term: f.amu, Articles: []*content.Article{f.article}}}, 2, 3)
	return render(tb, func(b *bytes.Buffer) error { return r.Home(b, v) })
}

func (f *fixture) articlePage(tb testing.TB, r *Renderer) string {
	v := NewArticleView(f.site, f.article, []*content.Article{f.second}, []*content.Article{f.article, f.fa})
	return render(tb, func(b *bytes.Buffer) error { return r.Article(b, v) })
}

func (f *fixture) archive(tb testing.TB, r *Renderer) string {
	v := NewTermArchiveView(f.site, f.asia, []*content.Article{f.second, f.article}, 2, 3)
	return render(tb, func(b *bytes.Buffer) error { return r.Archive(b, v) })
}

func TestGolden(t *testing.T) {
	f := newFixture(t)
	r := mustNew(t, Options{})
	pages := map[string]func(testing.TB, *Renderer) string{
		"home":    f.home,
		"article": f.articlePage,
		"archive": f.archive,
		"author": func(tb testing.TB, r *Renderer) string {
			v := NewAuthorArchiveView(f.site, f.leyla, []*content.Article{f.article}, 1, 1)
			return render(tb, func(b *bytes.Buffer) error { return r.Archive(b, v) })
		},
		"error404": func(tb testing.TB, r *Renderer) string {
			return render(tb, func(b *bytes.Buffer) error { return r.Error(b, NewErrorView(f.site, 404)) })
		},
	}
	for name, fn := range pages {
		t.Run(name, func(t *testing.T) {
			got := fn(t, r)
			checkHTML(t, got)
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/render -update)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s mismatch (-want +got), rerun with -update if intended:\n%s", golden, diff)
			}
		})
	}
}

func TestDir(t *testing.T) {
	for lang, want := range map[string]string{"fa": "rtl", "fa-AF": "rtl", "ar": "rtl", "ps": "rtl", "ur": "rtl", "he": "rtl",
		"en": "ltr", "ru": "ltr", "": "ltr", "uz-Latn": "ltr"} {
		if got := Dir(lang); got != want {
			t.Errorf("Dir(%q) = %q, want %q", lang, got, want)
		}
	}
}

func TestRender_WritesNothingOnError(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	writeTheme(t, dir, "templates/pages/error.html", `{{define "main"}}<p>before</p>{{if eq .Status 500}}{{.Page.NoSuchField}}{{end}}{{end}}`)
	r := mustNew(t, Options{ThemeDir: dir})
	var buf bytes.Buffer
	if err := r.Error(&buf, NewErrorView(f.site, 500)); err == nil {
		t.Fatal("no error for a missing field")
	}
	if buf.Len() != 0 {
		t.Fatalf("wrote %d bytes of a broken page", buf.Len())
	}
}

func writeTheme(tb testing.TB, dir, name, text string) {
	tb.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		tb.Fatal(err)
	}
}

func TestNew_ThemeOverride(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	writeTheme(t, dir, "templates/partials/footer.html", `{{define "footer"}}<footer><p>Custom footer for {{.Page.SiteTitle}}</p></footer>{{end}}`)
	writeTheme(t, dir, "static/site.css", "body{color:black}")
	writeTheme(t, dir, "static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
	r := mustNew(t, Options{ThemeDir: dir})
	got := f.home(t, r)
	if !strings.Contains(got, "<p>Custom footer for The Meridian Review</p>") {
		t.Fatal("footer override not used")
	}
	def := mustNew(t, Options{})
	if r.AssetURL("site.css") == def.AssetURL("site.css") {
		t.Fatalf("site.css hash did not change with its override: %s", r.AssetURL("site.css"))
	}
	if !strings.Contains(got, r.AssetURL("site.css")) {
		t.Fatal("page does not link the overridden stylesheet")
	}
	css, err := readFS(r.Static(), "site.css")
	if err != nil || css != "body{color:black}" {
		t.Fatalf("Static site.css = %q, %v", css, err)
	}
	if _, err := readFS(r.Static(), "logo.svg"); err != nil {
		t.Fatalf("added static file: %v", err)
	}
	if _, err := readFS(r.Static(), "copy.js"); err != nil {
		t.Fatalf("embedded file lost under overlay: %v", err)
	}
}

func TestNew_BrokenTheme(t *testing.T) {
	tests := []struct{ name, file, text string }{
		{"ParseError", "templates/pages/article.html", `{{define "main"}}{{if .Headline}}{{end}`},
		{"MissingPartial", "templates/pages/home.html", `{{define "main"}}{{template "nosuch" .}}{{end}}`},
		{"MissingField", "templates/pages/archive.html", `{{define "main"}}{{.NoSuchField}}{{end}}`},
		{"PartialWithoutDefine", "templates/partials/card.html", `<p>card</p>`},
		{"NoMain", "templates/pages/error.html", `{{define "body"}}x{{end}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTheme(t, dir, tt.file, tt.text)
			if _, err := New(Options{ThemeDir: dir}); err == nil {
				t.Fatal("New accepted a broken theme")
			} else {
				t.Log(err)
			}
		})
	}
	if _, err := New(Options{ThemeDir: filepath.Join(t.TempDir(), "missing")}); err == nil {
		t.Fatal("New accepted a missing theme dir")
	}
}
