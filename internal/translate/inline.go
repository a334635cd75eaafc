package translate

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// inline is one run of inline Markdown turned into provider HTML.
// Everything a provider must not change (code spans, URLs, raw HTML,
// escapes, entities, images, hard breaks) is a numbered placeholder:
// <var>N</var> for opaque pieces, <a href="N"> for link targets.
type inline struct {
	html  string
	holds []hold // by placeholder number
}

// hold is the original Markdown behind one placeholder. For a link it is
// the text after the link text ("](url)"); for an image, Alt is the part a
// reader sees and is translated as its own segment, between Pre and Post.
type hold struct {
	raw       string
	link      bool
	image     bool
	pre, post string // image: "![" and "](src)"
	alt       string
	altSeg    int // index of the alt's segment in the document, -1 if none
}

// Emphasis delimiters and the tags that carry them through a provider:
// the tag records which delimiter the source used, so an untranslated
// round trip gives back the same bytes.
var emphasisTags = map[string]string{"**": "b", "__": "strong", "*": "i", "_": "em"}
var tagDelims = map[string]string{"b": "**", "strong": "__", "i": "*", "em": "_"}

// toInline converts inline Markdown to provider HTML.
func toInline(md string) *inline {
	in := &inline{}
	if h, ok := in.convert(md, true); ok {
		in.html = h
		return in
	}
	// Unbalanced emphasis: keep every delimiter as a placeholder instead.
	in.holds = nil
	h, _ := in.convert(md, false)
	in.html = h
	return in
}

func (in *inline) hold(h hold) string {
	in.holds = append(in.holds, h)
	return "<var>" + strconv.Itoa(len(in.holds)-1) + "</var>"
}

var (
	reAutolink = regexp.MustCompile(`^<(?:[a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>`)
	reHTMLTag  = regexp.MustCompile(`^<(?:/?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?|!--[\s\S]*?--)>`)
	reEntity   = regexp.MustCompile(`^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});`)
)

// convert walks md once. With emphasis false, * and _ runs are held
// verbatim. ok is false when emphasis was left open.
func (in *inline) convert(md string, emphasis bool) (string, bool) {
	var b strings.Builder
	var stack []string // open emphasis delimiters
	i := 0
	for i < len(md) {
		c := md[i]
		rest := md[i:]
		switch {
		case c == '\\' && i+1 < len(md) && isASCIIPunct(md[i+1]):
			b.WriteString(in.hold(hold{raw: md[i : i+2]}))
			i += 2
		case c == '`':
			n := runLen(rest, '`')
			fence := rest[:n]
			if end := strings.Index(rest[n:], fence); end >= 0 && runLen(rest[n+end:], '`') == n {
				b.WriteString(in.hold(hold{raw: rest[:n+end+n]}))
				i += n + end + n
			} else {
				b.WriteString(in.hold(hold{raw: fence}))
				i += n
			}
		case c == '!' && strings.HasPrefix(rest, "!["):
			if textEnd, post, ok := linkParts(rest[1:]); ok {
				alt := rest[2 : 1+textEnd]
				b.WriteString(in.hold(hold{image: true, pre: "![", alt: alt, post: post, altSeg: -1}))
				i += 1 + textEnd + len(post)
			} else {
				b.WriteString("!")
				i++
			}
		case c == '[':
			if textEnd, post, ok := linkParts(rest); ok {
				inner, ok2 := in.convert(rest[1:textEnd], emphasis)
				if !ok2 {
					return "", false
				}
				in.holds = append(in.holds, hold{raw: post, link: true})
				b.WriteString(`<a href="` + strconv.Itoa(len(in.holds)-1) + `">` + inner + "</a>")
				i += textEnd + len(post)
			} else {
				b.WriteString(in.hold(hold{raw: "["}))
				i++
			}
		case c == '<':
			if m := reAutolink.FindString(rest); m != "" {
				b.WriteString(in.hold(hold{raw: m}))
				i += len(m)
			} else if m := reHTMLTag.FindString(rest); m != "" {
				b.WriteString(in.hold(hold{raw: m}))
				i += len(m)
			} else {
				b.WriteString("&lt;")
				i++
			}
		case c == '&':
			if m := reEntity.FindString(rest); m != "" {
				b.WriteString(in.hold(hold{raw: m}))
				i += len(m)
			} else {
				b.WriteString("&amp;")
				i++
			}
		case c == '>':
			b.WriteString("&gt;")
			i++
		case c == '"':
			b.WriteString("&#34;")
			i++
		case c == '*' || c == '_' || c == ']':
			n := runLen(rest, c)
			run := rest[:n]
			if c == ']' || !emphasis {
				b.WriteString(in.hold(hold{raw: run}))
				i += n
				continue
			}
			before, _ := utf8.DecodeLastRuneInString(md[:i])
			after, _ := utf8.DecodeRuneInString(md[i+n:])
			if i == 0 {
				before = ' '
			}
			if i+n == len(md) {
				after = ' '
			}
			// Intraword underscores (snake_case) are text, as CommonMark says.
			if c == '_' && isWord(before) && isWord(after) {
				b.WriteString(in.hold(hold{raw: run}))
				i += n
				continue
			}
			for n > 0 {
				d := run[:min(n, 2)]
				if n == 3 {
					d = run[:1]
				}
				if len(stack) > 0 && stack[len(stack)-1] == d && !unicode.IsSpace(before) {
					b.WriteString("</" + emphasisTags[d] + ">")
					stack = stack[:len(stack)-1]
				} else if !unicode.IsSpace(after) && strings.Contains(md[i+n:], d) {
					b.WriteString("<" + emphasisTags[d] + ">")
					stack = append(stack, d)
				} else {
					b.WriteString(in.hold(hold{raw: d}))
				}
				n -= len(d)
				run = run[len(d):]
				i += len(d)
			}
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), len(stack) == 0
}

// linkParts finds the end of "[text]" at the start of s (nested brackets
// allowed) and the destination that follows: "(url ...)" or "[ref]". It
// returns the index of the closing bracket and the text from it to the end
// of the destination.
func linkParts(s string) (textEnd int, post string, ok bool) {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '`':
			n := runLen(s[i:], '`')
			if end := strings.Index(s[i+n:], s[i:i+n]); end >= 0 {
				i += n + end + n - 1
			}
		case '[':
			depth++
		case ']':
			depth--
			if depth > 0 {
				continue
			}
			rest := s[i+1:]
			switch {
			case strings.HasPrefix(rest, "("):
				d := 0
				for j := 0; j < len(rest); j++ {
					switch rest[j] {
					case '\\':
						j++
					case '(':
						d++
					case ')':
						d--
						if d == 0 {
							return i, s[i : i+1+j+1], true
						}
					}
				}
				return 0, "", false
			case strings.HasPrefix(rest, "["):
				if j := strings.IndexByte(rest, ']'); j >= 0 {
					return i, s[i : i+1+j+1], true
				}
			}
			return 0, "", false
		}
	}
	return 0, "", false
}

