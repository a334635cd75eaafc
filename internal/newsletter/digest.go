package newsletter

import (
	"bytes"
	"html/template"
	"strings"

	"folio/internal/content"
)

// DigestItem is one article of a digest: its attribution and the summary
// a digest shows (the deck, else the excerpt; never the body, so a gated
// article's text stays behind its gate).
type DigestItem struct {
	*Attributed
	Summary string
}

// DigestGroup is a digest's articles in one language, shown with its own
// lang and dir.
type DigestGroup struct {
	Lang, Dir string
	Items     []DigestItem
}

// DigestItems turns a digest's articles, newest first, into groups by
// language in the order the languages first appear.
func DigestItems(st *content.Settings, arts []*content.Article) []DigestGroup {
	var groups []DigestGroup
	at := map[string]int{}
	for _, a := range arts {
		it := DigestItem{Attributed: Attribute(st, a), Summary: a.Deck}
		if it.Summary == "" {
			it.Summary = a.Excerpt
		}
		i, ok := at[a.Language]
		if !ok {
			i = len(groups)
			at[a.Language] = i
			groups = append(groups, DigestGroup{Lang: it.Lang, Dir: it.Dir})
		}
		groups[i].Items = append(groups[i].Items, it)
	}
	return groups
}

var digestBody = template.Must(template.New("digest").Parse(`{{range .}}<div lang="{{.Lang}}" dir="{{.Dir}}">
{{range .Items}}<h2><a href="{{.CanonicalURL}}">{{.Title}}</a></h2>
{{if .Summary}}<p>{{.Summary}}</p>
{{end}}{{if .Byline}}<p><small>{{.Byline}}{{if .Date}} · {{.Date}}{{end}}</small></p>
{{else if .Date}}<p><small>{{.Date}}</small></p>
{{end}}{{end}}</div>
{{end}}`))

// digestHTML and digestText render the groups; Message wraps them like
// an article's body.
func digestHTML(groups []DigestGroup) (string, error) {
	var b bytes.Buffer
	err := digestBody.Execute(&b, groups)
	return b.String(), err
}

func digestText(groups []DigestGroup) string {
	var b strings.Builder
	for _, g := range groups {
		for _, it := range g.Items {
			b.WriteString(it.Title + "\n")
			if it.Summary != "" {
				b.WriteString(it.Summary + "\n")
			}
			if it.Byline != "" {
				b.WriteString(it.Byline)
				if it.Date != "" {
					b.WriteString(" · " + it.Date)
				}
				b.WriteString("\n")
			}
			b.WriteString(it.CanonicalURL + "\n\n")
		}
	}
	return b.String()
}
