// Package markdown turns article Markdown into sanitized HTML. It is the only
// place that imports goldmark and bluemonday.
package markdown

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	gmhtml "github.com/yuin/goldmark/renderer/html"

	"folio/internal/embeds"
)

var md = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.Typographer, blocks{}),
	goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	// Raw HTML is allowed through goldmark because the sanitizer below
	// decides what survives; authors paste embeds and figures.
	goldmark.WithRendererOptions(gmhtml.WithUnsafe()),
)

var policy = newPolicy()

func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireNoFollowOnLinks(false)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	p.RequireNoReferrerOnFullyQualifiedLinks(false)
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^[\p{L}\p{N}_:.-]{1,100}$`)).OnElements("h1", "h2", "h3", "h4", "h5", "h6", "li", "sup", "section", "a")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^(doc-noteref|doc-backlink|doc-endnotes)$`)).OnElements("a", "section", "div")
	p.AllowElements("figure", "figcaption")
	// UGCPolicy's alt pattern refuses semicolons, quotes, dashes and the
	// zero-width non-joiner Persian needs, and drops the whole alt text. It is
	// an escaped attribute value, so any text but control characters is safe.
	p.AllowAttrs("alt").Matching(regexp.MustCompile(`^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]{0,1000}$`)).OnElements("img")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img", "iframe")
	p.AllowElements("iframe")
	p.AllowAttrs("width", "height").Matching(bluemonday.Number).OnElements("iframe")
	p.AllowAttrs("title").OnElements("iframe")
	p.AllowAttrs("allowfullscreen").OnElements("iframe")
	p.AllowAttrs("src").Matching(embedSrc()).OnElements("iframe")
	// The click-to-load facade (embed.go) survives a second sanitizing.
	p.AllowAttrs("data-embed-src").Matching(embedSrc()).OnElements("a")
	p.AllowAttrs("data-embed-host").Matching(regexp.MustCompile(`^[a-z0-9.-]{1,253}$`)).OnElements("a")
	p.AllowAttrs("data-embed-provider").Matching(regexp.MustCompile(`^[\p{L}\p{N} ]{1,40}$`)).OnElements("figure")
	// One class list per element: a later AllowAttrs for the same
	// attribute and element replaces the earlier one.
	for el, classes := range map[string]string{
		"section": "footnotes", "li": "task-list-item", "div": "footnotes", "sup": "footnote-ref",
		"a":      "footnote-ref|footnote-backref|embed-load|document-link",
		"figure": "embed|figure|pullquote|audio|document", // embed.go, blocks.go
		"span":   "embed-provider|embed-url|figure-credit|media-title",
		"aside":  "callout", "p": "callout-title", "strong": "media-title",
	} {
		p.AllowAttrs("class").Matching(regexp.MustCompile(`^(` + classes + `)$`)).OnElements(el)
	}
	// The blocks of blocks.go: the media item a figure, player or card
	// shows, and the audio player.
	// Any alt text: the UGC policy's pattern drops one holding a question
	// mark, quotes or a semicolon, leaving the image unlabelled; bluemonday
	// escapes attribute values, so text cannot break out.
	p.AllowAttrs("alt").OnElements("img")
	p.AllowAttrs("data-media-id").Matching(regexp.MustCompile(`^[0-9]{1,18}$`)).OnElements("figure")
	p.AllowElements("audio", "aside")
	p.AllowAttrs("controls").Matching(regexp.MustCompile(`^$`)).OnElements("audio")
	p.AllowAttrs("preload").Matching(regexp.MustCompile(`^(none|metadata)$`)).OnElements("audio")
	p.AllowAttrs("src").Matching(regexp.MustCompile(`^(/media/|https://)[^"'<>\s]*$`)).OnElements("audio")
	return p
}

func embedSrc() *regexp.Regexp {
	hosts := embeds.Prefixes()
	alts := make([]string, len(hosts))
	for i, h := range hosts {
		alts[i] = regexp.QuoteMeta(h)
	}
	return regexp.MustCompile(`^(` + strings.Join(alts, "|") + `)[^"'<>\s]*$`)
}

// iframeNoSrc matches iframes the policy left without a source: the sanitizer
// drops a disallowed src attribute but keeps the element.
var iframeNoSrc = regexp.MustCompile(`<iframe(?:\s+(?:width|height|title|allowfullscreen|loading)(?:="[^"]*")?)*\s*>\s*</iframe>`)