func runLen(s string, c byte) int {
	n := 0
	for n < len(s) && s[n] == c {
		n++
	}
	return n
}

func isASCIIPunct(c byte) bool {
	return c < 128 && unicode.IsPunct(rune(c)) || strings.IndexByte("$+<=>^`|~", c) >= 0
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

var reTag = regexp.MustCompile(`<(/?)(b|strong|i|em|a|var)\b([^>]*)>`)
var reHref = regexp.MustCompile(`href\s*=\s*["']?(\d+)`)

type token struct {
	text  string // character data, unescaped; when tag is ""
	tag   string
	close bool
	num   int // href or var number; -1 when unreadable
}

// fromInline turns a provider's translation of in.html back into Markdown.
// alts are the translated alt texts of images, by segment index.
func (in *inline) fromInline(out string, alts func(seg int) string) string {
	toks := tokenize(out, in)
	toks = balance(toks)
	toks = hugSpaces(toks)
	used := make([]bool, len(in.holds))
	var b strings.Builder
	var linkStack []int
	for _, t := range toks {
		switch {
		case t.tag == "":
			b.WriteString(t.text)
		case t.tag == "var":
			if t.num >= 0 && t.num < len(in.holds) && !in.holds[t.num].link {
				used[t.num] = true
				b.WriteString(in.holds[t.num].markdown(alts))
			}
		case t.tag == "a" && !t.close:
			b.WriteByte('[')
			linkStack = append(linkStack, t.num)
		case t.tag == "a":
			n := linkStack[len(linkStack)-1]
			linkStack = linkStack[:len(linkStack)-1]
			if n >= 0 && n < len(in.holds) && in.holds[n].link {
				used[n] = true
				b.WriteString(in.holds[n].raw)
			} else {
				b.WriteString("]")
			}
		default:
			b.WriteString(tagDelims[t.tag])
		}
	}
	// A provider that dropped code or an image must not lose it: append
	// what was never placed, so the content survives even if out of place.
	for i, h := range in.holds {
		if !used[i] && (h.image || strings.HasPrefix(h.raw, "`") || strings.HasPrefix(h.raw, "<")) {
			b.WriteString(" " + h.markdown(alts))
		}
	}
	return strings.TrimSpace(b.String())
}

func (h hold) markdown(alts func(int) string) string {
	if !h.image {
		return h.raw
	}
	alt := h.alt
	if h.altSeg >= 0 && alts != nil {
		alt = alts(h.altSeg)
	}
	return h.pre + alt + h.post
}

// tokenize splits provider HTML into text and the tags this package uses.
// Any other markup a provider adds is dropped with its brackets, and text
// is unescaped and re-escaped for Markdown where it would start syntax.
func tokenize(s string, in *inline) []token {
	var toks []token
	pos := 0
	text := func(t string) {
		t = stripTags(t)
		if t != "" {
			toks = append(toks, token{text: escapeMarkdownText(html.UnescapeString(t))})
		}
	}
	for _, m := range reTag.FindAllStringSubmatchIndex(s, -1) {
		if m[0] < pos {
			continue // inside a placeholder already consumed
		}
		text(s[pos:m[0]])
		pos = m[1]
		tag := s[m[4]:m[5]]
		t := token{tag: tag, close: m[3] > m[2], num: -1}
		if tag == "var" && !t.close {
			// The number is the text up to </var>.
			end := strings.Index(s[pos:], "</var>")
			if end < 0 {
				continue
			}
			if n, err := strconv.Atoi(strings.TrimSpace(s[pos : pos+end])); err == nil {
				t.num = n
			}
			pos += end + len("</var>")
			toks = append(toks, t)
			continue
		}
		if tag == "var" {
			continue
		}
		if tag == "a" && !t.close {
			if hm := reHref.FindStringSubmatch(s[m[6]:m[7]]); hm != nil {
				t.num, _ = strconv.Atoi(hm[1])
			}
		}
		toks = append(toks, t)
	}
	text(s[pos:])
	return toks
}

var reAnyTag = regexp.MustCompile(`<[^<>]*>`)

func stripTags(s string) string { return reAnyTag.ReplaceAllString(s, "") }

// escapeMarkdownText keeps provider text from being read as Markdown
// syntax: the source's own syntax characters were placeholders, so any in
// the translation are the provider's and are meant literally.
func escapeMarkdownText(s string) string {
	if !strings.ContainsAny(s, "*_[]`\\<") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("*_[]`\\<", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// balance drops tags left unmatched by a provider, so a stray delimiter
// never turns the rest of a paragraph bold.
func balance(toks []token) []token {
	drop := make([]bool, len(toks))
	var stack []int
	for i, t := range toks {
		if t.tag == "" || t.tag == "var" {
			continue
		}
		if !t.close {
			stack = append(stack, i)
			continue
		}
		// Close the nearest open tag of the same name; tags opened after it
		// and still open are crossed and dropped.
		j := len(stack) - 1
		for j >= 0 && toks[stack[j]].tag != t.tag {
			j--
		}
		if j < 0 {
			drop[i] = true
			continue
		}
		for _, k := range stack[j+1:] {
			drop[k] = true
		}
		stack = stack[:j]
	}
	for _, k := range stack {
		drop[k] = true
	}
	out := toks[:0:0]
	for i, t := range toks {
		if !drop[i] {
			out = append(out, t)
		}
	}
	// An open tag directly followed by its close adds nothing, except a
	// link: an empty link text still carries its target.
	res := out[:0:0]
	for i := 0; i < len(out); i++ {
		if i+1 < len(out) && out[i].tag != "" && out[i].tag != "var" && out[i].tag != "a" && !out[i].close &&
			out[i+1].tag == out[i].tag && out[i+1].close {
			i++
			continue
		}
		res = append(res, out[i])
	}
	return res
}

// hugSpaces moves spaces from just inside emphasis and link tags to just
// outside them: "** casa**" is not emphasis in Markdown, " **casa**" is.
func hugSpaces(toks []token) []token {
	out := make([]token, 0, len(toks)+4)
	for i, t := range toks {
		isMark := t.tag != "" && t.tag != "var"
		switch {
		case isMark && !t.close && i+1 < len(toks) && toks[i+1].tag == "" && strings.HasPrefix(toks[i+1].text, " "):
			toks[i+1].text = strings.TrimLeft(toks[i+1].text, " ")
			out = append(out, token{text: " "}, t)
		case isMark && t.close && len(out) > 0 && out[len(out)-1].tag == "" && strings.HasSuffix(out[len(out)-1].text, " "):
			out[len(out)-1].text = strings.TrimRight(out[len(out)-1].text, " ")
			out = append(out, t, token{text: " "})
		default:
			out = append(out, t)
		}
	}
	return out
}

// plainToInline escapes plain text (a title, an alt text) for a provider.
func plainToInline(s string) string { return html.EscapeString(s) }

// plainFromInline turns a provider's translation of plain text back into
// plain text.
func plainFromInline(s string) string {
	return strings.TrimSpace(html.UnescapeString(stripTags(s)))
}
