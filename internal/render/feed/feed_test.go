package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	ext "github.com/mmcdole/gofeed/extensions"

	"folio/internal/content"
	"folio/internal/urls"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden with the current output")

// now is the fixed clock of every fixture.
var now = time.Date(2025, 11, 5, 12, 0, 0, 0, time.UTC)

var tehran = time.FixedZone("IRST", 3*3600+1800)

func testSettings() *content.Settings {
	s := content.DefaultSettings()
	s.Title = "The Meridian Review"
	s.Description = "Independent analysis of Iran, Afghanistan and Central Asia"
	s.BaseURL = "https://meridian.example"
	s.Languages = []string{"en", "fa"}
	s.DefaultLicense = content.LicenseCommunity
	return &s
}

var (
	leyla = &content.Author{ID: 1, Name: "Leyla Hosseini", Slug: "leyla-hosseini", PhotoURL: "/media/authors/leyla.jpg"}
	omid  = &content.Author{ID: 2, Name: "Omid Rahimi", Slug: "omid-rahimi"}
	iran  = &content.Term{ID: 1, Kind: content.KindRegion, Name: "Iran", Slug: "iran", Names: map[string]string{"fa": "ایران"}}
	water = &content.Term{ID: 2, Kind: content.KindTheme, Name: "Water", Slug: "water", Names: map[string]string{"fa": "آب"}}
	dams  = &content.Term{ID: 3, Kind: content.KindTag, Name: "Dams", Slug: "dams"}
)

// damArticle has everything: two authors, three terms, a relative image with
// caption and credit, relative links in the body.
func damArticle() *content.Article {
	return &content.Article{
		ID: 1, Language: "en", Status: content.StatusPublished,
		Title:   "Iran’s dams are running dry",
		Slug:    "irans-dams-running-dry",
		Excerpt: "Reservoirs near Tehran hold a tenth of their capacity.",
		BodyHTML: "<p>Reservoirs in <a href=\"/region/iran/\">Iran</a> are low.</p>\n" +
			"<figure><img src=\"/media/2025/11/chart.png\" alt=\"Storage chart\"></figure>\n" +
			"<p>See <a href=\"https://example.com/report\">the report</a>, <a href=\"//cdn.example/x\">a mirror</a>" +
			" and <a href=\"#fn:1\">a note</a>.\x01</p>\n",
		Image: &content.Image{
			URL: "/media/2025/11/karaj-dam.jpg", Alt: "A dry reservoir bed", Width: 1600, Height: 900,
			Caption: "The Karaj dam in August.", Credit: "Sara Karimi / Meridian", CreditURL: "https://sarakarimi.example/",
		},
		Authors:     []*content.Author{leyla, omid},
		Terms:       []*content.Term{iran, water, dams},
		PublishedAt: time.Date(2025, 11, 4, 8, 30, 0, 0, time.UTC),
		UpdatedAt:   time.Date(2025, 11, 4, 10, 0, 0, 0, time.UTC),
	}
}

// markupArticle's title and excerpt hold characters every format must
// escape; it is a reposted piece under CC BY, published in Tehran time.
func markupArticle() *content.Article {
	return &content.Article{
		ID: 2, Language: "en", Status: content.StatusPublished,
		Title:       `Markup in titles: <b>&" survives`,
		Slug:        "markup-in-titles",
		Excerpt:     `Excerpt with <i>tags</i> & "quotes" ]]> too`,
		BodyHTML:    "<p>Body with &lt;b&gt; &amp; &#34; and ]]> inside.</p>\n",
		License:     content.LicenseCCBY,
		SourceURL:   "https://partner.example/story?id=1&lang=en",
		SourceName:  "Partner <News>",
		Authors:     []*content.Author{omid},
		PublishedAt: time.Date(2025, 11, 3, 20, 30, 0, 0, tehran),
	}
}

// persianArticle is right-to-left, with a Persian slug, names and credit.
func persianArticle() *content.Article {
	return &content.Article{
		ID: 3, Language: "fa", Status: content.StatusPublished,
		Title:    "سدهای ایران در حال خشک شدن‌اند",
		Slug:     "سدهای-ایران",
		Deck:     "ذخایر سدهای اطراف تهران به یک‌دهم ظرفیت رسیده است.",
		BodyHTML: "<p>ذخایر سدهای <a href=\"/fa/region/iran/\">ایران</a> کم است.</p>\n",
		Image: &content.Image{
			URL: "https://cdn.meridian.example/karaj.webp", Alt: "بستر خشک سد",
			Caption: "سد کرج در مرداد.", Credit: "سارا کریمی",
		},
		Authors:     []*content.Author{leyla},
		Terms:       []*content.Term{iran},
		PublishedAt: time.Date(2025, 11, 4, 9, 0, 0, 0, time.UTC),
		UpdatedAt:   time.Date(2025, 11, 4, 9, 0, 0, 0, time.UTC),
	}
}

