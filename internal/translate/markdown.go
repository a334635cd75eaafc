package translate

import (
	"html"
	"regexp"
	"strings"
	"unicode"
)

// Doc is a text cut into segments for translation. The parts between
// segments (Markdown syntax, code blocks, raw HTML, blank lines) are kept
// byte for byte; Join puts translated segments back in their places.
type Doc struct {
	parts    []docPart
	Segments []Segment
}

type docPart struct {
	lit   string
	seg   int     // index into Segments, or -1 for a literal part
	in    *inline // Markdown inline segment; nil for plain text
	after string  // literal after the segment (line end)
}

// addLit appends literal text.
func (d *Doc) addLit(s string) {
	if s == "" {
		return
	}
	if n := len(d.parts); n > 0 && d.parts[n-1].seg < 0 {
		d.parts[n-1].lit += s
		return
	}
	d.parts = append(d.parts, docPart{lit: s, seg: -1})
}

// AddPlain adds plain text (a title, a caption) as one segment; text with
// nothing to translate is kept as it is.
func (d *Doc) AddPlain(kind, text string) {
	if !hasWords(text) {
		d.addLit(text)
		return
	}
	d.Segments = append(d.Segments, Segment{Kind: kind, Text: plainToInline(text)})
	d.parts = append(d.parts, docPart{seg: len(d.Segments) - 1})
}

// addInline adds a run of inline Markdown as one segment, with the alt
// texts of its images as segments of their own.
func (d *Doc) addInline(kind, md, after string) {
	in := toInline(md)
	if !hasWords(reTag.ReplaceAllString(in.html, "")) && !in.hasAlt() {
		d.addLit(md + after)
		return
	}
	for i := range in.holds {
		h := &in.holds[i]
		if h.image && hasWords(h.alt) {
			d.Segments = append(d.Segments, Segment{Kind: "alt", Text: plainToInline(h.alt)})
			h.altSeg = len(d.Segments) - 1
		}
	}
	d.Segments = append(d.Segments, Segment{Kind: kind, Text: in.html})
	d.parts = append(d.parts, docPart{seg: len(d.Segments) - 1, in: in, after: after})
}

func (in *inline) hasAlt() bool {
	for _, h := range in.holds {
		if h.image && hasWords(h.alt) {
			return true
		}
	}
	return false
}

// Join returns the text with each segment replaced by its translation,
// given in the order of Segments.
func (d *Doc) Join(translated []string) string {
	var b strings.Builder
	alts := func(i int) string { return plainFromInline(translated[i]) }
	for _, p := range d.parts {
		switch {
		case p.seg < 0:
			b.WriteString(p.lit)
		case p.in == nil:
			b.WriteString(plainFromInline(translated[p.seg]))
		default:
			b.WriteString(p.in.fromInline(translated[p.seg], alts))
			b.WriteString(p.after)
		}
	}
	return b.String()
}

// hasWords reports whether s has a letter to translate. Entities are
// read as the characters they stand for, so "&lt;" alone is not a word.
func hasWords(s string) bool {
	s = html.UnescapeString(reVar.ReplaceAllString(s, ""))
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

var reVar = regexp.MustCompile(`<var>\d+</var>`)

var (
	reFence     = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})")
	reQuote     = regexp.MustCompile(`^ {0,3}>[ \t]?`)
	reListItem  = regexp.MustCompile(`^[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]+(?:\[[ xX]\][ \t]+)?|$)`)
	reHeading   = regexp.MustCompile(`^ {0,3}#{1,6}(?:[ \t]+|$)`)
	reClosingH  = regexp.MustCompile(`[ \t]+#+[ \t]*$`)
	reBreak     = regexp.MustCompile(`^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$`)
	reRefDef    = regexp.MustCompile(`^ {0,3}\[[^\]]+\]:`)
	reHTMLBlock = regexp.MustCompile(`^ {0,3}<(?:[a-zA-Z][a-zA-Z0-9-]*[\s/>]|/[a-zA-Z]|!--|\?|!)`)
	reTableSep  = regexp.MustCompile(`^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*(?::?-+:?)?[ \t]*$`)
	reIndented  = regexp.MustCompile(`^(?: {4}|\t)`)
	// A ":::" block's opening line: its kind and media number stay, a
	// callout's title is translated.
	reBlockOpen = regexp.MustCompile(`^([ \t]*:::[ \t]*(?:figure|pullquote|callout|audio|document)\b[ \t]*)(.*)$`)
)

