package markdown

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	htmltomd "github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// MaxPasteBytes is the largest HTML FromHTML converts. Word's clipboard
// HTML is verbose (about 20 KB a page of text), so this is a long report.
const MaxPasteBytes = 1 << 20

// pastePolicy keeps the structure an article's Markdown can say and
// nothing else: no styles, classes, scripts, images or frames.
var pastePolicy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "ul", "ol", "li",
		"blockquote", "pre", "code", "table", "thead", "tbody", "tr", "th", "td", "hr", "sup", "sub")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	return p
}()

var pasteConverter = htmltomd.NewConverter(htmltomd.WithPlugins(
	base.NewBasePlugin(), commonmark.NewCommonmarkPlugin(), table.NewTablePlugin(), strikethrough.NewStrikethroughPlugin(),
))

var (
	blankRuns = regexp.MustCompile(`\n{3,}`)
	// Word's mso-bidi-font-weight and the like are not the text's own.
	boldWeight  = regexp.MustCompile(`(^|[;\s])font-weight\s*:\s*(bold|bolder|[6-9]00)`)
	normalBold  = regexp.MustCompile(`(^|[;\s])font-weight\s*:\s*(normal|[1-4]00)`)
	italicStyle = regexp.MustCompile(`(^|[;\s])font-style\s*:\s*italic`)
	strikeStyle = regexp.MustCompile(`(^|[;\s])text-decoration[^;]*line-through`)
	// The converter's separator of two adjacent lists; a change of list
	// marker already separates them.
	listEnd     = regexp.MustCompile(`(?m)^<!--THE END-->\n*`)
	orderedMark = regexp.MustCompile(`^([0-9]+|[a-zA-Z]|[ivxlcIVXLC]+)[.)]$`)
)

// FromHTML turns HTML from the clipboard (Google Docs, Word, LibreOffice,
// a web page) into clean Markdown: headings, emphasis, links, lists,
// quotes, tables and code survive; styles, classes, scripts, comments and
// the editors' own markup do not. Images are left out, since they would
// load from the source's servers: notes say how many, and each note is a
// sentence for the editor.
func FromHTML(src string) (md string, notes []string, err error) {
	if len(src) > MaxPasteBytes {
		return "", nil, fmt.Errorf("markdown: pasted HTML is %d bytes, over the %d-byte limit", len(src), MaxPasteBytes)
	}
	if !utf8.ValidString(src) {
		return "", nil, fmt.Errorf("markdown: pasted HTML is not valid UTF-8")
	}
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return "", nil, fmt.Errorf("markdown: parse pasted HTML: %w", err)
	}
	c := &cleaner{}
	c.clean(doc)
	var buf bytes.Buffer
	if err := html.Render(&buf, doc); err != nil {
		return "", nil, fmt.Errorf("markdown: pasted HTML: %w", err)
	}
	safe := pastePolicy.Sanitize(buf.String())
	out, err := pasteConverter.ConvertString(safe)
	if err != nil {
		return "", nil, fmt.Errorf("markdown: convert pasted HTML: %w", err)
	}
	out = listEnd.ReplaceAllString(strings.ReplaceAll(out, "\u00a0", " "), "")
	out = strings.TrimSpace(blankRuns.ReplaceAllString(out, "\n\n"))
	switch {
	case c.images == 1:
		notes = append(notes, "1 image was left out: upload it to the media library and insert it from there.")
	case c.images > 1:
		notes = append(notes, fmt.Sprintf("%d images were left out: upload them to the media library and insert them from there.", c.images))
	}
	return out, notes, nil
}

// cleaner rewrites the editors' clipboard markup into plain structure
// before the allow-list sanitizer sees it.
type cleaner struct{ images int }

func (c *cleaner) clean(n *html.Node) {
	for ch := n.FirstChild; ch != nil; {
		next := ch.NextSibling
		c.node(ch)
		ch = next
	}
	c.wordLists(n)
}

