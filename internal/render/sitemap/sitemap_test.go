package sitemap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden with the current output")

// now is the fixed clock of every fixture.
var now = time.Date(2025, 11, 5, 12, 0, 0, 0, time.UTC)

var tehran = time.FixedZone("IRST", 3*3600+1800)

// Decoding targets, written from the schemas rather than reusing the
// encoder's structs, so a wrong tag on either side shows up.
type decodedIndex struct {
	XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []struct {
		Loc     string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		LastMod string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
	} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemap"`
}

type decodedURLSet struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		LastMod string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
		Links   []struct {
			Rel      string `xml:"rel,attr"`
			HrefLang string `xml:"hreflang,attr"`
			Href     string `xml:"href,attr"`
		} `xml:"http://www.w3.org/1999/xhtml link"`
		News *struct {
			Name     string `xml:"http://www.google.com/schemas/sitemap-news/0.9 publication>name"`
			Language string `xml:"http://www.google.com/schemas/sitemap-news/0.9 publication>language"`
			Date     string `xml:"http://www.google.com/schemas/sitemap-news/0.9 publication_date"`
			Title    string `xml:"http://www.google.com/schemas/sitemap-news/0.9 title"`
		} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
	} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 url"`
}

// decode checks raw is one well-formed XML document and decodes it into v.
func decode(t *testing.T, raw []byte, v any) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(raw))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, raw)
		}
	}
	if err := xml.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode: %v", err)
	}
}

func TestIndex(t *testing.T) {
	var buf bytes.Buffer
	maps := []string{"https://meridian.example/sitemap-1.xml", "https://meridian.example/sitemap-2.xml", "https://meridian.example/sitemap-news.xml"}
	if err := Index(&buf, maps, time.Date(2025, 11, 4, 13, 30, 0, 0, tehran)); err != nil {
		t.Fatal(err)
	}
	golden(t, "index", buf.Bytes())
	var got decodedIndex
	decode(t, buf.Bytes(), &got)
	if len(got.Sitemaps) != 3 {
		t.Fatalf("%d sitemaps, want 3", len(got.Sitemaps))
	}
	for i, s := range got.Sitemaps {
		if s.Loc != maps[i] || s.LastMod != "2025-11-04T10:00:00Z" {
			t.Errorf("sitemap %d = %+v", i, s)
		}
	}

	t.Run("ZeroLastMod", func(t *testing.T) {
		var buf bytes.Buffer
		if err := Index(&buf, maps[:1], time.Time{}); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(buf.Bytes(), []byte("lastmod")) {
			t.Errorf("zero lastmod written:\n%s", buf.Bytes())
		}
	})
	t.Run("ErrRelative", func(t *testing.T) {
		var buf bytes.Buffer
		if err := Index(&buf, []string{"/sitemap-1.xml"}, now); err == nil || buf.Len() != 0 {
			t.Errorf("err = %v, wrote %d bytes", err, buf.Len())
		}
	})
}

func TestURLSet(t *testing.T) {
	urls := []URL{
		{Loc: "https://meridian.example/", LastMod: now},
		{
			Loc: "https://meridian.example/irans-dams-running-dry/", LastMod: time.Date(2025, 11, 4, 14, 0, 0, 0, tehran),
			Alternates: []Alternate{
				{Lang: "en", Href: "https://meridian.example/irans-dams-running-dry/"},
				{Lang: "fa", Href: "https://meridian.example/fa/%D8%B3%D8%AF%D9%87%D8%A7/"},
				{Lang: "x-default", Href: "https://meridian.example/irans-dams-running-dry/"},
			},
		},
		{Loc: "https://meridian.example/search/?q=a&b=<c>"},
	}
	var buf bytes.Buffer
	if err := URLSet(&buf, urls); err != nil {
		t.Fatal(err)
	}
	golden(t, "urlset", buf.Bytes())
	var got decodedURLSet
	decode(t, buf.Bytes(), &got)
	if len(got.URLs) != len(urls) {
		t.Fatalf("%d urls, want %d", len(got.URLs), len(urls))
	}
	for i, u := range urls {
		g := got.URLs[i]
		if g.Loc != u.Loc {
			t.Errorf("url %d loc = %q, want %q", i, g.Loc, u.Loc)
		}
		if want := w3cOrEmpty(u.LastMod); g.LastMod != want {
			t.Errorf("url %d lastmod = %q, want %q", i, g.LastMod, want)
		}
		if len(g.Links) != len(u.Alternates) {
			t.Fatalf("url %d: %d alternates, want %d", i, len(g.Links), len(u.Alternates))
		}
		for j, a := range u.Alternates {
			if l := g.Links[j]; l.Rel != "alternate" || l.HrefLang != a.Lang || l.Href != a.Href {
				t.Errorf("url %d alternate %d = %+v, want %+v", i, j, l, a)
			}
		}
	}
	if got.URLs[1].LastMod != "2025-11-04T10:30:00Z" {
		t.Errorf("lastmod not W3C UTC: %q", got.URLs[1].LastMod)
	}

	t.Run("Empty", func(t *testing.T) {
		var buf bytes.Buffer
		if err := URLSet(&buf, nil); err != nil {
			t.Fatal(err)
		}
		var got decodedURLSet
		decode(t, buf.Bytes(), &got)
		if len(got.URLs) != 0 {
			t.Errorf("%d urls", len(got.URLs))
		}
	})
}

