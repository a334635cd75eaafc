package render

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	_ "time/tzdata"

	"folio/internal/content" // hermetic time zones for the fixtures

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

func readFS(fsys fs.FS, name string) (string, error) {
	b, err := fs.ReadFile(fsys, name)
	return string(b), err
}

func doc(tb testing.TB, page string) *goquery.Document {
	tb.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true,
	"hr": true, "img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// checkHTML checks what a browser would silently repair: every element closed
// in order, no duplicate ids, alt on every image, one h1, no nested links, and
// no sign of a template escaping failure.
func checkHTML(tb testing.TB, page string) {
	tb.Helper()
	if !strings.HasPrefix(page, "<!doctype html>\n") {
		tb.Errorf("page does not start with <!doctype html>")
	}
	if strings.Contains(page, "ZgotmplZ") {
		tb.Errorf("page contains ZgotmplZ (a value html/template refused)")
	}
	z := html.NewTokenizer(strings.NewReader(page))
	var stack []string
	ids := map[string]bool{}
	h1 := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				tb.Fatalf("tokenize: %v", z.Err())
			}
			break
		}
		tok := z.Token()
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			name := tok.Data
			for _, a := range tok.Attr {
				if a.Key == "id" {
					if ids[a.Val] {
						tb.Errorf("duplicate id %q", a.Val)
					}
					ids[a.Val] = true
				}
			}
			switch name {
			case "img":
				if !hasAttr(tok, "alt") {
					tb.Errorf("img without alt: %s", tok)
				}
			case "h1":
				h1++
			case "a":
				for _, open := range stack {
					if open == "a" {
						tb.Errorf("nested <a>: %s", tok)
					}
				}
			case "html":
				if !hasAttr(tok, "lang") || !hasAttr(tok, "dir") {
					tb.Errorf("<html> lacks lang or dir")
				}
			}
			if !voidElements[name] && tt == html.StartTagToken {
				stack = append(stack, name)
			}
		case html.EndTagToken:
			if voidElements[tok.Data] {
				tb.Errorf("end tag for void element %s", tok.Data)
				continue
			}
			if len(stack) == 0 || stack[len(stack)-1] != tok.Data {
				tb.Fatalf("</%s> closes %v", tok.Data, stack)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) != 0 {
		tb.Errorf("unclosed elements %v", stack)
	}
	if h1 != 1 {
		tb.Errorf("%d h1 elements, want 1", h1)
	}
	// The tree parser must agree: one head, one body, one main landmark.
	d := doc(tb, page)
	for sel, n := range map[string]int{"head": 1, "body": 1, "main#main": 1, "header.site-header": 1,
		"footer.site-footer": 1, "a.skip-link[href='#main']": 1, "head title": 1, "head meta[charset]": 1,
		"head meta[name=viewport]": 1, "head meta[name=description]": 1} {
		if got := d.Find(sel).Length(); got != n {
			tb.Errorf("%s: %d elements, want %d", sel, got, n)
		}
	}
}