// itemWant is what a parsed feed must show for one article.
type itemWant struct {
	Title      string
	Link       string
	Authors    []string
	Categories []string
	Published  time.Time
	Image      string // absolute URL, "" for none
	Copyright  string
	Credit     string
}

type feedCase struct {
	name        string
	feed        *Feed
	title       string
	link        string // listing, absolute
	self        string // the feed's own URL, without the file name
	lang        string
	items       []itemWant
	contentHas  []string // substrings of every or the first item's content
	contentLack []string
}

func feedCases() []feedCase {
	s := testSettings()
	b := urls.New(s)
	return []feedCase{
		{
			name: "en",
			feed: &Feed{Settings: s, URLs: b, Lang: "en", Title: "The Meridian Review",
				Description: s.Description, Listing: "/", Articles: []*content.Article{damArticle(), markupArticle()}, Now: now},
			title: "The Meridian Review", link: "https://meridian.example/", self: "https://meridian.example/", lang: "en",
			items: []itemWant{{
				Title:      "Iran’s dams are running dry",
				Link:       "https://meridian.example/irans-dams-running-dry/",
				Authors:    []string{"Leyla Hosseini", "Omid Rahimi"},
				Categories: []string{"Iran", "Water", "Dams"},
				Published:  time.Date(2025, 11, 4, 8, 30, 0, 0, time.UTC),
				Image:      "https://meridian.example/media/2025/11/karaj-dam.jpg",
				Copyright:  "Copyright © Leyla Hosseini and Omid Rahimi, The Meridian Review, 2025",
				Credit:     "Sara Karimi / Meridian",
			}, {
				Title:     `Markup in titles: <b>&" survives`,
				Link:      "https://meridian.example/markup-in-titles/",
				Authors:   []string{"Omid Rahimi"},
				Published: time.Date(2025, 11, 3, 17, 0, 0, 0, time.UTC),
				Copyright: "Copyright © Omid Rahimi, The Meridian Review, 2025",
			}},
			contentHas: []string{
				`<a href="https://meridian.example/region/iran/">Iran</a>`,
				`src="https://meridian.example/media/2025/11/chart.png"`,
				`<img src="https://meridian.example/media/2025/11/karaj-dam.jpg" alt="A dry reservoir bed" width="1600" height="900">`,
				`<figcaption>The Karaj dam in August. <small>Image: <a href="https://sarakarimi.example/">Sara Karimi / Meridian</a></small></figcaption>`,
				`href="//cdn.example/x"`, `href="#fn:1"`,
				"<p><small>Copyright © Leyla Hosseini and Omid Rahimi, The Meridian Review, 2025</small></p>",
			},
			contentLack: []string{`href="/region`, `src="/media`, "\x01", "\n\n"},
		},
		{
			name: "fa",
			feed: &Feed{Settings: s, URLs: b, Lang: "fa", Title: "ایران — The Meridian Review",
				Description: "تحلیل مستقل", Listing: "/fa/region/iran/", Articles: []*content.Article{persianArticle()}, Now: now},
			title: "ایران — The Meridian Review", link: "https://meridian.example/fa/region/iran/",
			self: "https://meridian.example/fa/region/iran/", lang: "fa",
			items: []itemWant{{
				Title:      "سدهای ایران در حال خشک شدن‌اند",
				Link:       "https://meridian.example/fa/%D8%B3%D8%AF%D9%87%D8%A7%DB%8C-%D8%A7%DB%8C%D8%B1%D8%A7%D9%86/",
				Authors:    []string{"Leyla Hosseini"},
				Categories: []string{"ایران"},
				Published:  time.Date(2025, 11, 4, 9, 0, 0, 0, time.UTC),
				Image:      "https://cdn.meridian.example/karaj.webp",
				Copyright:  "Copyright © Leyla Hosseini, The Meridian Review, 2025",
				Credit:     "سارا کریمی",
			}},
			contentHas: []string{
				`<a href="https://meridian.example/fa/region/iran/">ایران</a>`,
				`<figcaption>سد کرج در مرداد. <small>Image: سارا کریمی</small></figcaption>`,
			},
			contentLack: []string{`href="/fa`},
		},
		{
			name: "empty",
			feed: &Feed{Settings: s, Lang: "en", Title: "Water — The Meridian Review",
				Listing: "/theme/water/", Now: now},
			title: "Water — The Meridian Review", link: "https://meridian.example/theme/water/",
			self: "https://meridian.example/theme/water/", lang: "en",
		},
	}
}

