package demo

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"folio/internal/content"
)

func mustLoad(t *testing.T) *Dataset {
	t.Helper()
	ds, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return ds
}

func TestLoad(t *testing.T) {
	ds := mustLoad(t)
	if got := len(ds.Articles); got < 30 {
		t.Errorf("got %d articles, want at least 30", got)
	}
	if n := len(ds.Authors); n < 6 || n > 9 {
		t.Errorf("got %d authors, want 6-9", n)
	}
	if ds.Settings.Title != "The Meridian Review" {
		t.Errorf("title = %q", ds.Settings.Title)
	}
	if err := ds.Settings.Validate(); err != nil {
		t.Errorf("settings: %v", err)
	}
	n := ds.Settings.Notices
	for name, v := range map[string]string{
		"note_to_readers": n.NoteToReaders, "republishing_policy": n.RepublishingPolicy,
		"disclaimer": n.Disclaimer, "fair_use": n.FairUse,
		"media_contact": n.MediaContact, "membership_call": n.MembershipCall,
	} {
		if strings.TrimSpace(v) == "" {
			t.Errorf("notice %s is empty", name)
		}
	}
	featured := 0
	for _, a := range ds.Articles {
		if a.Featured {
			featured++
		}
		if a.Status != content.StatusPublished || a.PublishedAt.IsZero() {
			t.Errorf("%s: status %q, published %v", a.Slug, a.Status, a.PublishedAt)
		}
		if len(a.Authors) != 0 || len(a.Terms) != 0 {
			t.Errorf("%s: Authors/Terms should be left empty", a.Slug)
		}
		if err := a.Validate(); err != nil {
			t.Errorf("%s: %v", a.Slug, err)
		}
	}
	if featured < 3 || featured > 6 {
		t.Errorf("%d featured articles, want about 4", featured)
	}
}

func TestReferencesResolve(t *testing.T) {
	ds := mustLoad(t)
	authors := map[string]int{}
	for _, a := range ds.Authors {
		authors[a.Slug] = 0
	}
	terms := map[TermRef]int{}
	for _, tm := range ds.Terms {
		terms[TermRef{tm.Kind, tm.Slug}] = 0
	}
	for _, a := range ds.Articles {
		for _, s := range a.AuthorSlugs {
			if _, ok := authors[s]; !ok {
				t.Errorf("%s: unknown author %q", a.Slug, s)
			}
			authors[s]++
		}
		for _, r := range a.TermRefs {
			if _, ok := terms[r]; !ok {
				t.Errorf("%s: unknown %s %q", a.Slug, r.Kind, r.Slug)
			}
			terms[r]++
		}
	}
	for s, n := range authors {
		if n < 2 {
			t.Errorf("author %s has %d articles, want at least 2", s, n)
		}
	}
	dossiers := 0
	for r, n := range terms {
		switch r.Kind {
		case content.KindDossier:
			dossiers++
			if n < 4 {
				t.Errorf("dossier %s has %d articles, want at least 4", r.Slug, n)
			}
		case content.KindRegion, content.KindTheme:
			if n < 2 {
				t.Errorf("%s %s has %d articles, want at least 2", r.Kind, r.Slug, n)
			}
		case content.KindTag:
			if n < 1 {
				t.Errorf("tag %s is unused", r.Slug)
			}
		}
	}
	if dossiers < 2 {
		t.Errorf("%d dossiers, want at least 2", dossiers)
	}
}

func TestTermRefOrder(t *testing.T) {
	ds := mustLoad(t)
	rank := map[content.TermKind]int{}
	for i, k := range content.TermKinds {
		rank[k] = i
	}
	for _, a := range ds.Articles {
		for i := 1; i < len(a.TermRefs); i++ {
			if rank[a.TermRefs[i].Kind] < rank[a.TermRefs[i-1].Kind] {
				t.Errorf("%s: term refs out of kind order: %v", a.Slug, a.TermRefs)
				break
			}
		}
	}
}

