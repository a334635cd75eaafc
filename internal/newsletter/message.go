package newsletter

import (
	"bytes"
	"html/template"
	"mime"
	"strings"

	"folio/internal/mail"
	"folio/internal/store"
)

// Issue is one article ready to mail to a newsletter's members.
type Issue struct {
	Newsletter *store.Newsletter
	Article    *Attributed
	// BaseURL is the site's public base URL, for unsubscribe links.
	BaseURL string
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
{{.Body}}
<p style="font-family:Helvetica,Arial,sans-serif;font-size:13px;color:#6b6b68;margin:24px 0 0;">You receive {{.List}} because you subscribed at {{.A.Site}}. <a href="{{.Unsub}}" style="color:#6b6b68;">Unsubscribe</a></p>
</td></tr></table>
</td></tr></table>
</body>
</html>
`))

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
	unsub := UnsubscribeURL(key, is.BaseURL, r.MemberID, is.Newsletter.ID)
	var b bytes.Buffer
	err := emailTmpl.Execute(&b, struct {
		A     *Attributed
		List  string
		Body  template.HTML
		Unsub string
	}{is.Article, is.Newsletter.Name, is.body, unsub})
	if err != nil {
		return mail.Message{}, err
	}
	body := b.String()
	if is.Track {
		body = track(body, key, is.BaseURL, is.SendID, r.MemberID, unsub)
	}
	text := is.text + "\n--\nYou receive " + is.Newsletter.Name + " because you subscribed at " + is.Article.Site +
		".\nUnsubscribe: " + unsub + "\n"
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
		},
	}, nil
}