type format struct {
	name, file string
	encode     func(*bytes.Buffer, *Feed) error
}

var formats = []format{
	{"rss", urls.FeedRSS, func(b *bytes.Buffer, f *Feed) error { return RSS(b, f) }},
	{"atom", urls.FeedAtom, func(b *bytes.Buffer, f *Feed) error { return Atom(b, f) }},
	{"json", urls.FeedJSON, func(b *bytes.Buffer, f *Feed) error { return JSON(b, f) }},
}

func TestFeeds(t *testing.T) {
	for _, tc := range feedCases() {
		for _, fm := range formats {
			t.Run(tc.name+"/"+fm.name, func(t *testing.T) {
				var buf bytes.Buffer
				if err := fm.encode(&buf, tc.feed); err != nil {
					t.Fatal(err)
				}
				golden(t, filepath.Join("testdata", tc.name+"."+fm.name+".golden"), buf.Bytes())

				fp := gofeed.NewParser()
				fp.KeepOriginalFeed = true
				parsed, err := fp.ParseString(buf.String())
				if err != nil {
					t.Fatalf("gofeed: %v", err)
				}
				checkFeed(t, fm, tc, parsed, buf.Bytes())
			})
		}
	}
}

func checkFeed(t *testing.T, fm format, tc feedCase, got *gofeed.Feed, raw []byte) {
	t.Helper()
	if got.FeedType != fm.name {
		t.Errorf("feed type = %q, want %q", got.FeedType, fm.name)
	}
	if got.Title != tc.title {
		t.Errorf("title = %q, want %q", got.Title, tc.title)
	}
	if got.Link != tc.link {
		t.Errorf("link = %q, want %q", got.Link, tc.link)
	}
	if want := tc.self + fm.file; got.FeedLink != want {
		t.Errorf("feed link = %q, want %q", got.FeedLink, want)
	}
	if got.Language != tc.lang {
		t.Errorf("language = %q, want %q", got.Language, tc.lang)
	}
	if fm.name != "json" && got.Copyright != "Copyright © The Meridian Review, 2025" {
		t.Errorf("copyright = %q", got.Copyright)
	}
	if len(tc.items) == 0 {
		// An empty feed never changed: a fixed time, not the clock, so
		// two renders give the same bytes.
		epoch := time.Unix(0, 0)
		if got.UpdatedParsed != nil && !got.UpdatedParsed.Equal(epoch) {
			t.Errorf("updated = %v, want %v", got.UpdatedParsed, epoch)
		}
		if fm.name == "rss" && !bytes.Contains(raw, []byte("<lastBuildDate>Thu, 01 Jan 1970 00:00:00 +0000</lastBuildDate>")) {
			t.Errorf("lastBuildDate is not the fixed time")
		}
	}
	if len(got.Items) != len(tc.items) {
		t.Fatalf("%d items, want %d", len(got.Items), len(tc.items))
	}
	var folio []jsonFolio
	if fm.name == "json" {
		folio = jsonExtensions(t, raw)
	}
	for i, want := range tc.items {
		it := got.Items[i]
		g := itemWant{
			Title:      it.Title,
			Link:       it.Link,
			Categories: it.Categories,
		}
		if it.PublishedParsed != nil {
			g.Published = *it.PublishedParsed
		}
		for _, p := range it.Authors {
			g.Authors = append(g.Authors, p.Name)
		}
		switch fm.name {
		case "rss":
			if it.GUID != want.Link {
				t.Errorf("item %d guid = %q", i, it.GUID)
			}
			if it.DublinCoreExt != nil {
				g.Authors = it.DublinCoreExt.Creator // gofeed keeps only the first as Authors
				if len(it.DublinCoreExt.Rights) > 0 {
					g.Copyright = it.DublinCoreExt.Rights[0]
				}
			}
			if it.Image != nil {
				g.Image = it.Image.URL
			}
			g.Credit = findMediaCredit(it.Extensions)
		case "atom":
			if it.GUID != want.Link {
				t.Errorf("item %d id = %q", i, it.GUID)
			}
			entry := got.OriginalFeed().(*atom.Feed).Entries[i]
			g.Copyright, _, _ = strings.Cut(entry.Rights, ". Image: ")
			if want.Credit != "" && !strings.HasSuffix(entry.Rights, ". Image: "+want.Credit) {
				t.Errorf("item %d rights %q do not credit the image", i, entry.Rights)
			}
			for _, enc := range it.Enclosures {
				if strings.HasPrefix(enc.Type, "image/") {
					g.Image = enc.URL
				}
			}
			g.Credit = findMediaCredit(it.Extensions)
		case "json":
			if it.GUID != want.Link {
				t.Errorf("item %d id = %q", i, it.GUID)
			}
			if it.Image != nil {
				g.Image = it.Image.URL
			}
			g.Copyright = folio[i].Copyright
			g.Credit = folio[i].ImageCredit
			if folio[i].License == nil || folio[i].License.Code == "" {
				t.Errorf("item %d has no license", i)
			}
		}
		if diff := cmp.Diff(want, g); diff != "" {
			t.Errorf("item %d (-want +got):\n%s", i, diff)
		}
		if i == 0 {
			for _, s := range tc.contentHas {
				if !strings.Contains(it.Content, s) {
					t.Errorf("item 0 content lacks %q:\n%s", s, it.Content)
				}
			}
		}
		for _, s := range tc.contentLack {
			if strings.Contains(it.Content, s) {
				t.Errorf("item %d content has %q:\n%s", i, s, it.Content)
			}
		}
		if !strings.Contains(it.Content, want.Copyright) {
			t.Errorf("item %d content does not end with the copyright line:\n%s", i, it.Content)
		}
		if it.Description == "" {
			t.Errorf("item %d has no summary", i)
		}
	}
}