func hasAttr(t html.Token, key string) bool {
	for _, a := range t.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func attr(tb testing.TB, d *goquery.Document, sel, name string) string {
	tb.Helper()
	s := d.Find(sel)
	if s.Length() == 0 {
		tb.Fatalf("no %s", sel)
	}
	v, _ := s.First().Attr(name)
	return v
}

func isAbs(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host == "meridian.example"
}

func TestArticlePage(t *testing.T) {
	f := newFixture(t)
	r := mustNew(t, Options{})
	d := doc(t, f.articlePage(t, r))

	if got := d.Find("html").AttrOr("dir", ""); got != "ltr" {
		t.Errorf("dir = %q", got)
	}
	if got := d.Find("main h1").Text(); got != f.article.Title {
		t.Errorf("h1 = %q", got)
	}
	var byline []string
	d.Find(".article__meta .byline a[rel=author]").Each(func(_ int, s *goquery.Selection) {
		byline = append(byline, s.Text()+" "+s.AttrOr("href", ""))
	})
	if want := []string{"Leyla Hosseini /author/leyla-hosseini/", "Omar Farid /author/omar-farid/"}; strings.Join(byline, "|") != strings.Join(want, "|") {
		t.Errorf("byline links = %q, want %q", byline, want)
	}
	if got := strings.Join(strings.Fields(d.Find(".article__meta .byline").Text()), " "); got != "By Leyla Hosseini and Omar Farid" {
		t.Errorf("byline = %q", got)
	}
	tm := d.Find(".article__meta time")
	if tm.Text() != "November 29, 2026" || tm.AttrOr("datetime", "") != "2026-11-29T14:30:00+04:30" {
		t.Errorf("date = %q %q", tm.Text(), tm.AttrOr("datetime", ""))
	}
	if d.Find("figure img").AttrOr("alt", "") != f.article.Image.Alt {
		t.Error("featured image alt missing")
	}
	credit := d.Find("figure figcaption .credit")
	if got := strings.TrimSpace(credit.Text()); got != "Photo: Ahmad Rahimi" {
		t.Errorf("credit = %q", got)
	}
	if credit.Find("a").AttrOr("href", "") != "https://photos.example/ahmad" {
		t.Error("credit not linked to CreditURL")
	}
	if got := d.Find(".copyright-line").Text(); got != "Copyright © Leyla Hosseini and Omar Farid, The Meridian Review, 2026" {
		t.Errorf("copyright line = %q", got)
	}
	if got := strings.Join(strings.Fields(d.Find(".source-line").Text()), " "); got != "Originally published by Partner News at https://partner.example/amu" {
		t.Errorf("source line = %q", got)
	}
	for _, term := range []string{"/region/central-asia/", "/theme/water/", "/dossier/amu-darya/", "/tag/qosh-tepa/"} {
		if d.Find(".terms a[href='"+term+"']").Length() != 1 {
			t.Errorf("no term link %s", term)
		}
	}

	// Share links: every service, as plain links.
	hosts := map[string]bool{}
	d.Find(".share__links a").Each(func(_ int, s *goquery.Selection) {
		u, err := url.Parse(s.AttrOr("href", ""))
		if err != nil {
			t.Error(err)
			return
		}
		hosts[u.Scheme+":"+u.Host] = true
		if u.Scheme != "mailto" && !strings.Contains(u.RawQuery, url.QueryEscape("https://meridian.example/water-politics-amu-darya/")) {
			t.Errorf("share link %s lacks the article URL", u)
		}
	})
	for _, h := range []string{"mailto:", "https:twitter.com", "https:www.facebook.com", "https:t.me", "https:wa.me",
		"https:www.reddit.com", "https:www.linkedin.com"} {
		if !hosts[h] {
			t.Errorf("no share link to %s (have %v)", h, hosts)
		}
	}
	fw, err := url.Parse(attr(t, d, ".share__forward a", "href"))
	if err != nil || fw.Scheme != "mailto" {
		t.Fatalf("forward link %v %v", fw, err)
	}
	body, _ := url.QueryUnescape(fw.Query().Get("body"))
	if !strings.Contains(fw.Query().Get("body"), f.article.Deck) || !strings.Contains(body, "https://meridian.example/water-politics-amu-darya/") {
		t.Errorf("forward body = %q", fw.Query().Get("body"))
	}
	if strings.Contains(fw.RawQuery, "+") {
		t.Errorf("mailto query uses + for spaces: %s", fw.RawQuery)
	}
	in := d.Find("input#share-url")
	if _, ro := in.Attr("readonly"); !ro || in.AttrOr("value", "") != "https://meridian.example/water-politics-amu-darya/" {
		t.Error("copy-link input missing or not read-only")
	}
	if d.Find("label[for=share-url]").Length() != 1 {
		t.Error("copy-link input has no label")
	}

	// Notices: community license summary, the site's policy and every notice.
	repub := d.Find("#notice-republishing")
	if !strings.Contains(repub.Text(), "Community sites may cross-post") || repub.Find("strong").Text() != "unchanged" {
		t.Errorf("republishing notice = %q", repub.Text())
	}
	for _, id := range []string{"note-to-readers", "disclaimer", "fair-use", "media-contact", "membership"} {
		if d.Find("#notice-"+id).Length() != 1 {
			t.Errorf("notice %s missing", id)
		}
	}
	if d.Find("#notice-membership a[href='https://meridian.example/membership/']").Length() != 1 {
		t.Error("membership Markdown link not rendered")
	}
	if n := d.Find(".author-box").Length(); n != 2 {
		t.Errorf("%d author boxes", n)
	}
	if d.Find(".author-box img").AttrOr("src", "") != f.leyla.PhotoURL {
		t.Error("author photo missing")
	}

	// Translations.
	tr := d.Find(".translations a[hreflang=fa]")
	if tr.Length() != 1 || tr.AttrOr("dir", "") != "rtl" {
		t.Error("fa translation link missing")
	}
	alts := map[string]string{}
	d.Find("head link[rel=alternate][hreflang]").Each(func(_ int, s *goquery.Selection) {
		alts[s.AttrOr("hreflang", "")] = s.AttrOr("href", "")
	})
	if len(alts) != 3 || alts["x-default"] != alts["en"] || alts["en"] != "https://meridian.example/water-politics-amu-darya/" || !isAbs(alts["fa"]) {
		t.Errorf("hreflang alternates = %v", alts)
	}

	// Head: canonical, Open Graph, Twitter, feeds, assets.
	if got := attr(t, d, "link[rel=canonical]", "href"); got != "https://meridian.example/water-politics-amu-darya/" {
		t.Errorf("canonical = %q", got)
	}
	for _, sel := range []string{"meta[property='og:url']", "meta[property='og:image']", "meta[name='twitter:image']"} {
		if v := attr(t, d, sel, "content"); !isAbs(v) {
			t.Errorf("%s = %q, not absolute", sel, v)
		}
	}
	if attr(t, d, "meta[property='og:image']", "content") != "https://meridian.example/media/2026/11/canal.jpg" {
		t.Error("og:image is not the featured image")
	}
	if attr(t, d, "meta[name='twitter:card']", "content") != "summary_large_image" {
		t.Error("twitter card not summary_large_image")
	}
	if attr(t, d, "meta[property='og:type']", "content") != "article" {
		t.Error("og:type")
	}
	feeds := d.Find("head link[rel=alternate][type]")
	if feeds.Length() != 3 {
		t.Errorf("%d feed links", feeds.Length())
	}
	if css := attr(t, d, "link[rel=stylesheet]", "href"); !strings.HasPrefix(css, "/static/site.css?v=") || len(css) != len("/static/site.css?v=")+8 {
		t.Errorf("stylesheet URL %q lacks a content hash", css)
	}

	// Scripts: JSON-LD and our own copy.js, nothing else.
	d.Find("script").Each(func(_ int, s *goquery.Selection) {
		if src, ok := s.Attr("src"); ok && !strings.HasPrefix(src, "/static/copy.js?v=") {
			t.Errorf("unexpected script %s", src)
		}
	})
	ld := d.Find("script[type='application/ld+json']")
	if ld.Length() != 1 {
		t.Fatalf("%d JSON-LD scripts", ld.Length())
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(ld.Text()), &m); err != nil {
		t.Fatalf("JSON-LD: %v\n%s", err, ld.Text())
	}
	for _, k := range []string{"@context", "@type", "headline", "description", "datePublished", "dateModified", "inLanguage",
		"mainEntityOfPage", "url", "author", "publisher", "copyrightHolder", "copyrightYear", "license", "image", "isAccessibleForFree"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON-LD lacks %s", k)
		}
	}
	if m["@type"] != "NewsArticle" || m["isAccessibleForFree"] != true || m["copyrightYear"] != float64(2026) {
		t.Errorf("JSON-LD = %v", m)
	}
	authors, _ := m["author"].([]any)
	if len(authors) != 2 || authors[0].(map[string]any)["url"] != "https://meridian.example/author/leyla-hosseini/" {
		t.Errorf("JSON-LD author = %v", m["author"])
	}
	img, _ := m["image"].(map[string]any)
	if img["creditText"] != "Ahmad Rahimi" || img["url"] != "https://meridian.example/media/2026/11/canal.jpg" || img["caption"] == nil {
		t.Errorf("JSON-LD image = %v", img)
	}
	pub, _ := m["publisher"].(map[string]any)
	if pub["name"] != "The Meridian Review" || pub["logo"] == nil {
		t.Errorf("JSON-LD publisher = %v", pub)
	}
}

