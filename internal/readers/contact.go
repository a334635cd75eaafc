package readers

import (
	"fmt"
	"net/http"
	netmail "net/mail"
	"strconv"
	"strings"
	"unicode/utf8"

	"folio/internal/content"
	"folio/internal/i18n"
	"folio/internal/mail"
	"folio/internal/urls"
)

// Sizes of the contact form's fields, in characters.
const (
	contactNameMax    = 100
	contactMessageMax = 5000
)

// contactText is the form's wording in the language of the page that
// shows it (?lang=, the contact page's language), from the catalogs.
type contactText struct {
	Lang, Dir                        string
	Name, Email, Message, Send, Sent string
	English                          bool // the hints and field messages are English only
}

func contactTextFor(lang string) contactText {
	if !i18n.Supported(lang) {
		lang = i18n.Reference
	}
	l := i18n.For(lang)
	return contactText{Lang: l.Tag(), Dir: l.Dir(), Name: l.T("contact.name"), Email: l.T("contact.email"),
		Message: l.T("contact.message"), Send: l.T("contact.send"), Sent: l.T("contact.sent"), English: l.Tag() == i18n.Reference}
}

// contactData is what the contact form shows.
type contactData struct {
	Path     string // where the form posts: /contact-form/{id}/
	PageURL  string // the contact page itself
	PageName string
	Stamp    string
	Sent     bool
	Name     string
	Email    string
	Message  string
	// Max* are the field limits, for maxlength.
	MaxName, MaxMessage int
	L                   contactText
	Lang                string // the lang query parameter to keep on links
}

// contactPage finds the public contact page id and the desk's address;
// not_found when the page is not a public contact page or the site has no
// contact address.
func (h *Readers) contactPage(r *http.Request) (*content.Article, *content.Settings, error) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		return nil, nil, content.Errorf(content.ENOTFOUND, "page %q not found", r.PathValue("id"))
	}
	a, err := h.st.FindArticleByID(r.Context(), id)
	if err != nil || !a.IsPage() || !a.IsPublic(h.now()) || a.Template != content.TemplateContact {
		return nil, nil, content.Errorf(content.ENOTFOUND, "contact page %d not found", id)
	}
	st := *h.settings(r.Context())
	if st.ContactEmail == "" {
		return nil, nil, content.Errorf(content.ENOTFOUND, "this site takes no messages by form")
	}
	st.BaseURL = h.baseURL(r)
	return a, &st, nil
}

func (h *Readers) contactData(r *http.Request, a *content.Article, st *content.Settings) *contactData {
	lang := r.URL.Query().Get("lang")
	if lang == "" {
		lang = a.Language
	}
	d := &contactData{Path: "/contact-form/" + strconv.FormatInt(a.ID, 10) + "/", PageURL: urls.New(st).Article(a), PageName: a.Title,
		Stamp: h.formStamp(), MaxName: contactNameMax, MaxMessage: contactMessageMax, L: contactTextFor(lang)}
	if d.L.Lang != i18n.Reference {
		d.Lang = d.L.Lang
	}
	return d
}

// handleContactForm shows the contact form: a page of its own, or with
// ?fragment=1 the form alone, which contact.js puts into the cached
// contact page (the form's CSRF token cannot be in a page every reader
// shares).
func (h *Readers) handleContactForm(w http.ResponseWriter, r *http.Request) error {
	a, st, err := h.contactPage(r)
	if err != nil {
		return err
	}
	d := h.contactData(r, a, st)
	d.Sent = r.URL.Query().Get("sent") == "1"
	p := h.newPage(r, a.Title, d)
	p.Fragment = r.URL.Query().Get("fragment") == "1"
	h.html(w, r, http.StatusOK, "contact", p)
	return nil
}

// handleContactSend mails a reader's message to the desk (the settings'
// contact address), with the reader's address as Reply-To. Nothing of it
// is stored: the queued message is the only copy and leaves with its job.
// A filled trap field is answered as if sent, so robots learn nothing.
func (h *Readers) handleContactSend(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, st, err := h.contactPage(r)
	if err != nil {
		return err
	}
	d := h.contactData(r, a, st)
	d.Name = oneLine(r.PostFormValue("name"))
	d.Email = strings.TrimSpace(r.PostFormValue("email"))
	d.Message = strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("message"), "\r\n", "\n"))
	p := h.newPage(r, a.Title, d)
	sent := d.Path + "?sent=1"
	if d.Lang != "" {
		sent += "&lang=" + d.Lang
	}
	if r.PostFormValue("website") != "" {
		h.log.InfoContext(ctx, "contact trap field filled; dropped")
		http.Redirect(w, r, sent, http.StatusSeeOther)
		return nil
	}
	if msg := h.checkStamp(r.PostFormValue("ts")); msg != "" {
		h.html(w, r, http.StatusBadRequest, "contact", p.withError(h.errT(ctx, content.EINVALID, msg)))
		return nil
	}
	email, err := checkContact(d)
	if err == nil {
		err = h.check(ctx, "contact_ip", h.clientIP(r), h.cfg.Limits.ContactPerIP)
	}
	if err == nil {
		// However many addresses send, the desk's inbox stays readable.
		err = h.check(ctx, "contact_site", "site", h.cfg.Limits.ContactPerSite)
	}
	if err != nil {
		status := http.StatusBadRequest
		if content.ErrorCode(err) == ETOOMANY {
			status = http.StatusTooManyRequests
		}
		p = p.withError(err)
		if content.ErrorCode(err) == content.EINVALID && !d.L.English {
			p.Error, p.Fields = i18n.For(d.L.Lang).T("contact.invalid"), nil
		}
		h.html(w, r, status, "contact", p)
		return nil
	}
	subject := "Message from " + d.Name
	from := (&netmail.Address{Name: d.Name, Address: email}).String()
	text := fmt.Sprintf("A reader wrote through the contact form of %s (%s).\nReply to this message to answer them.\n\nFrom: %s\n\n%s\n",
		st.Title, st.BaseURL+d.PageURL, from, d.Message)
	err = h.cfg.Mailer.Send(ctx, mail.Message{
		To:      []string{st.ContactEmail},
		Subject: "[" + st.Title + "] " + subject,
		Text:    text,
		Headers: map[string]string{"Reply-To": from},
	})
	if err != nil {
		return fmt.Errorf("readers: send contact message: %w", err)
	}
	http.Redirect(w, r, sent, http.StatusSeeOther)
	return nil
}

// checkContact checks the form's fields and returns the normalized
// address; the error names each bad field.
func checkContact(d *contactData) (string, error) {
	p := content.Problems{}
	if d.Name == "" {
		p.Add("name", "Please give your name.")
	} else if utf8.RuneCountInString(d.Name) > contactNameMax {
		p.Add("name", "Your name is longer than %d characters.", contactNameMax)
	}
	email, err := content.NormalizeEmail(d.Email)
	if err != nil {
		p.Add("email", "%s", content.ErrorMessage(err))
	}
	switch n := utf8.RuneCountInString(d.Message); {
	case n == 0:
		p.Add("message", "Please write your message.")
	case n > contactMessageMax:
		p.Add("message", "The message is %d characters long; the form takes %d.", n, contactMessageMax)
	}
	if len(p) > 0 {
		return "", &content.Error{Code: content.EINVALID, Message: "Please check the form.", Fields: map[string]string(p)}
	}
	return email, nil
}

// oneLine trims s and closes up line breaks, which have no place in a
// name (it ends up in mail headers).
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
