package republish

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"folio/internal/content"
	"folio/internal/newsletter"
	"folio/internal/render/markdown"
	"folio/internal/urls"
)

// Offered reports whether readers are offered the republish tool for a:
// it is public now, anyone may read its full text (members-only and paid
// articles never are offered), and its license lets community sites
// cross-post it.
func Offered(st *content.Settings, a *content.Article, now time.Time) bool {
	return a.IsPublic(now) && a.PublicFullText(now) && content.ResolveLicense(st, a.License).Republish
}

// ImageRights tells whether the image at a site path (a "/media/…" URL)
// may travel with a republished article. Images it does not know may not.
type ImageRights func(path string) bool

// Copy is what a republisher pastes: the article with its attribution as
// HTML and as text, and the canonical link for their page's head.
type Copy struct {
	*newsletter.Attributed
	License   *content.License
	PixelURL  string
	HTML      string // sanitized; links absolute; only republishable images
	Text      string
	HeadHTML  string // <link rel="canonical" …> for the republisher's <head>
	Images    int    // images kept
	Dropped   int    // images left out for want of rights
	Changes   bool   // the license allows edits
	Commerce  bool   // the license allows commercial reuse
	Canonical string
}

// PixelPath is the path of an article's tracking image.
func PixelPath(articleID int64) string {
	return "/republish/" + strconv.FormatInt(articleID, 10) + "/pixel.gif"
}

// PagePath is the path of an article's republish page.
func PagePath(articleID int64) string { return "/republish/" + strconv.FormatInt(articleID, 10) + "/" }

var snippet = template.Must(template.New("republish").Parse(`<article lang="{{.Lang}}" dir="{{.Dir}}">
<h2>{{.Title}}</h2>
{{if .Deck}}<p><em>{{.Deck}}</em></p>
{{end}}{{if .Byline}}<p>{{.Byline}}{{if .Date}} · {{.Date}}{{end}}</p>
{{end}}{{.Body}}
<hr>
<p>{{.Copyright}}</p>
<p>This article was originally published by <a href="{{.Canonical}}">{{.Site}}</a>: <a href="{{.Canonical}}">{{.Canonical}}</a></p>
<p>{{if .LicenseURL}}<a rel="license" href="{{.LicenseURL}}"><strong>{{.Badge}}</strong></a>{{else}}<strong>{{.Badge}}</strong>{{end}} {{.LicenseNote}}</p>
<img src="{{.Pixel}}" width="1" height="1" alt="" referrerpolicy="no-referrer-when-downgrade">
</article>
`))

// badge is the short name of a license, as its badge reads.
func badge(l *content.License) string {
	if strings.HasPrefix(l.Code, "cc-") {
		return "CC " + strings.ToUpper(strings.TrimSuffix(strings.TrimPrefix(l.Code, "cc-"), "-4.0")) + " 4.0"
	}
	return l.Name
}

// Build makes the republish copy of a, a public article, on site st.
// rights decides which images go with it.
func Build(st *content.Settings, a *content.Article, rights ImageRights) *Copy {
	at := newsletter.Attribute(st, a)
	lic := content.ResolveLicense(st, a.License)
	b := urls.New(st)
	c := &Copy{Attributed: at, License: lic, PixelURL: b.Abs(PixelPath(a.ID)), Canonical: at.CanonicalURL,
		Changes: lic.Changes, Commerce: lic.Commercial}
	body, kept, dropped := rewriteBody(string(at.BodyHTML), b, rights)
	if im := a.Image; im != nil && im.URL != "" {
		if rights != nil && rights(im.URL) {
			body = figure(b.Abs(im.URL), im) + body
			kept++
		} else {
			dropped++
		}
	}
	c.Images, c.Dropped = kept, dropped
	body = markdown.Sanitize(body) // again, after the rewrite
	var buf bytes.Buffer
	err := snippet.Execute(&buf, map[string]any{
		"Lang": at.Lang, "Dir": at.Dir, "Title": at.Title, "Deck": at.Deck, "Byline": at.Byline, "Date": at.Date,
		"Body":      template.HTML(body),
		"Copyright": at.Copyright, "Canonical": at.CanonicalURL, "Site": at.Site,
		"LicenseURL": lic.URL, "Badge": badge(lic), "LicenseNote": at.LicenseNote, "Pixel": c.PixelURL,
	})
	if err != nil {
		// Only a broken template above could fail; say so in the output.
		c.HTML = fmt.Sprintf("<!-- %v -->", err)
	} else {
		c.HTML = buf.String()
	}
	c.HeadHTML = `<link rel="canonical" href="` + template.HTMLEscapeString(at.CanonicalURL) + `">`
	// The text is made from the rewritten body: absolute links, and no
	// trace of the images left out.
	tat := *at
	tat.BodyHTML = template.HTML(body)
	c.Text = tat.Text() + "\nThis article was originally published by " + at.Site + ". Please link to the original: " +
		at.CanonicalURL + "\n"
	return c
}

