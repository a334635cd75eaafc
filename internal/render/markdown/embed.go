package markdown

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"

	"folio/internal/embeds"
)

// A URL alone on its line is rendered by goldmark's linkify as a paragraph
// holding one link whose text is its address. Such a paragraph becomes a
// click-to-load facade when a provider of internal/embeds recognises the
// URL: a plain link to the page (so it works without JavaScript, and
// nothing loads from the third party until the reader asks), which
// web/static/embed.js swaps for the iframe on click.
var loneLink = regexp.MustCompile(`<p><a href="([^"]+)"(?: rel="nofollow")?>([^<]+)</a></p>`)

// facades replaces every lone-URL paragraph of sanitized HTML h that names
// an embeddable page with its facade.
func facades(h string) string {
	if !strings.Contains(h, "<p><a href=") {
		return h
	}
	return loneLink.ReplaceAllStringFunc(h, func(m string) string {
		sub := loneLink.FindStringSubmatch(m)
		href, text := html.UnescapeString(sub[1]), html.UnescapeString(sub[2])
		if href != text {
			return m
		}
		e, ok := embeds.Match(href)
		if !ok {
			return m
		}
		return Facade(e)
	})
}

// Facade is the HTML of a click-to-load embed: a figure holding a link to
// the page, with the iframe source and provider in data attributes.
func Facade(e embeds.Embed) string {
	host := ""
	if u, err := url.Parse(e.Src); err == nil {
		host = u.Host
	}
	esc := html.EscapeString
	return fmt.Sprintf(`<figure class="embed" data-embed-provider="%s"><a class="embed-load" href="%s" data-embed-src="%s" data-embed-host="%s"><span class="embed-provider">%s</span> <span class="embed-url">%s</span></a></figure>`,
		esc(e.Provider), esc(e.URL), esc(e.Src), esc(host), esc(e.Provider), esc(e.URL))
}

var (
	iframeSrc = regexp.MustCompile(`(?i)<iframe\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+)`)
	loneURL   = regexp.MustCompile(`(?m)^[ \t]*<?(https?://[^\s<>]+)>?[ \t]*$`)
)

// EmbedNotes tells the editor, one sentence each, what in the Markdown
// source was meant as an embed but will not be one: an iframe from a
// source off the allow-list (the sanitizer drops it) and a URL alone on its
// line that no provider embeds (it stays a link).
func EmbedNotes(source string) []string {
	var notes []string
	allowed := embeds.Prefixes()
	for _, m := range iframeSrc.FindAllStringSubmatch(source, -1) {
		src := html.UnescapeString(m[1])
		if !hasAnyPrefix(src, allowed) {
			notes = append(notes, fmt.Sprintf("The iframe from %s is removed: only embeds from %s are allowed, over https.", src, embeds.Names()))
		}
	}
	inFence := false
	var open *openBlock
	n := 0
	for line := range strings.SplitSeq(source, "\n") {
		n++
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			inFence = !inFence
		}
		if inFence {
			continue
		}
		if open != nil {
			if blockClose.MatchString(line) {
				notes = append(notes, open.notes()...)
				open = nil
			} else {
				open.lines = append(open.lines, strings.TrimSpace(line))
			}
			continue
		}
		if m := blockOpen.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			open = &openBlock{line: n, kind: m[1]}
			continue
		}
		m := loneURL.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if _, ok := embeds.Match(m[1]); !ok {
			if why := embeds.Reason(m[1]); why != "" {
				notes = append(notes, fmt.Sprintf("%s stays a link: %s.", m[1], why))
			} else {
				notes = append(notes, fmt.Sprintf("%s stays a link: it is not an embed from %s.", m[1], embeds.Names()))
			}
		}
	}
	if open != nil {
		notes = append(notes, fmt.Sprintf("Line %d: the %s block is not closed: end it with a line holding only :::.", open.line, open.kind))
	}
	return notes
}

// openBlock is a ":::" block EmbedNotes is reading.
type openBlock struct {
	line  int
	kind  string
	lines []string
}

// notes says what of the block will not show as its kind promises.
func (b *openBlock) notes() []string {
	switch b.kind {
	case "figure":
		for _, l := range b.lines {
			if imageLine.MatchString(l) {
				return nil
			}
		}
		return []string{fmt.Sprintf("Line %d: the figure block has no image line (![alt text](/media/…)); insert one from the library.", b.line)}
	case "audio", "document":
		if _, href, _ := mediaLink(b.lines); href == "" {
			return []string{fmt.Sprintf("Line %d: the %s block has no link to its file ([title](/media/…)); insert one from the library.", b.line, b.kind)}
		}
	}
	return nil
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