// ToHTML renders Markdown (with inline HTML) to sanitized HTML.
func ToHTML(source string) (string, error) {
	if !utf8.ValidString(source) {
		return "", fmt.Errorf("markdown: source is not valid UTF-8")
	}
	var buf bytes.Buffer
	if err := md.Convert([]byte(source), &buf); err != nil {
		return "", fmt.Errorf("markdown: convert: %w", err)
	}
	return facades(Sanitize(buf.String())), nil
}

// Sanitize removes scripts, event handlers, unsafe URLs and embeds from
// anywhere but the embeds allow-list.
func Sanitize(h string) string {
	out := policy.Sanitize(h)
	return iframeNoSrc.ReplaceAllString(out, "")
}

var (
	tagRE   = regexp.MustCompile(`<[^>]*>`)
	spaceRE = regexp.MustCompile(`\s+`)
	skipRE  = regexp.MustCompile(`(?s)<(figure|figcaption|section|iframe)[^>]*>.*?</(figure|figcaption|section|iframe)>`)
	// Footnote marks and other superscripts sit against the word they
	// follow: removing them must not leave a space ("river¹." → "river.").
	supRE = regexp.MustCompile(`(?s)<sup[^>]*>.*?</sup>`)
	// Inline elements join the text around them without a space, so
	// "<em>Amu</em>, then" stays "Amu, then"; every other tag is a break.
	inlineTagRE = regexp.MustCompile(`(?i)</?(a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|time|u|var)\b[^>]*>`)
	// Excerpts leave out tables and code blocks, which read as noise
	// when run into a sentence.
	excerptSkipRE = regexp.MustCompile(`(?s)<(table|pre)\b[^>]*>.*?</(table|pre)>`)
	// The notes themselves (goldmark's footnote list) are not the start
	// of the piece either; it holds no nested div.
	footnotesRE = regexp.MustCompile(`(?s)<div class="footnotes"[^>]*>.*?</div>`)
	// The ↩ link back from a note is a control, not text.
	backrefRE = regexp.MustCompile(`(?s)<a [^>]*class="footnote-backref"[^>]*>.*?</a>`)
	// A bare address in an excerpt is noise too; it ends before trailing
	// punctuation, which stays with the sentence.
	urlRE = regexp.MustCompile(`\s*\b(?:https?://|www\.)[^\s<>"]*[^\s<>".,;:!?)\]]`)
	// Brackets emptied by a removed address, and a space left before
	// punctuation that never takes one in any of the site's languages.
	emptyBracketsRE = regexp.MustCompile(`\s*(\(\s*\)|\[\s*\])`)
	spacePunctRE    = regexp.MustCompile(`\s+([,.)\]])`)
)

// PlainText returns the visible text of sanitized HTML, whitespace folded.
func PlainText(h string) string {
	h = skipRE.ReplaceAllString(h, " ")
	h = supRE.ReplaceAllString(h, "")
	h = backrefRE.ReplaceAllString(h, "")
	h = inlineTagRE.ReplaceAllString(h, "")
	h = tagRE.ReplaceAllString(h, " ")
	return strings.TrimSpace(spaceRE.ReplaceAllString(html.UnescapeString(h), " "))
}

// Excerpt returns at most max runes of the text of h, without tables, code
// blocks, footnote marks or bare addresses, cut at a word boundary and
// ended with an ellipsis when cut.
func Excerpt(h string, max int) string {
	text := PlainText(footnotesRE.ReplaceAllString(excerptSkipRE.ReplaceAllString(h, " "), " "))
	text = urlRE.ReplaceAllString(text, "")
	text = emptyBracketsRE.ReplaceAllString(text, "")
	text = strings.TrimSpace(spacePunctRE.ReplaceAllString(spaceRE.ReplaceAllString(text, " "), "$1"))
	if utf8.RuneCountInString(text) <= max {
		return text
	}
	r := []rune(text)[:max]
	cut := string(r)
	if i := strings.LastIndexAny(cut, " \u00a0"); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.—-") + "…"
}

// WordCount counts the words of sanitized HTML.
func WordCount(h string) int {
	return len(strings.Fields(PlainText(h)))
}