func TestArticlePage_RTL(t *testing.T) {
	f := newFixture(t)
	r := mustNew(t, Options{})
	f.settings.Translations = map[string]map[string]string{"fa": {"title": "نقد مریدین"}}
	s := f.site.WithNav([]*content.Term{f.asia})
	s.Lang = "fa"
	v := NewArticleView(s, f.fa, nil, []*content.Article{f.article, f.fa})
	page := render(t, func(b *bytes.Buffer) error { return r.Article(b, v) })
	checkHTML(t, page)
	d := doc(t, page)
	if d.Find("html").AttrOr("dir", "") != "rtl" || d.Find("html").AttrOr("lang", "") != "fa" {
		t.Errorf("html lang/dir = %q/%q", d.Find("html").AttrOr("lang", ""), d.Find("html").AttrOr("dir", ""))
	}
	if got := attr(t, d, "link[rel=canonical]", "href"); !isAbs(got) || !strings.HasPrefix(got, "https://meridian.example/fa/") {
		t.Errorf("canonical = %q", got)
	}
	if d.Find(".kicker a").Text() != "آسیای مرکزی" {
		t.Errorf("kicker not in Persian: %q", d.Find(".kicker a").Text())
	}
	if got := d.Find(".site-footer__title").Text(); got != "نقد مریدین" {
		t.Errorf("site title not translated: %q", got)
	}
	// The catalog message of the page language, the name in its own
	// script and isolated, the year in Persian digits.
	if got := d.Find(".copyright-line").Text(); got != "حق نشر © Leyla Hosseini، نقد مریدین، ۲۰۲۶" {
		t.Errorf("copyright line = %q", got)
	}
	if got := d.Find(".copyright-line bdi").First().Text(); got != "Leyla Hosseini" {
		t.Errorf("author name not isolated in <bdi>: %q", got)
	}
	if d.Find(".translations a[hreflang=en]").AttrOr("dir", "") != "ltr" {
		t.Error("English translation link not marked ltr")
	}
	if d.Find("twitter\\:card").Length() != 0 || attr(t, d, "meta[name='twitter:card']", "content") != "summary" {
		t.Error("twitter card should be summary without an image")
	}
}