// findMediaCredit finds <media:credit> inside <media:content> in parsed extensions.
func findMediaCredit(x ext.Extensions) string {
	for _, mc := range x["media"]["content"] {
		for _, c := range mc.Children["credit"] {
			return c.Value
		}
	}
	return ""
}

// jsonExtensions decodes the "_folio" objects gofeed does not keep.
func jsonExtensions(t *testing.T, raw []byte) []jsonFolio {
	t.Helper()
	var doc struct {
		Items []struct {
			Folio jsonFolio `json:"_folio"`
		} `json:"items"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	out := make([]jsonFolio, len(doc.Items))
	for i, it := range doc.Items {
		out[i] = it.Folio
	}
	return out
}

// TestEscaping checks the hostile title and excerpt come back unchanged from
// every format, and the source line is escaped inside the content.
func TestEscaping(t *testing.T) {
	a := markupArticle()
	f := &Feed{Settings: testSettings(), Articles: []*content.Article{a}, Now: now}
	for _, fm := range formats {
		t.Run(fm.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := fm.encode(&buf, f); err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(buf.Bytes(), []byte("<b>&")) && fm.name != "json" {
				t.Errorf("raw title markup in XML:\n%s", buf.Bytes())
			}
			got, err := gofeed.NewParser().ParseString(buf.String())
			if err != nil {
				t.Fatal(err)
			}
			it := got.Items[0]
			if it.Title != a.Title {
				t.Errorf("title = %q, want %q", it.Title, a.Title)
			}
			if it.Description != a.Excerpt {
				t.Errorf("summary = %q, want %q", it.Description, a.Excerpt)
			}
			for _, s := range []string{
				"<p>Body with &lt;b&gt; &amp; &#34; and ]]> inside.</p>",
				`<a href="https://partner.example/story?id=1&amp;lang=en">Partner &lt;News&gt;</a>`,
			} {
				if !strings.Contains(it.Content, s) {
					t.Errorf("content lacks %q:\n%s", s, it.Content)
				}
			}
		})
	}
}

func TestJSONFolioExtension(t *testing.T) {
	f := feedCases()[0].feed
	var buf bytes.Buffer
	if err := JSON(&buf, f); err != nil {
		t.Fatal(err)
	}
	got := jsonExtensions(t, buf.Bytes())
	want := []jsonFolio{{
		Copyright:      "Copyright © Leyla Hosseini and Omid Rahimi, The Meridian Review, 2025",
		License:        &jsonLicense{Code: content.LicenseCommunity, Name: "Community cross-post with attribution"},
		ImageCredit:    "Sara Karimi / Meridian",
		ImageCreditURL: "https://sarakarimi.example/",
		ImageCaption:   "The Karaj dam in August.",
	}, {
		Copyright:  "Copyright © Omid Rahimi, The Meridian Review, 2025",
		License:    &jsonLicense{Code: content.LicenseCCBY, Name: "Creative Commons Attribution 4.0", URL: "https://creativecommons.org/licenses/by/4.0/"},
		SourceURL:  "https://partner.example/story?id=1&lang=en",
		SourceName: "Partner <News>",
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("_folio (-want +got):\n%s", diff)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["version"] != JSONVersion {
		t.Errorf("version = %v", doc["version"])
	}
}

func TestEmptyJSONFeedHasItemsArray(t *testing.T) {
	var buf bytes.Buffer
	if err := JSON(&buf, &Feed{Settings: testSettings(), Now: now}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"items": []`)) {
		t.Errorf("no empty items array:\n%s", buf.Bytes())
	}
}