func manyURLs(n int) []URL {
	out := make([]URL, n)
	for i := range out {
		out[i] = URL{Loc: fmt.Sprintf("https://meridian.example/a-%d/", i), LastMod: now}
	}
	return out
}

func TestURLSetLimits(t *testing.T) {
	t.Run("MaxURLs", func(t *testing.T) {
		var buf bytes.Buffer
		if err := URLSet(&buf, manyURLs(MaxURLs)); err != nil {
			t.Fatal(err)
		}
		var got decodedURLSet
		decode(t, buf.Bytes(), &got)
		if len(got.URLs) != MaxURLs {
			t.Errorf("%d urls", len(got.URLs))
		}
	})
	t.Run("ErrTooManyURLs", func(t *testing.T) {
		var buf bytes.Buffer
		err := URLSet(&buf, manyURLs(MaxURLs+1))
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("err = %v, want ErrTooLarge", err)
		}
		if buf.Len() != 0 {
			t.Errorf("wrote %d bytes", buf.Len())
		}
	})
	t.Run("ErrTooManyBytes", func(t *testing.T) {
		old := maxBytes
		maxBytes = 4096
		t.Cleanup(func() { maxBytes = old })
		var buf bytes.Buffer
		err := URLSet(&buf, manyURLs(100))
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("err = %v, want ErrTooLarge", err)
		}
		if buf.Len() != 0 {
			t.Errorf("wrote %d bytes", buf.Len())
		}
		if err := URLSet(&buf, manyURLs(10)); err != nil {
			t.Errorf("small sitemap: %v", err)
		}
	})
	t.Run("ErrBadURL", func(t *testing.T) {
		for _, u := range []URL{
			{Loc: "/relative/"},
			{Loc: "mailto:a@b.example"},
			{Loc: "https://meridian.example/", Alternates: []Alternate{{Lang: "fa", Href: "/fa/"}}},
			{Loc: "https://meridian.example/", Alternates: []Alternate{{Href: "https://meridian.example/fa/"}}},
		} {
			var buf bytes.Buffer
			if err := URLSet(&buf, []URL{u}); err == nil || buf.Len() != 0 {
				t.Errorf("%+v: err = %v, wrote %d bytes", u, err, buf.Len())
			}
		}
	})
}

func TestPages(t *testing.T) {
	tests := []struct{ n, want int }{
		{0, 1}, {1, 1}, {49999, 1}, {50000, 1}, {50001, 2}, {100000, 2}, {100001, 3}, {-1, 1},
	}
	for _, tt := range tests {
		if got := Pages(tt.n); got != tt.want {
			t.Errorf("Pages(%d) = %d, want %d", tt.n, got, tt.want)
		}
	}
}