// addBlockLine adds one line of a ":::" block, whose lines are read one by
// one and kept on their own lines: the keywords (the kind, "Credit:", the
// closing ":::") stay, the rest is translated. It returns whether the
// block is still open.
func (d *Doc) addBlockLine(body, end string, open bool) bool {
	t := strings.TrimSpace(body)
	switch {
	case !open:
		m := reBlockOpen.FindStringSubmatch(body)
		if strings.Contains(m[1], "callout") && m[2] != "" {
			d.addLit(m[1])
			d.addInline("heading", m[2], end)
		} else {
			d.addLit(body + end)
		}
		return true
	case t == ":::":
		d.addLit(body + end)
		return false
	case t == "":
		d.addLit(body + end)
		return true
	}
	ws := body[:len(body)-len(strings.TrimLeft(body, " \t"))]
	if c, ok := strings.CutPrefix(t, "Credit:"); ok {
		d.addLit(ws + "Credit:" + c[:len(c)-len(strings.TrimLeft(c, " "))])
		d.addInline("paragraph", strings.TrimLeft(c, " "), end)
		return true
	}
	d.addLit(ws)
	d.addInline("paragraph", t, end)
	return true
}

// SplitMarkdown cuts a Markdown body into segments: each heading, list
// item, table cell, blockquote line and paragraph, and each image's alt
// text. A paragraph's soft-wrapped lines become one segment, so a sentence
// is translated whole; it is written back on one line.
func SplitMarkdown(md string) *Doc {
	d := &Doc{}
	d.addMarkdown(md)
	return d
}

func (d *Doc) addMarkdown(md string) {
	lines := strings.SplitAfter(md, "\n")
	var fence string      // the open code fence, if any
	var inHTML bool       // inside a raw HTML block, which runs to a blank line
	var para []string     // lines of the open paragraph, prefixes removed
	var paraPres []string // each line's own prefix
	var paraPre string    // the first line's prefix
	var paraDepth int     // blockquote depth of the first line
	var paraEnd string    // the line end of the paragraph's last line
	prevBlank := true
	inList := false
	inBlock := false // inside a ":::" block (render/markdown/blocks.go)

	flush := func() {
		if len(para) == 0 {
			return
		}
		var b strings.Builder
		for i, l := range para {
			if i > 0 {
				prev := para[i-1]
				if !strings.HasSuffix(prev, "  ") && !strings.HasSuffix(prev, "\\") {
					b.WriteByte(' ')
				}
			}
			if i < len(para)-1 && (strings.HasSuffix(l, "  ") || strings.HasSuffix(l, "\\")) {
				// A hard break stays a break: a placeholder holds it.
				trimmed := strings.TrimRight(l, " ")
				if strings.HasSuffix(l, "\\") {
					trimmed = l[:len(l)-1]
				}
				b.WriteString(strings.TrimSpace(trimmed))
				b.WriteString("\x00BR" + l[len(trimmed):] + "\n" + paraPres[i+1] + "\x00")
				continue
			}
			b.WriteString(strings.TrimSpace(l))
		}
		d.addLit(paraPre)
		d.addBreakable("paragraph", b.String(), paraEnd)
		para = nil
	}

	for _, line := range lines {
		if line == "" {
			continue
		}
		body, end := splitEnd(line)
		if fence == "" && !inHTML && (inBlock || reBlockOpen.MatchString(body)) {
			flush()
			inBlock = d.addBlockLine(body, end, inBlock)
			prevBlank = false
			continue
		}
		switch {
		case fence != "":
			d.addLit(line)
			if t := strings.TrimSpace(body); strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				fence = ""
			}
			continue
		case strings.TrimSpace(body) == "":
			flush()
			d.addLit(line)
			inHTML, prevBlank = false, true
			continue
		case inHTML:
			d.addLit(line)
			continue
		}

		// Container prefixes: blockquote markers, then a list marker.
		pre := ""
		rest := body
		for {
			m := reQuote.FindString(rest)
			if m == "" {
				break
			}
			pre += m
			rest = rest[len(m):]
		}
		depth := strings.Count(pre, ">")
		if len(para) > 0 && depth > paraDepth {
			flush() // a deeper blockquote interrupts the paragraph
		}
		isItem := false
		if !reBreak.MatchString(rest) {
			if m := reListItem.FindString(rest); m != "" {
				pre += m
				rest = rest[len(m):]
				isItem = true
			}
		}
		if !isItem && len(para) == 0 && !inList && prevBlank && pre == "" && reIndented.MatchString(rest) {
			d.addLit(line) // indented code block
			continue
		}
		if !isItem && (inList || len(para) > 0) {
			// Continuation lines may be indented under their list item.
			ws := len(rest) - len(strings.TrimLeft(rest, " \t"))
			pre += rest[:ws]
			rest = rest[ws:]
		}
		prevBlank = false

		if m := reFence.FindStringSubmatch(rest); m != nil {
			flush()
			fence = m[1]
			d.addLit(line)
			continue
		}
		switch {
		case reBreak.MatchString(rest) || reRefDef.MatchString(rest):
			flush()
			d.addLit(line)
			continue
		case reHTMLBlock.MatchString(rest):
			flush()
			inHTML = true
			d.addLit(line)
			continue
		case reHeading.MatchString(rest):
			flush()
			h := reHeading.FindString(rest)
			text := rest[len(h):]
			closing := reClosingH.FindString(text)
			text = text[:len(text)-len(closing)]
			d.addLit(pre + h)
			d.addInline("heading", text, closing+end)
			continue
		case strings.HasPrefix(strings.TrimSpace(rest), "|"):
			flush()
			d.addTableRow(pre, rest, end)
			continue
		}
		if isItem {
			flush()
			inList = true
		} else if len(para) == 0 && pre == "" {
			inList = false
		}
		if len(para) > 0 && !isItem {
			para = append(para, rest)
			paraPres = append(paraPres, pre)
			paraEnd = end
			continue
		}
		para, paraPres, paraPre, paraEnd, paraDepth = []string{rest}, []string{pre}, pre, end, depth
	}
	flush()
}

