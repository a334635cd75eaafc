package newsletter

import (
	"bytes"
	"html/template"
	"mime"
	"strings"

	"folio/internal/i18n"
	"folio/internal/mail"
	"folio/internal/store"
)

// Issue is one article ready to mail to a newsletter's members.
type Issue struct {
	Newsletter *store.Newsletter
	Article    *Attributed
	// BaseURL is the site's public base URL, for unsubscribe links.
	BaseURL string
	// Lang is the language of the message's own words (footer, links) and
	// of the unsubscribe page it links to, for recipients whose own
	// language does not decide (see Message); empty: the article's.
	Lang string
	// Reader, when set, is the path of a reader page in a language
	// (urls.Builder.Reader), so the unsubscribe page opens in the
	// message's language; nil links the unprefixed page.
	Reader func(lang, path string) string
	// ListDomain names the list in List-Id ("weekly.news.example.org").
	ListDomain string
	// Digest, when set, makes the issue a digest of these articles with
	// Subject; Article is then the first of them (its site and language
	// frame the message).
	Digest  []DigestGroup
	Subject string
	// Track turns on first-party open and click tracking for SendID.
	Track  bool
	SendID int64
	// body is the inlined HTML, made once per issue.
	body template.HTML
	text string
}

var emailTmpl = template.Must(template.New("email").Parse(`<!doctype html>
<html lang="{{.A.Lang}}" dir="{{.A.Dir}}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.A.Title}}</title></head>
<body>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f1ea;"><tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:#ffffff;"><tr><td dir="{{.A.Dir}}" style="padding:32px 28px;">
<p style="font-family:Helvetica,Arial,sans-serif;font-size:13px;letter-spacing:.05em;text-transform:uppercase;color:#6b6b68;margin:0 0 16px;">{{.A.Site}} · {{.List}}</p>
{{if .View}}<p lang="{{.Lang}}" dir="{{.Dir}}" style="font-family:Helvetica,Arial,sans-serif;font-size:13px;color:#6b6b68;margin:0 0 16px;"><a href="{{.View}}" style="color:#6b6b68;">{{.ViewText}}</a></p>
{{end}}{{.Body}}
<p lang="{{.Lang}}" dir="{{.Dir}}" style="font-family:Helvetica,Arial,sans-serif;font-size:13px;color:#6b6b68;margin:24px 0 0;">{{.Footer}} <a href="{{.Unsub}}" style="color:#6b6b68;">{{.UnsubText}}</a></p>
</td></tr></table>
</td></tr></table>
</body>
</html>
`))

// mailWords is what the message's frame shows around the body: its own
// words in the message's language, and the links.
type mailWords struct {
	A                           *Attributed
	List                        string
	Body                        template.HTML
	Unsub, View                 string
	Lang, Dir                   string
	Footer, UnsubText, ViewText string
}

// Message returns the mail for one recipient: HTML with inlined CSS and a
// plain-text part, List-Unsubscribe with the one-click link (RFC 8058) and
// List-Id, so mail clients offer their own unsubscribe button.
func (is *Issue) Message(key []byte, r *store.Recipient) (mail.Message, error) {
	if is.body == "" && len(is.Digest) > 0 {
		h, err := digestHTML(is.Digest)
		if err != nil {
			return mail.Message{}, err
		}
		is.body = template.HTML(Inline(h)) // titles and summaries escaped by the template
		is.text = digestText(is.Digest)
	}
	if is.body == "" {
		is.body = template.HTML(Inline(is.Article.HTML())) // sanitized body, attributes escaped by Attributed.HTML
		is.text = is.Article.Text()
	}
	subject := is.Article.Title
	if is.Subject != "" {
		subject = is.Subject
	}
	lang := is.Lang
	if lang == "" {
		lang = is.Article.Lang
	}
	// A newsletter of every language speaks to each member in their own.
	if is.Newsletter.Language == "" && len(r.Languages) > 0 && i18n.Supported(r.Languages[0]) {
		lang = r.Languages[0]
	}
	base := is.BaseURL
	if is.Reader != nil {
		base += is.Reader(lang, "")
	}
	loc := i18n.For(lang)
	unsub := UnsubscribeURL(key, base, r.MemberID, is.Newsletter.ID)
	d := mailWords{A: is.Article, List: is.Newsletter.Name, Body: is.body, Unsub: unsub,
		Lang: loc.Tag(), Dir: loc.Dir(), Footer: loc.T("members.newsletter.footer", "list", is.Newsletter.Name, "site", is.Article.Site),
		UnsubText: loc.T("members.newsletter.unsubscribe"), ViewText: loc.T("members.newsletter.view")}
	if len(is.Digest) == 0 {
		// An article has a page of its own to read it on; a digest has none.
		d.View = is.Article.CanonicalURL
	}
	var b bytes.Buffer
	err := emailTmpl.Execute(&b, d)
	if err != nil {
		return mail.Message{}, err
	}
	body := b.String()
	if is.Track {
		body = track(body, key, is.BaseURL, is.SendID, r.MemberID, unsub)
	}
	text := is.text + "\n-- \n" + d.Footer + "\n" + d.UnsubText + ": " + unsub + "\n"
	if d.View != "" {
		text = d.ViewText + ": " + d.View + "\n\n" + text
	}
	return mail.Message{
		To:      []string{r.Email},
		Subject: subject,
		Text:    text,
		HTML:    body,
		Headers: map[string]string{
			"List-Unsubscribe":      "<" + unsub + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			"List-Id":               mime.QEncoding.Encode("utf-8", strings.ReplaceAll(is.Newsletter.Name, `"`, "")) + " <" + is.Newsletter.Slug + "." + is.ListDomain + ">",
			"Precedence":            "bulk",
			"Content-Language":      loc.Tag(),
		},
	}, nil
}
