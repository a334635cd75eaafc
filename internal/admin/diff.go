package admin

import (
	"html/template"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// diffHTML shows how to differs from from, line by line (Markdown is
// written in lines and paragraphs, so a character diff would be noise),
// as escaped text with <ins> and <del>.
func diffHTML(from, to string) template.HTML {
	dmp := diffmatchpatch.New()
	a, b, lines := dmp.DiffLinesToChars(from, to)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines)
	var sb strings.Builder
	for _, d := range diffs {
		text := template.HTMLEscapeString(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			sb.WriteString("<ins>" + text + "</ins>")
		case diffmatchpatch.DiffDelete:
			sb.WriteString("<del>" + text + "</del>")
		default:
			sb.WriteString(text)
		}
	}
	return template.HTML(sb.String()) // every piece of text is escaped above
}
