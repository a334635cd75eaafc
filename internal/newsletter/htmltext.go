package newsletter

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
)

// emailCSS is the newsletter's stylesheet, by element. Many mail clients
// drop <style> blocks, so Inline writes each rule into the elements'
// style attributes instead.
var emailCSS = map[string]string{
	"body":       "margin:0;padding:0;background:#f4f1ea;",
	"h1":         "font-family:Georgia,serif;font-size:28px;line-height:1.2;margin:0 0 12px;color:#1d1d1b;",
	"h2":         "font-family:Georgia,serif;font-size:22px;line-height:1.3;margin:28px 0 8px;color:#1d1d1b;",
	"h3":         "font-family:Georgia,serif;font-size:18px;margin:24px 0 8px;color:#1d1d1b;",
	"p":          "font-family:Georgia,serif;font-size:17px;line-height:1.6;margin:0 0 16px;color:#1d1d1b;",
	"li":         "font-family:Georgia,serif;font-size:17px;line-height:1.6;color:#1d1d1b;",
	"a":          "color:#9b2915;text-decoration:underline;",
	"blockquote": "margin:16px 0;padding:0 0 0 16px;border-left:3px solid #c9c2b2;color:#4a4a48;",
	"img":        "max-width:100%;height:auto;border:0;",
	"figcaption": "font-family:Helvetica,Arial,sans-serif;font-size:13px;color:#6b6b68;",
	"hr":         "border:0;border-top:1px solid #c9c2b2;margin:24px 0;",
	"table":      "border-collapse:collapse;",
	"td":         "padding:4px 8px;border:1px solid #c9c2b2;",
	"code":       "font-family:Menlo,Consolas,monospace;font-size:15px;",
}

// Inline returns h with emailCSS written into every element's style
// attribute (before any style the element has) and <style> elements
// removed. h is sanitized HTML, so no script can be in it.
func Inline(h string) string {
	z := html.NewTokenizer(strings.NewReader(h))
	var b bytes.Buffer
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			if t.Data == "style" {
				skip++
				continue
			}
			if css, ok := emailCSS[t.Data]; ok {
				found := false
				for i, a := range t.Attr {
					if a.Key == "style" {
						t.Attr[i].Val = css + a.Val
						found = true
					}
				}
				if !found {
					t.Attr = append(t.Attr, html.Attribute{Key: "style", Val: css})
				}
			}
			if skip == 0 {
				b.WriteString(t.String())
			}
		case html.EndTagToken:
			t := z.Token()
			if t.Data == "style" {
				skip--
				continue
			}
			if skip == 0 {
				b.WriteString(t.String())
			}
		default:
			if skip == 0 {
				b.Write(z.Raw())
			}
		}
	}
}

// Text returns the readable text of h: paragraphs apart, list items
// bulleted, links followed by their address, images by their alt text.
func Text(h string) string {
	z := html.NewTokenizer(strings.NewReader(h))
	var b strings.Builder
	var href []string
	skip := 0
	block := func() {
		s := b.String()
		if s != "" && !strings.HasSuffix(s, "\n\n") {
			if strings.HasSuffix(s, "\n") {
				b.WriteString("\n")
			} else {
				b.WriteString("\n\n")
			}
		}
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return strings.TrimSpace(collapseBlank(b.String()))
		case html.TextToken:
			if skip == 0 {
				raw := string(z.Text())
				words := strings.Join(strings.Fields(raw), " ")
				cur := b.String()
				if words != "" && raw[0] != words[0] && cur != "" && !strings.HasSuffix(cur, " ") && !strings.HasSuffix(cur, "\n") {
					b.WriteString(" ")
				}
				b.WriteString(words + spaceAfter(raw))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			switch t.Data {
			case "script", "style", "iframe":
				skip++
			case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "figure", "table", "pre":
				block()
			case "li":
				b.WriteString("\n  • ")
			case "br":
				b.WriteString("\n")
			case "tr":
				b.WriteString("\n")
			case "img":
				for _, a := range t.Attr {
					if a.Key == "alt" && a.Val != "" {
						b.WriteString("[" + a.Val + "]")
					}
				}
			case "a":
				u := ""
				for _, a := range t.Attr {
					if a.Key == "href" {
						u = a.Val
					}
				}
				href = append(href, u)
			}
		case html.EndTagToken:
			t := z.Token()
			switch t.Data {
			case "script", "style", "iframe":
				skip--
			case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "figure", "table", "pre":
				block()
			case "a":
				if n := len(href); n > 0 {
					if u := href[n-1]; u != "" && !strings.HasPrefix(u, "#") {
						b.WriteString(" <" + u + ">")
					}
					href = href[:n-1]
				}
			}
		}
	}
}

func spaceAfter(s string) string {
	if s != "" && strings.TrimRight(s, " \t\n\r") != s && strings.TrimSpace(s) != "" {
		return " "
	}
	return ""
}

func collapseBlank(s string) string {
	for strings.Contains(s, "\n\n\n") {
		s = strings.ReplaceAll(s, "\n\n\n", "\n\n")
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
