package render

import (
	"strconv"
	"strings"

	"folio/internal/content"
)

// ImageSource is one <source> of a <picture>: a format and its widths.
type ImageSource struct {
	Type   string // MIME type, "image/webp"
	Srcset string // "/media/a.w320.webp 320w, /media/a.w640.webp 640w"
}

// fallbackSrcWidth is the widest variant used as a plain src, for browsers
// that ignore srcset: wide enough for a laptop, far lighter than an original.
const fallbackSrcWidth = 1280

// addVariants fills v's Sources, Srcset, URL and size from the variants of
// im's media item in s.Variants. WebP goes first so browsers that decode it
// pick it; the JPEG or PNG fallback is the <img>'s own srcset.
func (s Site) addVariants(v *ImageView, im *content.Image) {
	vs := s.Variants[im.MediaID]
	if im.MediaID == 0 || len(vs) == 0 {
		return
	}
	byFormat := map[string][]content.MediaVariant{}
	var fallback string
	for _, mv := range vs {
		byFormat[mv.Format] = append(byFormat[mv.Format], mv)
		if mv.Format != "webp" {
			fallback = mv.Format
		}
	}
	if fallback == "" {
		return
	}
	if w := byFormat["webp"]; len(w) > 0 {
		v.Sources = []ImageSource{{Type: "image/webp", Srcset: s.srcset(w)}}
	}
	fb := byFormat[fallback]
	v.Srcset = s.srcset(fb)
	src := fb[0]
	for _, mv := range fb {
		if mv.Width <= fallbackSrcWidth {
			src = mv
		}
	}
	// The variants are upright (EXIF orientation applied), so their aspect
	// ratio is the one to reserve space for.
	v.URL, v.Width, v.Height = s.URLs.Media(src.Path), src.Width, src.Height
}

func (s Site) srcset(vs []content.MediaVariant) string {
	parts := make([]string, len(vs))
	for i, mv := range vs {
		parts[i] = s.URLs.Media(mv.Path) + " " + strconv.Itoa(mv.Width) + "w"
	}
	return strings.Join(parts, ", ")
}
