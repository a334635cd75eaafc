package newsletter

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/urls"
)

// Attributed is an article with everything a copy of it must carry.
type Attributed struct {
	Site         string
	Lang, Dir    string
	Title        string
	Deck         string
	Byline       string // "By Leyla Hosseini and Omar Farid"
	Date         string // "29 November 2026"
	Copyright    string // "Copyright © Leyla Hosseini, The Review, 2026"
	CanonicalURL string
	LicenseName  string
	LicenseURL   string
	LicenseNote  string        // the license's reuse statement
	BodyHTML     template.HTML // sanitized when the article was saved
}

// rtl languages among the site's: pages and mail set dir from this.
var rtl = map[string]bool{"ar": true, "fa": true, "ps": true, "ur": true, "he": true, "dv": true, "ckb": true, "ug": true, "yi": true}

// Attribute builds the attributed form of a, a public article.
func Attribute(st *content.Settings, a *content.Article) *Attributed {
	names := make([]string, 0, len(a.Authors))
	for _, au := range a.Authors {
		if au != nil {
			names = append(names, au.Name)
		}
	}
	loc, err := time.LoadLocation(st.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	lic := content.ResolveLicense(st, a.License)
	at := &Attributed{Site: st.Title, Lang: a.Language, Dir: "ltr", Title: a.Title, Deck: a.Deck,
		Copyright:    content.CopyrightLine(names, st.Title, a.PublishedAt.In(loc)),
		CanonicalURL: urls.New(st).Abs(urls.New(st).Article(a)),
		LicenseName:  lic.Name, LicenseURL: lic.URL, LicenseNote: strings.TrimSpace(strings.TrimPrefix(lic.Summary, lic.Name+".")),
		BodyHTML: template.HTML(a.BodyHTML)} // sanitized by the editorial service
	if rtl[strings.SplitN(a.Language, "-", 2)[0]] {
		at.Dir = "rtl"
	}
	if len(names) > 0 {
		at.Byline = "By " + joinNames(names)
	}
	if !a.PublishedAt.IsZero() {
		at.Date = a.PublishedAt.In(loc).Format("2 January 2006")
	}
	return at
}

func joinNames(n []string) string {
	switch len(n) {
	case 0:
		return ""
	case 1:
		return n[0]
	}
	return strings.Join(n[:len(n)-1], ", ") + " and " + n[len(n)-1]
}

var snippet = template.Must(template.New("snippet").Parse(`<div lang="{{.Lang}}" dir="{{.Dir}}">
<h2>{{.Title}}</h2>
{{if .Deck}}<p><em>{{.Deck}}</em></p>
{{end}}{{if .Byline}}<p>{{.Byline}}{{if .Date}} · {{.Date}}{{end}}</p>
{{end}}{{.BodyHTML}}
<hr>
<p>{{.Copyright}}</p>
<p>First published by {{.Site}}: <a href="{{.CanonicalURL}}">{{.CanonicalURL}}</a></p>
<p>License: {{if .LicenseURL}}<a href="{{.LicenseURL}}">{{.LicenseName}}</a>{{else}}{{.LicenseName}}{{end}}.{{if .LicenseNote}} {{.LicenseNote}}{{end}}</p>
</div>
`))

// HTML is the copy-ready HTML of the article with its attribution, for a
// reader to paste into their own list's editor.
func (at *Attributed) HTML() string {
	var b bytes.Buffer
	if err := snippet.Execute(&b, at); err != nil {
		// Only a broken template above could fail; say so in the output.
		return fmt.Sprintf("<!-- %v -->", err)
	}
	return b.String()
}

// Text is the plain-text form of the article with its attribution.
func (at *Attributed) Text() string {
	var b strings.Builder
	b.WriteString(at.Title + "\n")
	b.WriteString(strings.Repeat("=", min(len([]rune(at.Title)), 72)) + "\n\n")
	if at.Deck != "" {
		b.WriteString(at.Deck + "\n\n")
	}
	if at.Byline != "" {
		b.WriteString(at.Byline)
		if at.Date != "" {
			b.WriteString(" · " + at.Date)
		}
		b.WriteString("\n\n")
	}
	b.WriteString(Text(string(at.BodyHTML)))
	b.WriteString("\n\n---\n" + at.Copyright + "\n")
	b.WriteString("First published by " + at.Site + ": " + at.CanonicalURL + "\n")
	b.WriteString("License: " + at.LicenseName)
	if at.LicenseURL != "" {
		b.WriteString(" <" + at.LicenseURL + ">")
	}
	b.WriteString(".")
	if at.LicenseNote != "" {
		b.WriteString(" " + at.LicenseNote)
	}
	b.WriteString("\n")
	return b.String()
}
