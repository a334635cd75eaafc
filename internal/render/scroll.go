package render

import (
	"html"
	"regexp"
	"strings"

	"folio/internal/i18n"
)

var (
	tableTagRE = regexp.MustCompile(`(?i)<table\b[^>]*>|</table\s*>`)
	preTagRE   = regexp.MustCompile(`(?i)<pre\b`)
)

// scrollable makes the wide parts of a body reachable by keyboard (axe's
// scrollable-region-focusable): each outermost table goes into a focusable,
// named region that scrolls sideways (a role on the table itself would
// hide its table semantics), and each code block becomes one. The body is
// the sanitized HTML the editorial service stored; the labels are in l's
// language, the body's.
func scrollable(body string, l *i18n.Locale) string {
	if !strings.Contains(body, "<table") && !strings.Contains(body, "<TABLE") && !strings.Contains(body, "<pre") && !strings.Contains(body, "<PRE") {
		return body
	}
	var b strings.Builder
	open := `<div class="table-scroll" tabindex="0" role="region" aria-label="` + html.EscapeString(l.T("scroll.table")) + `">`
	depth, last := 0, 0
	for _, m := range tableTagRE.FindAllStringIndex(body, -1) {
		tag := body[m[0]:m[1]]
		closing := strings.HasPrefix(tag, "</")
		switch {
		case !closing && depth == 0:
			b.WriteString(body[last:m[0]])
			b.WriteString(open)
			b.WriteString(tag)
			last = m[1]
		case closing && depth == 1:
			b.WriteString(body[last:m[1]])
			b.WriteString("</div>")
			last = m[1]
		}
		if closing {
			depth = max(0, depth-1)
		} else {
			depth++
		}
	}
	if depth > 0 {
		return preRegions(body, l) // unbalanced: leave the tables alone
	}
	b.WriteString(body[last:])
	return preRegions(b.String(), l)
}

func preRegions(body string, l *i18n.Locale) string {
	return preTagRE.ReplaceAllLiteralString(body, `<pre tabindex="0" role="region" aria-label="`+html.EscapeString(l.T("scroll.code"))+`"`)
}