// node cleans n and its subtree; it may replace or remove n.
func (c *cleaner) node(n *html.Node) {
	switch n.Type {
	case html.CommentNode, html.DoctypeNode:
		n.Parent.RemoveChild(n)
		return
	case html.ElementNode:
	default:
		return
	}
	style := strings.ToLower(attr(n, "style"))
	switch {
	case n.DataAtom == atom.Img || n.DataAtom == atom.Picture || n.DataAtom == atom.Svg:
		c.images++
		n.Parent.RemoveChild(n)
		return
	case n.DataAtom == atom.Script || n.DataAtom == atom.Style || n.DataAtom == atom.Head || n.DataAtom == atom.Title ||
		n.Data == "o:p" || n.Data == "xml" || strings.Contains(style, "mso-list:ignore") || strings.Contains(style, "display:none"):
		// Word's list bullets are typed text in an ignored span; the list
		// is rebuilt from the paragraphs' classes (wordLists).
		if strings.Contains(style, "mso-list:ignore") {
			for p := n.Parent; p != nil; p = p.Parent {
				if p.DataAtom == atom.P {
					setAttr(p, "data-list-mark", strings.TrimSpace(textOf(n)))
					break
				}
			}
		}
		n.Parent.RemoveChild(n)
		return
	case n.DataAtom == atom.H1:
		// The article's title is its only h1.
		n.DataAtom, n.Data = atom.H2, "h2"
	case n.DataAtom == atom.B && normalBold.MatchString(style):
		// Google Docs wraps the whole clipboard in <b style="font-weight:normal">.
		n.DataAtom, n.Data = atom.Span, "span"
	case n.DataAtom == atom.B:
		n.DataAtom, n.Data = atom.Strong, "strong"
	case n.DataAtom == atom.I:
		n.DataAtom, n.Data = atom.Em, "em"
	case n.DataAtom == atom.S || n.DataAtom == atom.Strike:
		n.DataAtom, n.Data = atom.Del, "del"
	case n.DataAtom == atom.Table:
		headerRow(n)
	case n.DataAtom == atom.A:
		if href := googleRedirect(attr(n, "href")); href != "" {
			setAttr(n, "href", href)
		}
	}
	for ch := n.FirstChild; ch != nil; {
		next := ch.NextSibling
		c.node(ch)
		ch = next
	}
	if n.DataAtom == atom.Span || n.DataAtom == atom.Font {
		// Docs and Word say bold and italic with styles, not elements.
		if strikeStyle.MatchString(style) {
			wrap(n, atom.Del)
		}
		if italicStyle.MatchString(style) {
			wrap(n, atom.Em)
		}
		if boldWeight.MatchString(style) && !inside(n, atom.Th) { // a header cell is bold already
			wrap(n, atom.Strong)
		}
	}
}

// wordLists turns runs of Word's list paragraphs (class MsoListParagraph…)
// under n into <ul> or <ol> lists, numbered when the typed mark was.
func (c *cleaner) wordLists(n *html.Node) {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && ch.DataAtom != atom.P {
			c.wordLists(ch)
		}
	}
	for ch := n.FirstChild; ch != nil; {
		if !isWordListItem(ch) {
			ch = ch.NextSibling
			continue
		}
		list := &html.Node{Type: html.ElementNode, DataAtom: atom.Ul, Data: "ul"}
		if orderedMark.MatchString(attr(ch, "data-list-mark")) {
			list.DataAtom, list.Data = atom.Ol, "ol"
		}
		n.InsertBefore(list, ch)
		for ch != nil && (isWordListItem(ch) || isBlankText(ch)) {
			next := ch.NextSibling
			n.RemoveChild(ch)
			if ch.Type == html.ElementNode {
				ch.DataAtom, ch.Data = atom.Li, "li"
				list.AppendChild(ch)
			}
			ch = next
		}
	}
}

func isWordListItem(n *html.Node) bool {
	return n.Type == html.ElementNode && n.DataAtom == atom.P && strings.HasPrefix(attr(n, "class"), "MsoListParagraph")
}

func isBlankText(n *html.Node) bool {
	return n.Type == html.TextNode && strings.TrimSpace(n.Data) == ""
}

// googleRedirect returns the target of a Google Docs link that points
// through google.com/url?q=, or "".
func googleRedirect(href string) string {
	u, err := url.Parse(href)
	if err != nil || (u.Host != "www.google.com" && u.Host != "google.com") || u.Path != "/url" {
		return ""
	}
	return u.Query().Get("q")
}

// headerRow makes the first row of a table without header cells its
// header, as Markdown tables need one: Docs and Word mark none.
func headerRow(table *html.Node) {
	var first *html.Node
	var find func(*html.Node) bool
	find = func(n *html.Node) bool {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type != html.ElementNode {
				continue
			}
			if ch.DataAtom == atom.Th {
				return true
			}
			if ch.DataAtom == atom.Tr && first == nil {
				first = ch
			}
			if ch.DataAtom != atom.Table && find(ch) {
				return true
			}
		}
		return false
	}
	if find(table) || first == nil {
		return
	}
	for td := first.FirstChild; td != nil; td = td.NextSibling {
		if td.Type == html.ElementNode && td.DataAtom == atom.Td {
			td.DataAtom, td.Data = atom.Th, "th"
		}
	}
}

func inside(n *html.Node, a atom.Atom) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.DataAtom == a {
			return true
		}
	}
	return false
}

// wrap puts n's children into a new element of kind a.
func wrap(n *html.Node, a atom.Atom) {
	w := &html.Node{Type: html.ElementNode, DataAtom: a, Data: a.String()}
	for n.FirstChild != nil {
		ch := n.FirstChild
		n.RemoveChild(ch)
		w.AppendChild(ch)
	}
	n.AppendChild(w)
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func setAttr(n *html.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return b.String()
}
