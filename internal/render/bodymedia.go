package render

import (
	"html"
	"html/template"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"folio/internal/content"
)

// The body keeps, for each media-library block (markdown/blocks.go), the
// media ID and the original file. The variants are made in the background
// after the upload and may change, so they are added when the page is
// rendered, from Site.Variants, and not stored in the body: the page
// depends on the media item and is rendered again when they arrive.
var (
	bodyMediaID  = regexp.MustCompile(`<figure class="(?:figure|document|audio)" data-media-id="([0-9]{1,18})"`)
	bodyFigure   = regexp.MustCompile(`<figure class="figure" data-media-id="([0-9]{1,18})"><img src="([^"]*)" alt="([^"]*)" loading="lazy">`)
	bodyDocument = regexp.MustCompile(`<figure class="document" data-media-id="([0-9]{1,18})"><a class="document-link" href="([^"]*)">`)
)

// bodySizes is the width body images take: the text column (68ch of the
// body type, about 40rem) or the screen.
const bodySizes = "(min-width: 44rem) 40rem, 100vw"

// docThumbWidth is the thumbnail a document card shows, at most.
const docThumbWidth = 320

// BodyMediaIDs returns the media-library items the blocks of sanitized body
// h show, once each, in order of appearance.
func BodyMediaIDs(h string) []int64 {
	if !strings.Contains(h, "data-media-id=") {
		return nil
	}
	var ids []int64
	for _, m := range bodyMediaID.FindAllStringSubmatch(h, -1) {
		id, err := strconv.ParseInt(m[1], 10, 64)
		if err == nil && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// Body is sanitized body h as the article page shows it (see bodyHTML),
// for the admin's live preview.
func (s Site) Body(h string) template.HTML { return s.bodyHTML(h) }

// bodyHTML is sanitized body h with the responsive variants of its library
// figures (a <picture> with WebP and fallback srcsets, width and height)
// and the first-page thumbnails of its document cards.
func (s Site) bodyHTML(h string) template.HTML {
	if len(s.Variants) == 0 || !strings.Contains(h, "data-media-id=") {
		return template.HTML(h)
	}
	h = bodyFigure.ReplaceAllStringFunc(h, func(m string) string {
		sub := bodyFigure.FindStringSubmatch(m)
		id, _ := strconv.ParseInt(sub[1], 10, 64)
		v := &ImageView{URL: html.UnescapeString(sub[2])}
		s.addVariants(v, &content.Image{MediaID: id})
		if v.Srcset == "" {
			return m
		}
		esc := html.EscapeString
		var b strings.Builder
		b.WriteString(`<figure class="figure" data-media-id="` + sub[1] + `"><picture>`)
		for _, src := range v.Sources {
			b.WriteString(`<source type="` + esc(src.Type) + `" srcset="` + esc(src.Srcset) + `" sizes="` + bodySizes + `">`)
		}
		b.WriteString(`<img src="` + esc(v.URL) + `" srcset="` + esc(v.Srcset) + `" sizes="` + bodySizes + `" alt="` + sub[3] + `"`)
		if v.Width > 0 {
			b.WriteString(` width="` + strconv.Itoa(v.Width) + `" height="` + strconv.Itoa(v.Height) + `"`)
		}
		b.WriteString(` loading="lazy" decoding="async"></picture>`)
		return b.String()
	})
	h = bodyDocument.ReplaceAllStringFunc(h, func(m string) string {
		sub := bodyDocument.FindStringSubmatch(m)
		id, _ := strconv.ParseInt(sub[1], 10, 64)
		th, ok := s.docThumb(id)
		if !ok {
			return m
		}
		return m + `<img class="document-thumb" src="` + html.EscapeString(s.URLs.Media(th.Path)) + `" alt="" width="` +
			strconv.Itoa(th.Width) + `" height="` + strconv.Itoa(th.Height) + `" loading="lazy" decoding="async">`
	})
	return template.HTML(h)
}

// docThumb picks the widest thumbnail of a document up to docThumbWidth,
// or the narrowest when all are wider.
func (s Site) docThumb(id int64) (content.MediaVariant, bool) {
	var best content.MediaVariant
	found := false
	for _, v := range s.Variants[id] {
		switch {
		case !found:
			best, found = v, true
		case v.Width <= docThumbWidth && (best.Width > docThumbWidth || v.Width > best.Width):
			best = v
		case v.Width > docThumbWidth && best.Width > docThumbWidth && v.Width < best.Width:
			best = v
		}
	}
	return best, found
}
