package importer

import (
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"folio/internal/content"
	"folio/internal/store"
	"folio/internal/urls"
)

// wpcomUploads writes a small uploads copy for the Theme Unit Test export,
// whose files live on WordPress.com: two at their dated paths, one in a
// folder of its own (found by file name), the gallery's four images.
func wpcomUploads(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, rel := range []string{"2013/03/featured-image-horizontal.jpg", "elsewhere/triforce-wallpaper.jpg",
		"2008/06/canola2.jpg", "2008/06/dsc20050727_091048_222.jpg", "2008/06/dsc20050813_115856_52.jpg", "2008/06/100_5478.jpg"} {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		img := image.NewRGBA(image.Rect(0, 0, 40, 30))
		for i := range img.Pix {
			img.Pix[i] = byte(i * len(rel))
		}
		img.Set(0, 0, color.RGBA{R: byte(len(rel)), A: 255})
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := jpeg.Encode(f, img, nil); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	return dir
}

// TestThemeUnitTestData imports the WordPress Theme Unit Test export
// (testdata/README.md) and checks what each famous edge case becomes.
func TestThemeUnitTestData(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	opt := s.opts()
	opt.Uploads = wpcomUploads(t)
	rep, err := ImportWordPress(ctx, open(t, "wp-theme-unit-test.xml"), opt)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	rep.WriteTo(&out)
	t.Log(out.String())
	media := regexp.MustCompile(`<img src="/media/[^"]+"`)
	for _, tt := range []struct {
		name, slug string
		status     content.Status
		body       []string // fragments of the rendered body
		notBody    []string
		check      func(t *testing.T, a *content.Article)
		warn       string // a warning on the item
	}{
		{name: "Title With Markup", slug: "markup-title-with-markup", status: content.StatusPublished,
			check: func(t *testing.T, a *content.Article) {
				if a.Title != "Markup: Title With Markup" {
					t.Errorf("title %q", a.Title)
				}
			}, warn: "title markup removed: <em>, <b>, <sup>"},
		{name: "Password protected", slug: "template-password-protected", status: content.StatusDraft,
			warn: "password-protected post imported as a draft"},
		{name: "Draft", slug: "draft", status: content.StatusDraft},
		{name: "Scheduled", slug: "scheduled", status: content.StatusScheduled},
		{name: "No title", slug: "edge-case-no-title", status: content.StatusPublished, warn: "post has no title"},
		{name: "Sticky", slug: "template-sticky", status: content.StatusPublished,
			check: func(t *testing.T, a *content.Article) {
				if !a.Featured {
					t.Error("sticky post not featured")
				}
			}},
		{name: "Featured image on WordPress.com", slug: "template-featured-image-horizontal", status: content.StatusPublished,
			check: func(t *testing.T, a *content.Article) {
				if a.Image == nil || a.Image.MediaID == 0 || !strings.HasPrefix(a.Image.URL, "/media/") {
					t.Errorf("featured image %+v", a.Image)
				}
			}},
		{name: "Image caption, file found by name", slug: "post-format-image-caption", status: content.StatusPublished,
			body: []string{"<figcaption>Bell on wharf in San Francisco</figcaption>"},
			check: func(t *testing.T, a *content.Article) {
				if a.Image == nil || a.Image.MediaID == 0 {
					t.Errorf("featured image (triforce-wallpaper.jpg, matched by file name) %+v", a.Image)
				}
			}},
		{name: "Gallery", slug: "post-format-gallery", status: content.StatusPublished,
			check: func(t *testing.T, a *content.Article) {
				if n := len(media.FindAllString(a.BodyHTML, -1)); n < 4 {
					t.Errorf("gallery shows %d library images, want 4:\n%s", n, a.BodyHTML)
				}
				if strings.Contains(a.BodyHTML, "[gallery") {
					t.Error("shortcode left in the body")
				}
			}},
		{name: "YouTube", slug: "post-format-video-youtube", status: content.StatusPublished,
			body: []string{`<figure class="embed" data-embed-provider="YouTube`, `SQEQr7c0-dw"`}},
		{name: "WordPress.tv video", slug: "post-format-video-wordpresstv", status: content.StatusPublished,
			body: []string{`<a href="https://wordpress.tv/2009/03/16/anatomy-of-a-wordpress-theme-exploring-the-files-behind-your-theme/"`},
			warn: "embed of https://wordpress.tv/"},
		{name: "Audio", slug: "post-format-audio", status: content.StatusPublished,
			body: []string{`stlouisblues.mp3`}, notBody: []string{"[audio"}, warn: "<audio> https://wpthemetestdata.files.wordpress.com/2008/06/"},
		{name: "Twitter embed", slug: "media-twitter-embeds", status: content.StatusPublished,
			body: []string{`<figure class="embed" data-embed-provider="X"`, `https://twitter.com/nacin/status/319508408669708289`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := s.article(t, "en", tt.slug)
			if a.Status != tt.status {
				t.Errorf("status %q, want %q", a.Status, tt.status)
			}
			for _, want := range tt.body {
				if !strings.Contains(a.BodyHTML, want) {
					t.Errorf("body lacks %q:\n%s", want, a.BodyHTML)
				}
			}
			for _, bad := range tt.notBody {
				if strings.Contains(a.BodyHTML, bad) {
					t.Errorf("body holds %q", bad)
				}
			}
			if tt.check != nil {
				tt.check(t, a)
			}
			if tt.warn != "" && !hasWarning(rep, -1, tt.warn) {
				t.Errorf("no warning %q", tt.warn)
			}
		})
	}
	if len(rep.Withheld) != 1 || rep.Withheld[0].ID != "1168" {
		t.Errorf("withheld %+v, want the password-protected post", rep.Withheld)
	}

	// Pages are pages, under their parents, although the export lists the
	// children first; the Greek pages keep their non-ASCII slugs.
	t.Run("PageHierarchy", func(t *testing.T) {
		l1, l2, l3 := s.article(t, "en", "level-1"), s.article(t, "en", "level-2"), s.article(t, "en", "level-3")
		for _, p := range []*content.Article{l1, l2, l3} {
			if !p.IsPage() {
				t.Errorf("%s: type %q, want page", p.Slug, p.Type)
			}
		}
		if l1.ParentID != 0 || l2.ParentID != l1.ID || l3.ParentID != l2.ID {
			t.Errorf("parents: level-1 %d, level-2 %d (want %d), level-3 %d (want %d)", l1.ParentID, l2.ParentID, l1.ID, l3.ParentID, l2.ID)
		}
		g1 := s.article(t, "en", "greek")
		if !g1.IsPage() {
			t.Errorf("greek page type %q", g1.Type)
		}
		found := 0
		as, _, err := s.db.FindArticles(ctx, store.ArticleFilter{Type: content.TypePage})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range as {
			if a.ParentID == g1.ID && strings.ContainsRune(a.Title, 'Ε') {
				found++
			}
		}
		if found != 1 {
			t.Errorf("%d Greek child pages under %d, want 1", found, g1.ID)
		}
	})
	t.Run("OldAddresses", func(t *testing.T) {
		for from, to := range map[string]string{
			"/2013/01/05/markup-title-with-markup/": "/markup-title-with-markup/",
			"/2013/01/05/markup-title-with-markup":  "",
			"/category/classic/":                    "/theme/classic/",
			"/category/post-formats/feed/":          "/theme/post-formats/feed.xml",
			"/?p=1173":                              "/markup-title-with-markup/",
			"/?page_id=174":                         "/level-1/",
			"/category/uncategorized/":              "",
			// /tag/embeds/ and /author/themedemos/ are Folio's own addresses too: no redirect needed.
			"/feed/": "/feed.xml",
			"/2010/09/10/post-format-gallery/canola2/": "/post-format-gallery/",
			"/?attachment_id=611":                      "/post-format-gallery/",
			"/2012/01/04/template-password-protected/": "",
			"/?p=1168": "",
			"/?p=1164": "",
			urls.OldPath("/%CE%B5%CE%BB%CE%BB%CE%B7%CE%BD%CE%B9%CE%BA%CE%AC/"): "",
		} {
			rd, err := s.db.FindRedirect(ctx, from)
			switch {
			case to == "" && err == nil && strings.Contains(from, "p"):
				if strings.Contains(from, "1168") || strings.Contains(from, "1164") || strings.Contains(from, "password") {
					t.Errorf("%s: a draft's old address redirects to %s", from, rd.To)
				}
			case to != "" && (err != nil || rd.To != to):
				t.Errorf("%s → %+v, %v; want %s", from, rd, err, to)
			}
		}
	})
}
