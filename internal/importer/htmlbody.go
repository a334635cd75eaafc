package importer

import (
	"bytes"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Imported bodies are HTML, while Article.BodyMarkdown is Markdown. Goldmark
// passes HTML blocks through untouched (the sanitizer then cleans them), so
// the importer turns a body into a sequence of HTML blocks, each starting
// with a block-level tag and holding no blank line: Markdown then has
// nothing to reinterpret (no "*" emphasis, no indented code) and the stored
// source stays readable and editable.

var (
	// Block-editor delimiters: <!-- wp:paragraph {"x":1} --> and <!-- /wp:paragraph -->.
	wpBlockComment = regexp.MustCompile(`<!--\s*/?wp:[^>]*?-->`)
	// <!--more--> and <!--nextpage--> are WordPress markers, not content.
	wpMarker  = regexp.MustCompile(`<!--\s*(more|nextpage|noteaser)[^>]*-->`)
	captionSC = regexp.MustCompile(`(?s)\[caption([^\]]*)\](.*?)\[/caption\]`)
	// The image (optionally linked) at the start of a caption shortcode.
	captionImg  = regexp.MustCompile(`(?s)^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$`)
	captionAttr = regexp.MustCompile(`caption="([^"]*)"`)
	embedSC     = regexp.MustCompile(`(?s)\[embed[^\]]*\](.*?)\[/embed\]`)
	// Shortcodes that have no meaning outside WordPress are dropped with a
	// warning; anything else in square brackets is left as text.
	otherSC = regexp.MustCompile(`\[/?(playlist|contact-form-7|wpforms|ngg|smartslider3|wpvideo|vc_[a-z_]+)\b[^\]]*\]`)
	// [gallery ids="3,4"] and [audio src="…"], [video mp4="…"], [audio https://…].
	gallerySC   = regexp.MustCompile(`\[gallery\b[^\]]*\]`)
	scIDs       = regexp.MustCompile(`\bids="([0-9, ]*)"`)
	playerSC    = regexp.MustCompile(`\[(audio|video)\b([^\]]*)\]`)
	playerClose = regexp.MustCompile(`\[/(audio|video)\]`)
	scSrc       = regexp.MustCompile(`\b(?:src|mp3|m4a|ogg|wav|mp4|m4v|webm|ogv|flv)="([^"]+)"`)
	scURL       = regexp.MustCompile(`^\s*(https?://\S+)`)
)

// cleanWordPress turns a post's content into Markdown-safe HTML blocks.
// Classic-editor content (no block delimiters) gets wpautop paragraphs.
// dropped reports shortcodes that were removed.
func cleanWordPress(body string) (out string, dropped []string) {
	block := strings.Contains(body, "<!-- wp:")
	body = wpBlockComment.ReplaceAllString(body, "")
	body = wpMarker.ReplaceAllString(body, "")
	body = captionSC.ReplaceAllStringFunc(body, func(s string) string {
		m := captionSC.FindStringSubmatch(s)
		img, text := m[2], ""
		if im := captionImg.FindStringSubmatch(m[2]); im != nil {
			img, text = im[1], strings.TrimSpace(im[2])
		}
		if text == "" {
			if a := captionAttr.FindStringSubmatch(m[1]); a != nil {
				text = a[1]
			}
		}
		return "<figure>" + img + "<figcaption>" + text + "</figcaption></figure>"
	})
	body = embedSC.ReplaceAllString(body, `<p><a href="$1">$1</a></p>`)
	// Galleries wait for the run to know their attachments (bodymedia.go);
	// players become elements, kept or turned into links there.
	body = gallerySC.ReplaceAllStringFunc(body, func(s string) string {
		ids := ""
		if m := scIDs.FindStringSubmatch(s); m != nil {
			ids = m[1]
		}
		return "\n\n<figure " + galleryAttr + `="` + html.EscapeString(ids) + `"></figure>` + "\n\n"
	})
	body = playerSC.ReplaceAllStringFunc(body, func(s string) string {
		m := playerSC.FindStringSubmatch(s)
		src := ""
		if a := scSrc.FindStringSubmatch(m[2]); a != nil {
			src = a[1]
		} else if a := scURL.FindStringSubmatch(m[2]); a != nil {
			src = a[1]
		}
		return "\n\n<" + m[1] + ` src="` + html.EscapeString(src) + `"></` + m[1] + ">\n\n"
	})
	body = playerClose.ReplaceAllString(body, "")
	for _, m := range otherSC.FindAllStringSubmatch(body, -1) {
		dropped = append(dropped, m[1])
	}
	body = otherSC.ReplaceAllString(body, "")
	if !block {
		body = autop(body)
	}
	return htmlBlocks(body), dropped
}

const allBlocks = `(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary|iframe)`

var (
	autopPre       = regexp.MustCompile(`(?s)<pre\b.*?</pre>|<figure\b.*?</figure>`)
	autopOpen      = regexp.MustCompile(`(<` + allBlocks + `[\s/>])`)
	autopClose     = regexp.MustCompile(`(</` + allBlocks + `>)`)
	autopBR        = regexp.MustCompile(`<br\s*/?>\s*<br\s*/?>`)
	autopSplit     = regexp.MustCompile(`\n\s*\n`)
	autopPOpenBlk  = regexp.MustCompile(`<p>\s*(</?` + allBlocks + `[^>]*>)`)
	autopBlkPClose = regexp.MustCompile(`(</?` + allBlocks + `[^>]*>)\s*</p>`)
	autopEmptyP    = regexp.MustCompile(`<p>\s*</p>`)
	autopAfterBlk  = regexp.MustCompile(`(</?` + allBlocks + `[^>]*>)\s*<br />`)
	autopLine      = regexp.MustCompile(`([^\n>])\n`)
)

// autop is a compact form of WordPress's wpautop: classic-editor posts are
// stored with blank lines between paragraphs and single newlines for line
// breaks, and WordPress adds the <p> and <br> when it shows them.
func autop(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	// Keep <pre> blocks out of the way (their newlines are content), and
	// figures whole: WordPress paragraphs before it expands [caption].
	var pres []string
	s = autopPre.ReplaceAllStringFunc(s, func(p string) string {
		pres = append(pres, p)
		return "\n\n<!--folio-pre-" + string(rune('a'+len(pres)-1)) + "-->\n\n"
	})
	s = autopBR.ReplaceAllString(s, "\n\n")
	s = autopOpen.ReplaceAllString(s, "\n\n$1")
	s = autopClose.ReplaceAllString(s, "$1\n\n")
	var b strings.Builder
	for _, chunk := range autopSplit.Split(s, -1) {
		chunk = strings.TrimSpace(chunk)
		if chunk == "" {
			continue
		}
		if strings.HasPrefix(chunk, "<!--folio-pre-") {
			b.WriteString(chunk + "\n")
			continue
		}
		b.WriteString("<p>" + chunk + "</p>\n")
	}
	s = b.String()
	s = autopEmptyP.ReplaceAllString(s, "")
	s = autopPOpenBlk.ReplaceAllString(s, "$1")
	s = autopBlkPClose.ReplaceAllString(s, "$1")
	s = autopLine.ReplaceAllString(s, "$1<br />\n")
	s = autopAfterBlk.ReplaceAllString(s, "$1")
	for i, p := range pres {
		s = strings.Replace(s, "<!--folio-pre-"+string(rune('a'+i))+"-->", p, 1)
	}
	return s
}

// markdownBlock reports the elements CommonMark starts an HTML block with
// (types 1 and 6): they may stand alone at the top level.
func markdownBlock(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Details, atom.Dialog, atom.Div,
		atom.Dl, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer, atom.Form, atom.H1, atom.H2,
		atom.H3, atom.H4, atom.H5, atom.H6, atom.Header, atom.Hr, atom.Iframe, atom.Li, atom.Main,
		atom.Menu, atom.Nav, atom.Ol, atom.P, atom.Section, atom.Summary, atom.Table, atom.Ul, atom.Pre:
		return true
	}
	return false
}

