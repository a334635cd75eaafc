package importer

import (
	"encoding/json"
	"fmt"
	"html"
	"strings"

	"folio/internal/embeds"
	"folio/internal/render/markdown"
)

// Ghost keeps a post's source as mobiledoc (Ghost 1–4) or lexical (Ghost
// 5) JSON, and its rendered html beside it; some exports (and every
// hand-made one) carry only the source. These render the source to HTML:
// text with its marks, and the cards Folio can show (markdown, html,
// image, gallery, embed, bookmark, callout, code, divider, button,
// toggle). Other cards are named in dropped, for the report.

// cardHTML renders one card from either format; the payload keys are the
// same in both, apart from lexical's camel-case alt ("altText" in early
// 5.x). ok is false for cards Folio has no equivalent for.
func cardHTML(name string, p map[string]any) (out string, ok bool) {
	s := func(k string) string {
		if v, ok := p[k].(string); ok {
			return v
		}
		return ""
	}
	caption := s("caption") // HTML in both formats
	figcap := ""
	if strings.TrimSpace(caption) != "" {
		figcap = "<figcaption>" + caption + "</figcaption>"
	}
	switch name {
	case "markdown", "card-markdown":
		h, err := markdown.ToHTML(s("markdown"))
		if err != nil {
			return "", false
		}
		return h, true
	case "html":
		return s("html"), true
	case "image":
		alt := s("alt")
		if alt == "" {
			alt = s("altText")
		}
		img := fmt.Sprintf(`<img src="%s" alt="%s">`, html.EscapeString(s("src")), html.EscapeString(alt))
		if href := s("href"); href != "" {
			img = `<a href="` + html.EscapeString(href) + `">` + img + `</a>`
		}
		return "<figure>" + img + figcap + "</figure>", s("src") != ""
	case "gallery":
		imgs, _ := p["images"].([]any)
		var b strings.Builder
		for _, im := range imgs {
			m, _ := im.(map[string]any)
			src, _ := m["src"].(string)
			alt, _ := m["alt"].(string)
			if src != "" {
				fmt.Fprintf(&b, `<img src="%s" alt="%s">`, html.EscapeString(src), html.EscapeString(alt))
			}
		}
		return galleryHTML(b.String(), caption), len(imgs) > 0
	case "embed":
		h := s("html")
		if embedAllowed(h) {
			return "<figure>" + h + figcap + "</figure>", true
		}
		u := s("url")
		if u == "" {
			return "", false
		}
		if _, ok := embeds.Match(u); ok {
			return embedLink(u), true // the renderer makes it a click-to-load player
		}
		return embedLink(u), false
	case "bookmark":
		u := s("url")
		meta, _ := p["metadata"].(map[string]any)
		title, _ := meta["title"].(string)
		desc, _ := meta["description"].(string)
		if title == "" {
			title = u
		}
		out := `<blockquote><p><a href="` + html.EscapeString(u) + `">` + html.EscapeString(title) + `</a></p>`
		if desc != "" {
			out += "<p>" + html.EscapeString(desc) + "</p>"
		}
		return out + "</blockquote>" + figcapP(caption), u != ""
	case "callout":
		emoji := s("calloutEmoji")
		if emoji != "" {
			emoji += " "
		}
		return "<aside><p>" + html.EscapeString(emoji) + s("calloutText") + "</p></aside>", true
	case "code", "codeblock":
		return "<pre><code>" + html.EscapeString(s("code")) + "</code></pre>" + figcapP(caption), true
	case "hr", "horizontalrule":
		return "<hr>", true
	case "button":
		u, t := s("buttonUrl"), s("buttonText")
		return `<p><a href="` + html.EscapeString(u) + `">` + html.EscapeString(t) + `</a></p>`, u != ""
	case "toggle":
		return "<details><summary>" + s("heading") + "</summary>" + s("content") + "</details>", true
	}
	return "", false
}

// embedLink is what an embed Folio may not show becomes: a link to it.
func embedLink(u string) string {
	return `<p><a href="` + html.EscapeString(u) + `">` + html.EscapeString(u) + `</a></p>`
}