func checkSVG(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		return errors.New("root element is not <svg>: " + root)
	}
	s := string(b)
	for _, bad := range []string{"<script", "href=\"http", "href='http", "@import", "url(http"} {
		if strings.Contains(s, bad) {
			return errors.New("contains " + bad)
		}
	}
	if !strings.Contains(s, `width="`) || !strings.Contains(s, `height="`) {
		return errors.New("missing width/height")
	}
	return nil
}

func TestImages(t *testing.T) {
	ds := mustLoad(t)
	for name, b := range ds.Images {
		if err := checkSVG(b); err != nil {
			t.Errorf("images/%s: %v", name, err)
		}
	}
	for _, a := range ds.Articles {
		if a.ImageFile == "" {
			t.Errorf("%s: no image", a.Slug)
			continue
		}
		if _, ok := ds.Images[a.ImageFile]; !ok {
			t.Errorf("%s: image %q missing", a.Slug, a.ImageFile)
		}
		if a.Image == nil || a.Image.URL != MediaPrefix+a.ImageFile {
			t.Errorf("%s: image URL %+v", a.Slug, a.Image)
		} else if a.Image.Width != 1200 || a.Image.Height != 675 {
			t.Errorf("%s: image is %dx%d, want 1200x675", a.Slug, a.Image.Width, a.Image.Height)
		}
	}
	for _, au := range ds.Authors {
		f, ok := ds.AuthorPhotos[au.Slug]
		if !ok {
			continue
		}
		if _, ok := ds.Images[f]; !ok {
			t.Errorf("author %s: photo %q missing", au.Slug, f)
		}
		if au.PhotoURL != ds.Settings.BaseURL+MediaPrefix+f {
			t.Errorf("author %s: photo URL %q", au.Slug, au.PhotoURL)
		}
	}
}

func wordCount(s string) int {
	return len(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) }))
}

func TestBodies(t *testing.T) {
	ds := mustLoad(t)
	for _, a := range ds.Articles {
		if n := wordCount(a.BodyMarkdown); n < 400 {
			t.Errorf("%s: body has %d words, want at least 400", a.Slug, n)
		}
		if !strings.Contains(a.BodyMarkdown, "\n## ") {
			t.Errorf("%s: body has no ## subheading", a.Slug)
		}
		text := strings.ToLower(a.Title + a.Deck + a.BodyMarkdown)
		if strings.Contains(text, "lorem") {
			t.Errorf("%s: contains placeholder text", a.Slug)
		}
	}
}

func TestLanguages(t *testing.T) {
	ds := mustLoad(t)
	type key struct{ lang, slug string }
	seen := map[key]bool{}
	byLang := map[string]int{}
	en := map[string]*Article{}
	for _, a := range ds.Articles {
		k := key{a.Language, a.Slug}
		if seen[k] {
			t.Errorf("slug %q used twice in %s", a.Slug, a.Language)
		}
		seen[k] = true
		byLang[a.Language]++
		if a.Language == "en" {
			en[a.Slug] = a
		}
	}
	for _, lang := range []string{"fa", "es"} {
		if byLang[lang] == 0 {
			t.Errorf("no %s article", lang)
		}
	}
	for _, a := range ds.Articles {
		if a.Language == "en" {
			if a.TranslationOf != "" {
				t.Errorf("%s: English article marked as translation", a.Slug)
			}
			continue
		}
		if en[a.TranslationOf] == nil {
			t.Errorf("%s (%s): translation_of %q is not an English article", a.Slug, a.Language, a.TranslationOf)
		}
	}
}

const goodArticle = `---
title: A title
authors: a
published: 2026-11-01T00:00:00Z
---
Body.
`