func TestNewsLanguage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"en", "en"}, {"en-GB", "en"}, {"fa", "fa"}, {"fa-IR", "fa"}, {"FA", "fa"}, {"prs", "prs"},
		{"ps-AF", "ps"}, {"ar", "ar"}, {"zh-Hans", "zh-cn"}, {"zh-Hant", "zh-tw"}, {"zh-Hant-HK", "zh-tw"},
		{"zh-Hans-SG", "zh-cn"}, {"zh-CN", "zh-cn"}, {"zh-TW", "zh-tw"}, {"zh_TW", "zh-tw"}, {"zh", "zh-cn"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := NewsLanguage(tt.in); got != tt.want {
			t.Errorf("NewsLanguage(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNews(t *testing.T) {
	items := []NewsItem{
		{Loc: "https://meridian.example/irans-dams-running-dry/", Title: `Iran’s dams: <b>&" running dry`, Lang: "en", Published: time.Date(2025, 11, 4, 12, 0, 0, 0, tehran)},
		{Loc: "https://meridian.example/fa/%D8%B3%D8%AF%D9%87%D8%A7/", Title: "سدهای ایران در حال خشک شدن‌اند", Lang: "fa", Published: now},
		{Loc: "https://meridian.example/zh-Hant/dams/", Title: "伊朗水壩乾涸", Lang: "zh-Hant", Published: now},
	}
	var buf bytes.Buffer
	if err := News(&buf, "The Meridian Review", "https://meridian.example/", items); err != nil {
		t.Fatal(err)
	}
	golden(t, "news", buf.Bytes())
	var got decodedURLSet
	decode(t, buf.Bytes(), &got)
	type row struct{ Loc, Name, Lang, Date, Title string }
	var rows []row
	for _, u := range got.URLs {
		if u.News == nil {
			t.Fatalf("%s has no news:news", u.Loc)
		}
		rows = append(rows, row{u.Loc, u.News.Name, u.News.Language, u.News.Date, u.News.Title})
	}
	want := []row{
		{items[0].Loc, "The Meridian Review", "en", "2025-11-04T08:30:00Z", items[0].Title},
		{items[1].Loc, "The Meridian Review", "fa", "2025-11-05T12:00:00Z", items[1].Title},
		{items[2].Loc, "The Meridian Review", "zh-tw", "2025-11-05T12:00:00Z", items[2].Title},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("news (-want +got):\n%s", diff)
	}

	t.Run("KeepsFirst1000", func(t *testing.T) {
		many := make([]NewsItem, 1005)
		for i := range many {
			many[i] = NewsItem{Loc: fmt.Sprintf("https://meridian.example/n-%d/", i), Title: "t", Lang: "fa-IR", Published: now}
		}
		var buf bytes.Buffer
		if err := News(&buf, "The Meridian Review", "https://meridian.example/", many); err != nil {
			t.Fatal(err)
		}
		var got decodedURLSet
		decode(t, buf.Bytes(), &got)
		if len(got.URLs) != MaxNewsURLs {
			t.Fatalf("%d urls, want %d", len(got.URLs), MaxNewsURLs)
		}
		if got.URLs[999].Loc != "https://meridian.example/n-999/" || got.URLs[0].News.Language != "fa" {
			t.Errorf("last kept %q, language %q", got.URLs[999].Loc, got.URLs[0].News.Language)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		ok := items[0]
		for name, tc := range map[string]struct {
			pub  string
			item NewsItem
		}{
			"NoPublication": {"", ok},
			"Relative":      {"P", NewsItem{Loc: "/x/", Title: "t", Lang: "en", Published: now}},
			"NoDate":        {"P", NewsItem{Loc: ok.Loc, Title: "t", Lang: "en"}},
			"NoLanguage":    {"P", NewsItem{Loc: ok.Loc, Title: "t", Published: now}},
		} {
			var buf bytes.Buffer
			if err := News(&buf, tc.pub, "https://meridian.example/", []NewsItem{tc.item}); err == nil || buf.Len() != 0 {
				t.Errorf("%s: err = %v, wrote %d bytes", name, err, buf.Len())
			}
		}
	})
}

func TestRobots(t *testing.T) {
	var buf bytes.Buffer
	if err := Robots(&buf, "https://meridian.example/", []string{"/admin/", "/api/"}); err != nil {
		t.Fatal(err)
	}
	golden(t, "robots", buf.Bytes())
	want := "User-agent: *\nDisallow: /admin/\nDisallow: /api/\n\nSitemap: https://meridian.example/sitemap.xml\nSitemap: https://meridian.example/sitemap-news.xml\n"
	if got := buf.String(); got != want {
		t.Errorf("robots.txt = %q, want %q", got, want)
	}

	t.Run("AllowAll", func(t *testing.T) {
		var buf bytes.Buffer
		if err := Robots(&buf, "https://meridian.example", nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "User-agent: *\nDisallow:\n") {
			t.Errorf("robots.txt = %q", buf.String())
		}
	})
	t.Run("Errors", func(t *testing.T) {
		for _, tc := range []struct {
			base     string
			disallow []string
		}{
			{"meridian.example", nil},
			{"https://meridian.example", []string{"admin/"}},
			{"https://meridian.example", []string{"/admin/\nAllow: /"}},
		} {
			var buf bytes.Buffer
			if err := Robots(&buf, tc.base, tc.disallow); err == nil || buf.Len() != 0 {
				t.Errorf("%q %q: err = %v, wrote %d bytes", tc.base, tc.disallow, err, buf.Len())
			}
		}
	})
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
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