func TestDefaults(t *testing.T) {
	// A zero Builder, Lang, Title and Listing fall back to the settings.
	f := &Feed{Settings: testSettings(), Articles: []*content.Article{damArticle()}}
	var buf bytes.Buffer
	if err := Atom(&buf, f); err != nil {
		t.Fatal(err)
	}
	got, err := gofeed.NewParser().ParseString(buf.String())
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "The Meridian Review" || got.Link != "https://meridian.example/" ||
		got.FeedLink != "https://meridian.example/atom.xml" || got.Language != "en" {
		t.Errorf("defaults: title %q link %q self %q lang %q", got.Title, got.Link, got.FeedLink, got.Language)
	}
	if want := time.Date(2025, 11, 4, 10, 0, 0, 0, time.UTC); got.UpdatedParsed == nil || !got.UpdatedParsed.Equal(want) {
		t.Errorf("updated = %v, want newest article update %v", got.UpdatedParsed, want)
	}
}

// errWriter fails every write.
type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("closed") }

func TestErrors(t *testing.T) {
	bad := []struct {
		name string
		feed *Feed
	}{
		{"NilFeed", nil},
		{"NoSettings", &Feed{Articles: []*content.Article{damArticle()}}},
		{"NilArticle", &Feed{Settings: testSettings(), Articles: []*content.Article{damArticle(), nil}}},
		{"Unpublished", &Feed{Settings: testSettings(), Articles: []*content.Article{{ID: 9, Title: "Draft", Slug: "draft"}}}},
	}
	for _, tc := range bad {
		for _, fm := range formats {
			t.Run(tc.name+"/"+fm.name, func(t *testing.T) {
				var buf bytes.Buffer
				if err := fm.encode(&buf, tc.feed); err == nil {
					t.Fatal("no error")
				}
				if buf.Len() != 0 {
					t.Errorf("wrote %d bytes before failing", buf.Len())
				}
			})
		}
	}
	t.Run("WriteError", func(t *testing.T) {
		if err := RSS(errWriter{}, feedCases()[0].feed); err == nil {
			t.Error("no error from a failing writer")
		}
	})
}

func TestAbsolutize(t *testing.T) {
	b := urls.Builder{Base: "https://meridian.example", DefaultLang: "en"}
	tests := []struct{ in, want string }{
		{`<a href="/x/">x</a>`, `<a href="https://meridian.example/x/">x</a>`},
		{`<a href="/">home</a>`, `<a href="https://meridian.example/">home</a>`},
		{`<img src="/media/a.jpg" alt="">`, `<img src="https://meridian.example/media/a.jpg" alt="">`},
		{`<a href="//cdn.example/x">`, `<a href="//cdn.example/x">`},
		{`<a href="https://other.example/">`, `<a href="https://other.example/">`},
		{`<a href="#fn:1">`, `<a href="#fn:1">`},
		{`<a title="/not-a-link" href="rel/x">`, `<a title="/not-a-link" href="rel/x">`},
		{`<p>href="/x" in text</p>`, `<p>href="/x" in text</p>`},
	}
	for _, tt := range tests {
		if got := absolutize(tt.in, b); got != tt.want {
			t.Errorf("absolutize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestArticleLicense(t *testing.T) {
	tests := []struct{ article, site, want string }{
		{"", content.LicenseCCBY, content.LicenseCCBY},
		{content.LicenseCCBYND, content.LicenseCCBY, content.LicenseCCBYND},
		{"", "", content.LicenseAllRights},
		{"bogus", content.LicenseCCBY, content.LicenseAllRights},
	}
	for _, tt := range tests {
		got := articleLicense(&content.Article{License: tt.article}, &content.Settings{DefaultLicense: tt.site})
		if got.Code != tt.want {
			t.Errorf("license(%q, site %q) = %q, want %q", tt.article, tt.site, got.Code, tt.want)
		}
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", path, diff)
	}
}