func TestEscaping(t *testing.T) {
	f := newFixture(t)
	r := mustNew(t, Options{})
	evil := `Evil </script><script>alert(1)</script> & "quotes"`
	f.article.Title = evil
	f.article.Deck = "<img src=x onerror=alert(1)>"
	f.article.Image.Caption = "<b>caption</b>"
	f.leyla.Name = "<i>Leyla</i>"
	page := f.articlePage(t, r)
	checkHTML(t, page)
	for _, bad := range []string{"<script>alert(1)", "<img src=x", "<b>caption</b>", "<i>Leyla</i>"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains unescaped %q", bad)
		}
	}
	d := doc(t, page)
	if got := d.Find("main h1").Text(); got != evil {
		t.Errorf("h1 text = %q, want the title as text", got)
	}
	if n := d.Find("script").Length(); n != 2 { // JSON-LD and copy.js
		t.Errorf("%d script elements", n)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(d.Find("script[type='application/ld+json']").Text()), &m); err != nil || m["headline"] != evil {
		t.Errorf("JSON-LD headline = %v (%v)", m["headline"], err)
	}
}

func TestHomePage(t *testing.T) {
	f := newFixture(t)
	r := mustNew(t, Options{})
	d := doc(t, f.home(t, r))
	if n := d.Find(".grid--featured .card").Length(); n != 1 {
		t.Errorf("%d featured cards", n)
	}
	latest := d.Find(".latest .card")
	if latest.Length() != 2 {
		t.Fatalf("%d latest cards", latest.Length())
	}
	first := latest.First()
	if first.Find(".kicker a").AttrOr("href", "") != "/region/central-asia/" || first.Find("h3 a").AttrOr("href", "") != "/bishkek-budget/" {
		t.Error("card kicker or title link wrong")
	}
	if first.Find("time").Text() != "November 30, 2026" { // 23:00 UTC is the next day in Kabul
		t.Errorf("card date = %q", first.Find("time").Text())
	}
	if first.Find(".card__deck").Text() != "Where the money goes." {
		t.Error("card falls back to the excerpt")
	}
	if d.Find(".dossier-block h2 a[href='/dossier/amu-darya/']").Length() != 1 {
		t.Error("dossier block missing")
	}
	if got := strings.Join(strings.Fields(d.Find(".pagination__status").Text()), " "); got != "Page 2 of 3" {
		t.Errorf("pagination = %q", got)
	}
	if d.Find(".pagination a[rel=prev]").AttrOr("href", "") != "/" || d.Find(".pagination a[rel=next]").AttrOr("href", "") != "/page/3/" {
		t.Error("pagination links")
	}
	if attr(t, d, "link[rel=canonical]", "href") != "https://meridian.example/page/2/" ||
		attr(t, d, "head link[rel=next]", "href") != "https://meridian.example/page/3/" {
		t.Error("canonical or rel=next")
	}
	if d.Find(".site-nav a[href='/region/central-asia/']").Length() != 1 {
		t.Error("nav from WithNav missing")
	}
	if d.Find(".site-footer a[href='/fa/'][hreflang=fa]").Length() != 1 {
		t.Error("language menu missing")
	}
	if d.Find(".site-footer a[href='mailto:desk@meridian.example']").Length() != 1 ||
		d.Find(".site-footer a[href='https://social.example/@meridian']").Length() != 1 {
		t.Error("footer contact or social link missing")
	}
	if d.Find("script").Length() != 0 {
		t.Error("home page has scripts")
	}
}

