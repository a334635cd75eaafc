package markdown

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Folio's documented blocks (docs/writing.md): a fenced ":::" block names
// what its lines are, so a figure, a pull quote, a callout, an audio player
// or a document card stays plain text in the Markdown source:
//
//	::: figure 42
//	![Boats in a grey harbour](/media/2026/12/harbour-a1b2c3.jpg)
//	The harbour at dawn.
//	Credit: Photo Desk
//	:::
//
// The number after the kind is the media-library item; the page renderer
// uses it to add the responsive variants (srcset) and the PDF thumbnail.
// Blocks do not nest: the first ":::" line closes the open block.

// BlockKinds are the kinds a ":::" block may name.
var BlockKinds = []string{"figure", "pullquote", "callout", "audio", "document"}

var (
	blockOpen  = regexp.MustCompile(`^:::[ \t]*(figure|pullquote|callout|audio|document)\b[ \t]*(.*?)[ \t]*\r?\n?$`)
	blockClose = regexp.MustCompile(`^[ \t]*:::[ \t]*\r?\n?$`)
	mediaArg   = regexp.MustCompile(`^[0-9]{1,18}$`)
	imageLine  = regexp.MustCompile(`^!\[([^\]]*)\]\(\s*<?([^\s<>"]+)>?(?:\s+"([^"]*)")?\s*\)$`)
	linkLine   = regexp.MustCompile(`^\[([^\]]*)\]\(\s*<?([^\s<>"]+)>?(?:\s+"([^"]*)")?\s*\)$|^<?(https?://[^\s<>"]+|/media/[^\s<>"]+)>?$`)
	attrLine   = regexp.MustCompile(`^(?:—|--|―)\s*(.+)$`)
)

// kindBlock is the AST kind of a ":::" block.
var kindBlock = ast.NewNodeKind("FolioBlock")

// block is a ":::" block; its lines are kept raw and rendered as a whole.
type block struct {
	ast.BaseBlock
	kind string // one of BlockKinds
	arg  string // the rest of the opening line: media ID or callout title
}

func (b *block) Kind() ast.NodeKind { return kindBlock }
func (b *block) IsRaw() bool        { return true }
func (b *block) Dump(source []byte, level int) {
	ast.DumpHelper(b, source, level, map[string]string{"kind": b.kind, "arg": b.arg}, nil)
}

type blockParser struct{}

func (blockParser) Trigger() []byte { return []byte{':'} }

func (blockParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, _ := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || pos >= len(line) {
		return nil, parser.NoChildren
	}
	m := blockOpen.FindSubmatch(line[pos:])
	if m == nil {
		return nil, parser.NoChildren
	}
	reader.AdvanceToEOL()
	return &block{kind: string(m[1]), arg: string(m[2])}, parser.NoChildren
}

func (blockParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, segment := reader.PeekLine()
	if line == nil {
		return parser.Close
	}
	if blockClose.Match(line) {
		reader.AdvanceToEOL()
		return parser.Close
	}
	node.Lines().Append(segment)
	reader.AdvanceToEOL()
	return parser.Continue | parser.NoChildren
}

func (blockParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {}
func (blockParser) CanInterruptParagraph() bool                                { return true }
func (blockParser) CanAcceptIndentedLine() bool                                { return false }

type blockRenderer struct{}

func (blockRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindBlock, func(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		b := n.(*block)
		lines := make([]string, 0, b.Lines().Len())
		for i := 0; i < b.Lines().Len(); i++ {
			seg := b.Lines().At(i)
			lines = append(lines, strings.TrimSpace(string(seg.Value(source))))
		}
		_, err := w.WriteString(renderBlock(b.kind, b.arg, lines))
		return ast.WalkSkipChildren, err
	})
}

// blocks is the goldmark extension of the ":::" blocks.
type blocks struct{}

func (blocks) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithBlockParsers(util.Prioritized(blockParser{}, 90)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(blockRenderer{}, 500)))
}

// inner renders the Markdown inside a block: the article's renderer less
// the blocks (they do not nest) and footnotes (a note belongs to the text).
var inner = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.Typographer),
	goldmark.WithRendererOptions(gmhtml.WithUnsafe()),
)

func innerHTML(src string) string {
	var buf bytes.Buffer
	if err := inner.Convert([]byte(src), &buf); err != nil {
		return "<p>" + html.EscapeString(src) + "</p>"
	}
	return strings.TrimSpace(buf.String())
}

// inlineHTML renders one paragraph of Markdown without its <p>.
func inlineHTML(src string) string {
	h := innerHTML(src)
	if strings.HasPrefix(h, "<p>") && strings.HasSuffix(h, "</p>") && strings.Count(h, "<p>") == 1 {
		h = h[3 : len(h)-4]
	}
	return h
}