// cardNote says what became of a card that could not be kept as it was.
func cardNote(name, out string) string {
	if out != "" {
		return name + " card kept as a link (not on the embeds allow-list)"
	}
	return name + " card left out (no equivalent in Folio)"
}

func figcapP(caption string) string {
	if strings.TrimSpace(caption) == "" {
		return ""
	}
	return "<p>" + caption + "</p>"
}

// galleryHTML is Folio's gallery block: one figure holding the images and
// the one caption.
func galleryHTML(imgs, caption string) string {
	out := "<figure>" + imgs
	if strings.TrimSpace(caption) != "" {
		out += "<figcaption>" + caption + "</figcaption>"
	}
	return out + "</figure>"
}

// mobiledocHTML renders a mobiledoc document.
func mobiledocHTML(doc string) (string, []string, error) {
	var md struct {
		Atoms    [][]json.RawMessage `json:"atoms"`
		Cards    [][]json.RawMessage `json:"cards"`
		Markups  [][]json.RawMessage `json:"markups"`
		Sections [][]json.RawMessage `json:"sections"`
	}
	if err := json.Unmarshal([]byte(doc), &md); err != nil {
		return "", nil, fmt.Errorf("mobiledoc: %w", err)
	}
	type markup struct {
		tag   string
		attrs []string
	}
	markups := make([]markup, len(md.Markups))
	for i, m := range md.Markups {
		if len(m) > 0 {
			_ = json.Unmarshal(m[0], &markups[i].tag)
		}
		if len(m) > 1 {
			_ = json.Unmarshal(m[1], &markups[i].attrs)
		}
	}
	var dropped []string
	markers := func(b *strings.Builder, raw json.RawMessage) {
		var ms [][]json.RawMessage
		_ = json.Unmarshal(raw, &ms)
		var open []string
		for _, m := range ms {
			if len(m) < 4 {
				continue
			}
			var kind, closed int
			var opens []int
			_ = json.Unmarshal(m[0], &kind)
			_ = json.Unmarshal(m[1], &opens)
			_ = json.Unmarshal(m[2], &closed)
			for _, i := range opens {
				if i < 0 || i >= len(markups) {
					continue
				}
				mk := markups[i]
				tag := strings.ToLower(mk.tag)
				b.WriteString("<" + tag)
				for j := 0; j+1 < len(mk.attrs); j += 2 {
					fmt.Fprintf(b, ` %s="%s"`, html.EscapeString(mk.attrs[j]), html.EscapeString(mk.attrs[j+1]))
				}
				b.WriteString(">")
				open = append(open, tag)
			}
			if kind == 0 {
				var text string
				_ = json.Unmarshal(m[3], &text)
				b.WriteString(html.EscapeString(text))
			} else {
				var ai int
				_ = json.Unmarshal(m[3], &ai)
				if ai >= 0 && ai < len(md.Atoms) && len(md.Atoms[ai]) > 1 {
					var name, text string
					_ = json.Unmarshal(md.Atoms[ai][0], &name)
					_ = json.Unmarshal(md.Atoms[ai][1], &text)
					if name == "soft-return" {
						b.WriteString("<br>")
					} else {
						b.WriteString(html.EscapeString(text))
					}
				}
			}
			for ; closed > 0 && len(open) > 0; closed-- {
				b.WriteString("</" + open[len(open)-1] + ">")
				open = open[:len(open)-1]
			}
		}
		for len(open) > 0 {
			b.WriteString("</" + open[len(open)-1] + ">")
			open = open[:len(open)-1]
		}
	}
	var b strings.Builder
	for _, sec := range md.Sections {
		if len(sec) < 2 {
			continue
		}
		var typ int
		_ = json.Unmarshal(sec[0], &typ)
		switch typ {
		case 1: // markup section
			var tag string
			_ = json.Unmarshal(sec[1], &tag)
			tag = blockTag(tag)
			b.WriteString("<" + tag + ">")
			if len(sec) > 2 {
				markers(&b, sec[2])
			}
			b.WriteString("</" + tag + ">\n")
		case 2: // image section
			var src string
			_ = json.Unmarshal(sec[1], &src)
			fmt.Fprintf(&b, "<figure><img src=\"%s\" alt=\"\"></figure>\n", html.EscapeString(src))
		case 3: // list section
			var tag string
			_ = json.Unmarshal(sec[1], &tag)
			if tag != "ol" {
				tag = "ul"
			}
			var items []json.RawMessage
			if len(sec) > 2 {
				_ = json.Unmarshal(sec[2], &items)
			}
			b.WriteString("<" + tag + ">")
			for _, it := range items {
				b.WriteString("<li>")
				markers(&b, it)
				b.WriteString("</li>")
			}
			b.WriteString("</" + tag + ">\n")
		case 10: // card section
			var ci int
			_ = json.Unmarshal(sec[1], &ci)
			if ci < 0 || ci >= len(md.Cards) || len(md.Cards[ci]) < 1 {
				continue
			}
			var name string
			var payload map[string]any
			_ = json.Unmarshal(md.Cards[ci][0], &name)
			if len(md.Cards[ci]) > 1 {
				_ = json.Unmarshal(md.Cards[ci][1], &payload)
			}
			h, ok := cardHTML(name, payload)
			if !ok {
				dropped = append(dropped, cardNote(name, h))
			}
			b.WriteString(h + "\n")
		}
	}
	return b.String(), dropped, nil
}