func TestArchivePage(t *testing.T) {
	f := newFixture(t)
	r := mustNew(t, Options{})
	d := doc(t, f.archive(t, r))
	if d.Find("main h1").Text() != "Central Asia" {
		t.Errorf("h1 = %q", d.Find("main h1").Text())
	}
	feeds := map[string]bool{}
	d.Find("head link[rel=alternate][type]").Each(func(_ int, s *goquery.Selection) { feeds[s.AttrOr("href", "")] = true })
	for _, u := range []string{"https://meridian.example/feed.xml", "https://meridian.example/atom.xml", "https://meridian.example/feed.json",
		"https://meridian.example/region/central-asia/feed.xml", "https://meridian.example/region/central-asia/atom.xml",
		"https://meridian.example/region/central-asia/feed.json"} {
		if !feeds[u] {
			t.Errorf("no feed link %s", u)
		}
	}
	if d.Find(".archive__feeds a[href='https://meridian.example/region/central-asia/feed.xml']").Length() != 1 {
		t.Error("archive feed links not in the page")
	}
	if attr(t, d, "head link[rel=prev]", "href") != "https://meridian.example/region/central-asia/" ||
		attr(t, d, "head link[rel=next]", "href") != "https://meridian.example/region/central-asia/page/3/" {
		t.Error("rel prev/next")
	}
	if !strings.Contains(d.Find("title").Text(), "Page 2 of 3") {
		t.Errorf("title = %q", d.Find("title").Text())
	}

	av := NewAuthorArchiveView(f.site, f.leyla, nil, 1, 1)
	d = doc(t, render(t, func(b *bytes.Buffer) error { return r.Archive(b, av) }))
	if d.Find(".archive__photo").AttrOr("src", "") != f.leyla.PhotoURL || d.Find(".archive__description").Length() != 2 {
		t.Error("author photo or bio missing")
	}
	if d.Find(".pagination").Length() != 0 {
		t.Error("pagination on a single page")
	}
}

func TestErrorPages(t *testing.T) {
	f := newFixture(t)
	r := mustNew(t, Options{})
	for status, want := range map[int]string{404: "Page not found", 410: "This article has been removed", 500: "Something went wrong"} {
		page := render(t, func(b *bytes.Buffer) error { return r.Error(b, NewErrorView(f.site, status)) })
		checkHTML(t, page)
		d := doc(t, page)
		if d.Find("main h1").Text() != want || d.Find("main a[href='/']").Length() != 1 {
			t.Errorf("%d: h1 %q", status, d.Find("main h1").Text())
		}
		if attr(t, d, "meta[name=robots]", "content") != "noindex" {
			t.Errorf("%d: not noindex", status)
		}
	}
}

func TestStatic(t *testing.T) {
	r := mustNew(t, Options{})
	css, err := readFS(r.Static(), "site.css")
	if err != nil {
		t.Fatal(err)
	}
	// What a reader waits for is the compressed transfer; the raw cap keeps
	// the one stylesheet small enough to read through.
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write([]byte(css))
	zw.Close()
	if len(css) > 22<<10 || gz.Len() > 6<<10 {
		t.Errorf("site.css is %d bytes, %d gzipped; budget 22 KB, 6 KB gzipped", len(css), gz.Len())
	}
	for _, want := range []string{"@media print", "prefers-reduced-motion", ":focus-visible", "margin-inline"} {
		if !strings.Contains(css, want) {
			t.Errorf("site.css lacks %s", want)
		}
	}
	for _, bad := range []string{"@import", "url(http", "fonts.googleapis"} {
		if strings.Contains(css, bad) {
			t.Errorf("site.css loads a third party: %s", bad)
		}
	}
	if err := fstestWalk(r.Static()); err != nil {
		t.Fatal(err)
	}
	// Handlers serve Static with the standard file server, which needs Seek.
	srv := http.StripPrefix(StaticPrefix, http.FileServerFS(r.Static()))
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", r.AssetURL("site.css"), nil))
	if rec.Code != 200 || rec.Body.String() != css || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
		t.Errorf("GET %s: %d %q, %d bytes", r.AssetURL("site.css"), rec.Code, rec.Header().Get("Content-Type"), rec.Body.Len())
	}
	rec = httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/static/nosuch.css", nil))
	if rec.Code != 404 {
		t.Errorf("missing file: %d", rec.Code)
	}
}

func fstestWalk(fsys fs.FS) error {
	n := 0
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if err == nil && n < 3 {
		err = fs.ErrNotExist
	}
	return err
}