// renderBlock is the HTML of one block. Nothing here is trusted: the whole
// body is sanitized afterwards, and the policy knows these classes.
func renderBlock(kind, arg string, lines []string) string {
	esc := html.EscapeString
	idAttr := ""
	if mediaArg.MatchString(arg) {
		idAttr = ` data-media-id="` + arg + `"`
	}
	var b strings.Builder
	switch kind {
	case "figure":
		var img, credit string
		var caption []string
		for _, l := range lines {
			if m := imageLine.FindStringSubmatch(l); m != nil && img == "" {
				img = `<img src="` + esc(m[2]) + `" alt="` + esc(m[1]) + `" loading="lazy">`
				if m[3] != "" {
					caption = append(caption, m[3])
				}
				continue
			}
			if c, ok := strings.CutPrefix(l, "Credit:"); ok && credit == "" {
				credit = strings.TrimSpace(c)
				continue
			}
			caption = append(caption, l)
		}
		b.WriteString(`<figure class="figure"` + idAttr + `>` + img)
		if cap := strings.TrimSpace(strings.Join(caption, "\n")); cap != "" || credit != "" {
			b.WriteString("<figcaption>" + inlineHTML(cap))
			if credit != "" {
				if cap != "" {
					b.WriteString(" ")
				}
				b.WriteString(`<span class="figure-credit">` + inlineHTML(credit) + `</span>`)
			}
			b.WriteString("</figcaption>")
		}
		b.WriteString("</figure>\n")
	case "pullquote":
		attr := ""
		if n := len(lines); n > 0 {
			if m := attrLine.FindStringSubmatch(lines[n-1]); m != nil {
				attr, lines = m[1], lines[:n-1]
			}
		}
		b.WriteString(`<figure class="pullquote"><blockquote>` + innerHTML(strings.Join(lines, "\n")) + `</blockquote>`)
		if attr != "" {
			b.WriteString(`<figcaption>` + inlineHTML(attr) + `</figcaption>`)
		}
		b.WriteString("</figure>\n")
	case "callout":
		b.WriteString(`<aside class="callout">`)
		if arg != "" {
			b.WriteString(`<p class="callout-title"><strong>` + esc(arg) + `</strong></p>`)
		}
		b.WriteString(innerHTML(strings.Join(lines, "\n")) + "</aside>\n")
	case "audio", "document":
		title, href, caption := mediaLink(lines)
		if kind == "audio" {
			b.WriteString(`<figure class="audio"` + idAttr + `>`)
			if href != "" {
				b.WriteString(`<audio controls preload="none" src="` + esc(href) + `"><a href="` + esc(href) + `">` + esc(title) + `</a></audio>`)
			}
			if title != "" || caption != "" {
				b.WriteString("<figcaption>")
				if title != "" {
					b.WriteString(`<strong class="media-title">` + esc(title) + `</strong>`)
				}
				if caption != "" {
					b.WriteString(" " + inlineHTML(caption))
				}
				b.WriteString("</figcaption>")
			}
		} else {
			b.WriteString(`<figure class="document"` + idAttr + `>`)
			if href != "" {
				b.WriteString(`<a class="document-link" href="` + esc(href) + `"><span class="media-title">` + esc(title) + `</span></a>`)
			}
			if caption != "" {
				b.WriteString("<figcaption>" + inlineHTML(caption) + "</figcaption>")
			}
		}
		b.WriteString("</figure>\n")
	}
	return b.String()
}

// mediaLink finds the first link line of an audio or document block (a
// Markdown link or a bare URL); the other lines are the caption.
func mediaLink(lines []string) (title, href, caption string) {
	var rest []string
	for _, l := range lines {
		if href == "" {
			if m := linkLine.FindStringSubmatch(l); m != nil {
				title, href = m[1], m[2]
				if m[4] != "" {
					href = m[4]
				}
				if title == "" {
					title = href[strings.LastIndex(href, "/")+1:]
				}
				continue
			}
		}
		rest = append(rest, l)
	}
	return title, href, strings.TrimSpace(strings.Join(rest, "\n"))
}

// MediaBlock is the Markdown of a ":::" block showing media-library item
// id at url (a site path such as /media/2026/12/a.jpg): a figure for an
// image, a player for audio, a card for a PDF; "" for other types. The
// editor's toolbar inserts it.
func MediaBlock(contentType string, id int64, url, alt, caption, credit, filename string) string {
	line := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	title := line(alt)
	if title == "" {
		title = line(filename)
	}
	title = strings.NewReplacer("[", "(", "]", ")").Replace(title)
	var b strings.Builder
	switch {
	case strings.HasPrefix(contentType, "image/"):
		b.WriteString(fmt.Sprintf("::: figure %d\n![%s](%s)\n", id, strings.NewReplacer("[", "(", "]", ")").Replace(line(alt)), url))
	case strings.HasPrefix(contentType, "audio/"):
		b.WriteString(fmt.Sprintf("::: audio %d\n[%s](%s)\n", id, title, url))
	case contentType == "application/pdf":
		b.WriteString(fmt.Sprintf("::: document %d\n[%s](%s)\n", id, title, url))
	default:
		return ""
	}
	if c := line(caption); c != "" && c != ":::" {
		b.WriteString(c + "\n")
	}
	if c := line(credit); c != "" && strings.HasPrefix(contentType, "image/") {
		b.WriteString("Credit: " + c + "\n")
	}
	b.WriteString(":::\n")
	return b.String()
}
