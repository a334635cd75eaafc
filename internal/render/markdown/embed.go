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
	for line := range strings.SplitSeq(source, "\n") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			inFence = !inFence
		}
		if inFence {
			continue
		}
		m := loneURL.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if _, ok := embeds.Match(m[1]); !ok {
			notes = append(notes, fmt.Sprintf("%s stays a link: it is not an embed from %s.", m[1], embeds.Names()))
		}
	}
	return notes
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