// blockTag keeps a mobiledoc markup section's tag to the ones it may be.
func blockTag(t string) string {
	switch t = strings.ToLower(t); t {
	case "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote":
		return t
	case "aside", "pull-quote":
		return "blockquote"
	}
	return "p"
}

// lexicalHTML renders a lexical document.
func lexicalHTML(doc string) (string, []string, error) {
	var root map[string]any
	if err := json.Unmarshal([]byte(doc), &root); err != nil {
		return "", nil, fmt.Errorf("lexical: %w", err)
	}
	r, _ := root["root"].(map[string]any)
	var b strings.Builder
	var dropped []string
	var walk func(n map[string]any)
	children := func(n map[string]any) {
		cs, _ := n["children"].([]any)
		for _, c := range cs {
			if m, ok := c.(map[string]any); ok {
				walk(m)
			}
		}
	}
	walk = func(n map[string]any) {
		typ, _ := n["type"].(string)
		str := func(k string) string { v, _ := n[k].(string); return v }
		switch typ {
		case "paragraph":
			b.WriteString("<p>")
			children(n)
			b.WriteString("</p>\n")
		case "heading", "extended-heading":
			tag := blockTag(str("tag"))
			b.WriteString("<" + tag + ">")
			children(n)
			b.WriteString("</" + tag + ">\n")
		case "quote", "extended-quote", "aside":
			b.WriteString("<blockquote><p>")
			children(n)
			b.WriteString("</p></blockquote>\n")
		case "list":
			tag := "ul"
			if str("listType") == "number" || str("tag") == "ol" {
				tag = "ol"
			}
			b.WriteString("<" + tag + ">")
			children(n)
			b.WriteString("</" + tag + ">\n")
		case "listitem":
			b.WriteString("<li>")
			children(n)
			b.WriteString("</li>")
		case "text", "extended-text":
			f, _ := n["format"].(float64)
			bits := int(f)
			var open []string
			for _, m := range []struct {
				bit int
				tag string
			}{{1, "strong"}, {2, "em"}, {4, "s"}, {8, "u"}, {16, "code"}, {32, "sub"}, {64, "sup"}} {
				if bits&m.bit != 0 {
					b.WriteString("<" + m.tag + ">")
					open = append(open, m.tag)
				}
			}
			b.WriteString(html.EscapeString(str("text")))
			for i := len(open) - 1; i >= 0; i-- {
				b.WriteString("</" + open[i] + ">")
			}
		case "link", "autolink":
			b.WriteString(`<a href="` + html.EscapeString(str("url")) + `">`)
			children(n)
			b.WriteString("</a>")
		case "linebreak":
			b.WriteString("<br>")
		case "tab":
			b.WriteString(" ")
		case "root":
			children(n)
		default:
			h, ok := cardHTML(typ, n)
			if !ok {
				dropped = append(dropped, cardNote(typ, h))
			}
			b.WriteString(h + "\n")
		}
	}
	if r != nil {
		walk(r)
	}
	return b.String(), dropped, nil
}