func figure(src string, im *content.Image) string {
	var b strings.Builder
	b.WriteString(`<figure><img src="` + template.HTMLEscapeString(src) + `" alt="` + template.HTMLEscapeString(im.Alt) + `"`)
	if im.Width > 0 && im.Height > 0 {
		fmt.Fprintf(&b, ` width="%d" height="%d"`, im.Width, im.Height)
	}
	b.WriteString(">")
	if im.Caption != "" || im.Credit != "" {
		b.WriteString("<figcaption>" + template.HTMLEscapeString(im.Caption))
		if im.Credit != "" {
			if im.Caption != "" {
				b.WriteString(" ")
			}
			b.WriteString("(" + template.HTMLEscapeString(im.Credit) + ")")
		}
		b.WriteString("</figcaption>")
	}
	b.WriteString("</figure>\n")
	return b.String()
}

// rewriteBody makes links and image sources absolute, drops responsive
// variants (they are this site's files, listed per width) and removes the
// images rights does not allow, with their figure. It returns the body and
// how many images it kept and dropped.
func rewriteBody(body string, b urls.Builder, rights ImageRights) (string, int, int) {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(body), ctx)
	if err != nil {
		return "", 0, 0 // the body was sanitized when stored; this does not happen
	}
	kept, dropped := 0, 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			if c.Type == html.ElementNode && c.DataAtom == atom.Img {
				src := attrOf(c, "src")
				if rights == nil || !rights(sitePath(src, b)) {
					dropped++
					remove(c)
					c = next
					continue
				}
				kept++
			}
			if c.Type == html.ElementNode {
				absolutize(c, b)
				walk(c)
			}
			c = next
		}
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	walk(root)
	// A figure whose image went holds only its caption: drop it too.
	var figures []*html.Node
	var find func(n *html.Node)
	find = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.Figure && !hasImage(c) {
				figures = append(figures, c)
				continue
			}
			find(c)
		}
	}
	find(root)
	for _, f := range figures {
		remove(f)
	}
	var buf bytes.Buffer
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		_ = html.Render(&buf, c) // writes to a buffer
	}
	return buf.String(), kept, dropped
}

func hasImage(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Img || hasImage(c)) {
			return true
		}
	}
	return false
}

func remove(n *html.Node) {
	p := n.Parent
	p.RemoveChild(n)
	// A <picture> without its <img> shows nothing.
	if p.DataAtom == atom.Picture && p.Parent != nil && !hasImage(p) {
		p.Parent.RemoveChild(p)
	}
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// absolutize rewrites href and src to absolute URLs and drops srcset.
func absolutize(n *html.Node, b urls.Builder) {
	out := n.Attr[:0]
	for _, a := range n.Attr {
		switch a.Key {
		case "srcset", "sizes":
			continue
		case "href", "src":
			if strings.HasPrefix(a.Val, "/") && !strings.HasPrefix(a.Val, "//") {
				a.Val = b.Abs(a.Val)
			} else if strings.HasPrefix(a.Val, "#") {
				a.Val = "" // in-page anchors do not survive the copy
			}
		}
		if a.Val == "" && a.Key == "href" {
			continue
		}
		out = append(out, a)
	}
	n.Attr = out
}

// sitePath returns the path of src when it is on this site ("/media/…"),
// else src unchanged.
func sitePath(src string, b urls.Builder) string {
	if strings.HasPrefix(src, "/") && !strings.HasPrefix(src, "//") {
		return src
	}
	u, err := url.Parse(src)
	base, berr := url.Parse(b.Base)
	if err == nil && berr == nil && u.Host == base.Host {
		return u.Path
	}
	return src
}