var blankLines = regexp.MustCompile(`\n[ \t]*\n+`)

// htmlBlocks parses s as an HTML fragment and writes every top-level node as
// its own block: runs of text and inline elements are wrapped in <p>, and
// blank lines inside a block are closed up so Markdown cannot end it early.
func htmlBlocks(s string) string {
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(s), body)
	if err != nil {
		// x/net/html recovers from any markup; an error here is a read
		// error, impossible on a strings.Reader. Escape rather than guess.
		return "<p>" + html.EscapeString(s) + "</p>"
	}
	var blocks []string
	var inline bytes.Buffer
	flush := func() {
		if t := strings.TrimSpace(inline.String()); t != "" {
			blocks = append(blocks, "<p>"+blankLines.ReplaceAllString(t, "\n")+"</p>")
		}
		inline.Reset()
	}
	for _, n := range nodes {
		switch {
		case n.Type == html.CommentNode:
			continue
		case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style):
			continue // the sanitizer would drop them anyway
		case n.Type == html.ElementNode && n.DataAtom == atom.P && emptyNode(n):
			continue
		case n.Type == html.ElementNode && markdownBlock(n.DataAtom):
			flush()
			var buf bytes.Buffer
			if err := html.Render(&buf, n); err != nil {
				continue
			}
			b := buf.String()
			if n.DataAtom != atom.Pre {
				b = blankLines.ReplaceAllString(b, "\n")
			}
			blocks = append(blocks, b)
		default:
			_ = html.Render(&inline, n)
		}
	}
	flush()
	return strings.Join(blocks, "\n\n")
}

// emptyNode reports an element with nothing but whitespace in it.
func emptyNode(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.TextNode || strings.TrimSpace(c.Data) != "" {
			return false
		}
	}
	return true
}

// plainHTML is cleanWordPress for HTML that needs no paragraphing (Ghost).
func plainHTML(s string) string { return htmlBlocks(s) }

// plainTitle returns the text of a title that may hold HTML, entities
// decoded and whitespace closed up, and the elements it dropped ("<em>").
func plainTitle(s string) (string, []string) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "<") {
		return strings.Join(strings.Fields(html.UnescapeString(s)), " "), nil
	}
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(s), body)
	if err != nil {
		return strings.Join(strings.Fields(html.UnescapeString(s)), " "), nil
	}
	var text strings.Builder
	var tags []string
	seen := map[string]bool{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			text.WriteString(n.Data)
		case html.ElementNode:
			if t := "<" + n.Data + ">"; !seen[t] {
				seen[t] = true
				tags = append(tags, t)
			}
			if n.DataAtom == atom.Script || n.DataAtom == atom.Style {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return strings.Join(strings.Fields(text.String()), " "), tags
}