// addBreakable adds a paragraph whose hard breaks are marked \x00BR…\x00:
// each becomes a placeholder holding the break and the next line's prefix.
func (d *Doc) addBreakable(kind, text, after string) {
	if !strings.Contains(text, "\x00BR") {
		d.addInline(kind, text, after)
		return
	}
	// Convert each run between breaks, then join with placeholders.
	pieces := strings.Split(text, "\x00")
	in := &inline{}
	var b strings.Builder
	for _, p := range pieces {
		if brk, ok := strings.CutPrefix(p, "BR"); ok {
			b.WriteString(in.hold(hold{raw: brk}))
			continue
		}
		sub := toInline(p)
		off := len(in.holds)
		in.holds = append(in.holds, sub.holds...)
		b.WriteString(renumber(sub.html, off))
	}
	in.html = b.String()
	if !hasWords(reTag.ReplaceAllString(in.html, "")) && !in.hasAlt() {
		d.addLit(strings.ReplaceAll(strings.ReplaceAll(text, "\x00BR", ""), "\x00", "") + after)
		return
	}
	for i := range in.holds {
		h := &in.holds[i]
		if h.image && hasWords(h.alt) {
			d.Segments = append(d.Segments, Segment{Kind: "alt", Text: plainToInline(h.alt)})
			h.altSeg = len(d.Segments) - 1
		}
	}
	d.Segments = append(d.Segments, Segment{Kind: kind, Text: in.html})
	d.parts = append(d.parts, docPart{seg: len(d.Segments) - 1, in: in, after: after})
}

var reNum = regexp.MustCompile(`(<var>|<a href=")(\d+)`)

// renumber shifts placeholder numbers in h by off.
func renumber(h string, off int) string {
	if off == 0 {
		return h
	}
	return reNum.ReplaceAllStringFunc(h, func(m string) string {
		sm := reNum.FindStringSubmatch(m)
		n := 0
		for _, c := range sm[2] {
			n = n*10 + int(c-'0')
		}
		return sm[1] + itoa(n+off)
	})
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// addTableRow adds each cell of a table row as a segment.
func (d *Doc) addTableRow(pre, row, end string) {
	if reTableSep.MatchString(row) {
		d.addLit(pre + row + end)
		return
	}
	d.addLit(pre)
	cells := splitCells(row)
	for i, c := range cells {
		if i%2 == 0 { // pipes and the spaces around them
			d.addLit(c)
			continue
		}
		d.addInline("cell", c, "")
	}
	d.addLit(end)
}

// splitCells cuts a row into alternating separators ("| ") and cell texts,
// starting and ending with a separator. Pipes in code or escaped are text.
func splitCells(row string) []string {
	var out []string
	sepStart, cellStart := 0, -1
	inCode := false
	for i := 0; i < len(row); i++ {
		c := row[i]
		switch {
		case c == '\\':
			i++
			continue
		case c == '`':
			inCode = !inCode
		}
		if c == '|' && !inCode {
			if cellStart >= 0 {
				cell := row[cellStart:i]
				trimmed := strings.TrimRight(cell, " \t")
				out = append(out, row[sepStart:cellStart], trimmed)
				sepStart = cellStart + len(trimmed)
				cellStart = -1
			}
			continue
		}
		if cellStart < 0 && c != ' ' && c != '\t' {
			cellStart = i
		}
	}
	if cellStart >= 0 {
		out = append(out, row[sepStart:cellStart], strings.TrimRight(row[cellStart:], " \t"))
		sepStart = cellStart + len(strings.TrimRight(row[cellStart:], " \t"))
	}
	return append(out, row[sepStart:])
}

// splitEnd separates a line from its line ending.
func splitEnd(line string) (body, end string) {
	body = strings.TrimRight(line, "\r\n")
	return body, line[len(body):]
}