func testFS(article string) fstest.MapFS {
	return fstest.MapFS{
		"data/site.txt":         {Data: []byte("title: T\nbase_url: http://localhost:8080\ndefault_language: en\ntime_zone: UTC\n")},
		"data/authors.txt":      {Data: []byte("--- a\nname: A\n")},
		"data/terms.txt":        {Data: []byte("--- region r\nname: R\n")},
		"data/images/x.svg":     {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>`)},
		"data/articles/07-x.md": {Data: []byte(article)},
	}
}

func TestErrorsNameFileAndLine(t *testing.T) {
	if _, err := load(testFS(goodArticle)); err != nil {
		t.Fatalf("good article: %v", err)
	}
	tests := []struct{ article, want string }{
		{strings.Replace(goodArticle, "authors: a", "auhtor: a", 1), `demo: articles/07-x.md line 3: unknown key "auhtor"`},
		{strings.Replace(goodArticle, "authors: a", "authors: b", 1), `demo: articles/07-x.md line 3: unknown author "b"`},
		{strings.Replace(goodArticle, "---\nBody", "regions: nowhere\n---\nBody", 1), `line 5: unknown region "nowhere"`},
		{strings.Replace(goodArticle, "---\nBody", "image: y.svg\n---\nBody", 1), `line 5: image: no file "y.svg"`},
		{strings.Replace(goodArticle, "2026-11-01T00:00:00Z", "yesterday", 1), `line 4: published`},
		{strings.Replace(goodArticle, "---\nBody", "image: x.svg\n---\nBody", 1), `image.alt`},
		{"title: no front matter\n", `line 1: file must open`},
	}
	for _, tt := range tests {
		_, err := load(testFS(tt.article))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("got error %v, want it to contain %q", err, tt.want)
		}
	}
}

// TestMediaFlags: every article image has a library record with its own
// republish flag, from media.txt, and mistakes there name the line.
func TestMediaFlags(t *testing.T) {
	ds := mustLoad(t)
	flags := map[string]bool{}
	for _, m := range ds.Media {
		flags[m.Filename] = m.Republishable
		if m.Path != "demo/"+m.Filename || m.Alt == "" || m.Credit == "" || m.ContentType != "image/svg+xml" {
			t.Errorf("media %+v", m)
		}
	}
	yes, no := 0, 0
	for _, a := range ds.Articles {
		if a.ImageFile == "" {
			continue
		}
		r, ok := flags[a.ImageFile]
		switch {
		case !ok:
			t.Errorf("%s: image %s has no media record", a.Slug, a.ImageFile)
		case r:
			yes++
		default:
			no++
		}
	}
	if yes == 0 || no == 0 {
		t.Errorf("%d articles with republishable images, %d without; the demo needs both", yes, no)
	}

	withImage := strings.Replace(goodArticle, "---\nBody", "image: x.svg\nimage_alt: A box\n---\nBody", 1)
	for _, tt := range []struct{ media, want string }{
		{"", `image "x.svg" of article x is not listed`},
		{"# flags\nx.svg: maybe\n", `media.txt line 2: x.svg: want yes or no, got "maybe"`},
		{"x.svg: yes\nx.svg: no\n", `media.txt line 2: "x.svg" listed twice`},
		{"y.svg: yes\n", `media.txt line 1: no file "y.svg"`},
	} {
		fsys := testFS(withImage)
		if tt.media != "" {
			fsys["data/media.txt"] = &fstest.MapFile{Data: []byte(tt.media)}
		}
		_, err := load(fsys)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("media.txt %q: got error %v, want it to contain %q", tt.media, err, tt.want)
		}
	}
	fsys := testFS(withImage)
	fsys["data/media.txt"] = &fstest.MapFile{Data: []byte("x.svg: yes\n")}
	if ds, err := load(fsys); err != nil || len(ds.Media) != 1 || !ds.Media[0].Republishable || ds.Media[0].Alt != "A box" {
		t.Errorf("one listed image: %v %+v", err, ds)
	}
}

// TestDataset_Rebase moves the demo to another address: the base URL and
// the social links into the site follow, links elsewhere stay.
func TestDataset_Rebase(t *testing.T) {
	ds, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	before := ds.Settings.SocialLinks[0]
	ds.Rebase("https://review.example/")
	if ds.Settings.BaseURL != "https://review.example" {
		t.Errorf("base URL %q", ds.Settings.BaseURL)
	}
	rss := false
	for _, l := range ds.Settings.SocialLinks {
		if strings.Contains(l.URL, "localhost") {
			t.Errorf("link %+v still names localhost", l)
		}
		rss = rss || l.URL == "https://review.example/feed.xml"
	}
	if !rss || ds.Settings.SocialLinks[0] != before {
		t.Errorf("links %+v: want the RSS link moved and %+v kept", ds.Settings.SocialLinks, before)
	}
}
