package readers

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"folio/internal/content"
	"folio/internal/mail"
	"folio/internal/newsletter"
)

type forwardData struct {
	Path    string
	HTML    string
	Text    string
	Preview template.HTML
	Stamp   string
	Sent    bool
}

func (h *Readers) forwardData(r *http.Request) (*newsletter.Attributed, *forwardData, error) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		return nil, nil, content.Errorf(content.ENOTFOUND, "article %q not found", r.PathValue("id"))
	}
	a, err := h.st.FindArticleByID(r.Context(), id)
	if err != nil || !a.IsPublic(h.now()) {
		return nil, nil, content.Errorf(content.ENOTFOUND, "article %d not found", id)
	}
	st := *h.settings(r.Context())
	st.BaseURL = h.baseURL(r)
	// A gated article forwards its lede and link: the copy goes to lists
	// of people who are not members.
	open := *a
	open.BodyHTML = a.PublicBodyHTML(h.now())
	at := newsletter.Attribute(&st, &open)
	html := at.HTML()
	path := h.path(r.Context(), "/forward/"+strconv.FormatInt(a.ID, 10)+"/")
	return at, &forwardData{Path: path, HTML: html, Text: at.Text(), Preview: template.HTML(html), Stamp: h.formStamp()}, nil
}

// handleForward gives the article's copy-ready HTML and plain text, with
// title, byline, copyright line, canonical link and license, for readers
// who pass it on to their own lists.
func (h *Readers) handleForward(w http.ResponseWriter, r *http.Request) error {
	at, d, err := h.forwardData(r)
	if err != nil {
		return err
	}
	d.Sent = r.URL.Query().Get("sent") == "1"
	p := h.newPage(r, "members.forward.title", d)
	p.Title = p.T("members.forward.title", "title", at.Title)
	h.html(w, r, http.StatusOK, "forward", p)
	return nil
}

// handleForwardSource serves the copy-ready HTML as text, to paste into
// an editor's source view.
func (h *Readers) handleForwardSource(w http.ResponseWriter, r *http.Request) error {
	_, d, err := h.forwardData(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(d.HTML))
	return nil
}

// handleForwardSend mails the article to one address. The address is used
// for this message only (the queued message is the only copy, deleted with
// the job) and the sender's own address is never in it.
func (h *Readers) handleForwardSend(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	at, d, err := h.forwardData(r)
	if err != nil {
		return err
	}
	p := h.newPage(r, "members.forward.title", d)
	p.Title = p.T("members.forward.title", "title", at.Title)
	if r.PostFormValue("website") != "" {
		h.log.InfoContext(ctx, "forward trap field filled; dropped")
		http.Redirect(w, r, d.Path+"?sent=1", http.StatusSeeOther)
		return nil
	}
	if msg := h.checkStamp(r.PostFormValue("ts")); msg != "" {
		h.html(w, r, http.StatusBadRequest, "forward", p.withError(h.errT(ctx, content.EINVALID, msg)))
		return nil
	}
	to, err := content.NormalizeEmail(r.PostFormValue("friend"))
	if err == nil {
		err = h.check(ctx, "forward_ip", h.clientIP(r), h.cfg.Limits.ForwardPerIP)
	}
	if err != nil {
		status := http.StatusBadRequest
		if content.ErrorCode(err) == ETOOMANY {
			status = http.StatusTooManyRequests
		}
		h.html(w, r, status, "forward", p.withError(err))
		return nil
	}
	// In the language of the page it was sent from; the article keeps its own.
	intro := p.T("members.forward.mail_intro", "site", at.Site) + "\n\n"
	err = h.cfg.Mailer.Send(ctx, mail.Message{
		To:      []string{to},
		Subject: at.Title + " — " + at.Site,
		Text:    intro + at.Text(),
		HTML:    "<p>" + template.HTMLEscapeString(strings.TrimSpace(intro)) + "</p>\n" + newsletter.Inline(d.HTML),
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, d.Path+"?sent=1", http.StatusSeeOther)
	return nil
}
