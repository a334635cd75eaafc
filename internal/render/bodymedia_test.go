package render

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"folio/internal/content"
	"folio/internal/render/markdown"
)

func TestBodyHTML_LibraryFigure(t *testing.T) {
	f := newFixture(t)
	body, err := markdown.ToHTML("Intro.\n\n::: figure 42\n![Boats in a grey harbour](/media/2026/12/harbour-a1b2c3.png)\nThe harbour.\nCredit: Photo Desk\n:::\n\n" +
		"::: document 43\n[The annual report](/media/2026/12/report-d4e5f6.pdf)\n:::\n\n::: figure 44\n![No variants yet](/media/2026/12/new.png)\n:::\n")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := BodyMediaIDs(body), []int64{42, 43, 44}; !slices.Equal(got, want) {
		t.Fatalf("BodyMediaIDs = %v, want %v", got, want)
	}
	s := f.site
	s.Variants = map[int64][]content.MediaVariant{
		42: {
			{MediaID: 42, Width: 320, Height: 200, Format: "png", Path: "2026/12/harbour-a1b2c3.w320.png"},
			{MediaID: 42, Width: 640, Height: 400, Format: "png", Path: "2026/12/harbour-a1b2c3.w640.png"},
			{MediaID: 42, Width: 320, Height: 200, Format: "webp", Path: "2026/12/harbour-a1b2c3.w320.webp"},
			{MediaID: 42, Width: 640, Height: 400, Format: "webp", Path: "2026/12/harbour-a1b2c3.w640.webp"},
		},
		43: {
			{MediaID: 43, Width: 640, Height: 905, Format: "png", Path: "2026/12/report-d4e5f6.p1.w640.png"},
			{MediaID: 43, Width: 320, Height: 452, Format: "png", Path: "2026/12/report-d4e5f6.p1.w320.png"},
		},
	}
	a := *f.article
	a.BodyHTML = body
	v := NewArticleView(s, &a, nil, nil)
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader([]byte(v.Body)))
	if err != nil {
		t.Fatal(err)
	}
	fig := doc.Find(`figure.figure[data-media-id="42"]`)
	if got := fig.Find(`picture source[type="image/webp"]`).AttrOr("srcset", ""); got != "/media/2026/12/harbour-a1b2c3.w320.webp 320w, /media/2026/12/harbour-a1b2c3.w640.webp 640w" {
		t.Errorf("webp srcset = %q", got)
	}
	img := fig.Find("picture img")
	for attr, want := range map[string]string{"src": "/media/2026/12/harbour-a1b2c3.w640.png", "alt": "Boats in a grey harbour", "width": "640", "height": "400",
		"srcset": "/media/2026/12/harbour-a1b2c3.w320.png 320w, /media/2026/12/harbour-a1b2c3.w640.png 640w", "sizes": bodySizes} {
		if got := img.AttrOr(attr, ""); got != want {
			t.Errorf("img %s = %q, want %q", attr, got, want)
		}
	}
	if got := strings.TrimSpace(fig.Find("figcaption").Text()); got != "The harbour. Photo Desk" {
		t.Errorf("caption = %q", got)
	}
	if got := doc.Find(`figure.document a.document-link img.document-thumb`).AttrOr("src", ""); got != "/media/2026/12/report-d4e5f6.p1.w320.png" {
		t.Errorf("document thumbnail = %q", got)
	}
	// An image whose variants are not made yet keeps its original.
	if got := doc.Find(`figure[data-media-id="44"] > img`).AttrOr("src", ""); got != "/media/2026/12/new.png" {
		t.Errorf("figure without variants: img src = %q", got)
	}
	if doc.Find(`figure[data-media-id="44"] picture`).Length() != 0 {
		t.Error("figure without variants got a <picture>")
	}
}
