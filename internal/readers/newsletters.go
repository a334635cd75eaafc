package readers

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"folio/internal/content"
	"folio/internal/newsletter"
)

type newslettersData struct {
	Newsletters []newsletterChoice
}

func (h *Readers) handleNewsletters(w http.ResponseWriter, r *http.Request) error {
	nls, err := h.st.FindNewsletters(r.Context())
	if err != nil {
		return err
	}
	d := &newslettersData{}
	m := memberFrom(r.Context())
	for _, n := range nls {
		d.Newsletters = append(d.Newsletters, newsletterChoice{Newsletter: n, On: m != nil && slices.Contains(m.Newsletters, n.ID)})
	}
	p := h.newPage(r, "members.newsletters", d)
	if r.URL.Query().Get("saved") == "1" {
		p.Notice = p.T("members.saved")
	}
	h.html(w, r, http.StatusOK, "newsletters", p)
	return nil
}

// handleSubscribe subscribes or unsubscribes the signed-in member.
func (h *Readers) handleSubscribe(w http.ResponseWriter, r *http.Request) error {
	m := h.requireMember(w, r)
	if m == nil {
		return nil
	}
	id, ok := parseID(r.PostFormValue("newsletter"))
	if !ok {
		return content.Errorf(content.EINVALID, "newsletter %q is not a newsletter id", r.PostFormValue("newsletter"))
	}
	if err := h.check(r.Context(), "subscribe_ip", h.clientIP(r), h.cfg.Limits.SubscribePerIP); err != nil {
		return err
	}
	if err := h.svc.AsMember(m).SetSubscription(r.Context(), id, r.PostFormValue("on") == "1"); err != nil {
		return err
	}
	http.Redirect(w, r, h.path(r.Context(), "/newsletters/?saved=1"), http.StatusSeeOther)
	return nil
}

type unsubscribeData struct {
	Name   string
	Action string
	Done   bool
}

// unsubscribeTarget checks a signed link's member, newsletter and token.
func (h *Readers) unsubscribeTarget(r *http.Request) (int64, int64, *unsubscribeData, error) {
	q := r.URL.Query()
	mid, ok1 := parseID(q.Get("m"))
	nid, ok2 := parseID(q.Get("n"))
	if !ok1 || !ok2 || !newsletter.CheckToken(h.cfg.Key, mid, nid, q.Get("t")) {
		return 0, 0, nil, h.errT(r.Context(), content.EINVALID, "members.unsub.bad")
	}
	nl, err := h.st.FindNewsletterByID(r.Context(), nid)
	if err != nil {
		return 0, 0, nil, err
	}
	return mid, nid, &unsubscribeData{Name: nl.Name, Action: h.path(r.Context(), newsletter.UnsubscribePath) + "?" + url.Values{
		"m": {strconv.FormatInt(mid, 10)}, "n": {strconv.FormatInt(nid, 10)}, "t": {q.Get("t")}}.Encode()}, nil
}

// handleUnsubscribeForm shows a button: a GET must change nothing, since
// mail scanners open every link.
func (h *Readers) handleUnsubscribeForm(w http.ResponseWriter, r *http.Request) error {
	_, _, d, err := h.unsubscribeTarget(r)
	if err != nil {
		return err
	}
	h.html(w, r, http.StatusOK, "unsubscribe", h.newPage(r, "members.unsubscribe", d))
	return nil
}

// handleUnsubscribe unsubscribes by signed link: the page's button, or a
// mail client's one-click POST (RFC 8058, body List-Unsubscribe=One-Click),
// which carries no cookie and no CSRF token; the link's signature is the
// proof. Unsubscribing twice, or after the account went, succeeds.
func (h *Readers) handleUnsubscribe(w http.ResponseWriter, r *http.Request) error {
	mid, nid, d, err := h.unsubscribeTarget(r)
	if err != nil {
		return err
	}
	m, err := h.st.FindMemberByID(r.Context(), mid)
	if content.ErrorCode(err) == content.ENOTFOUND {
		err = nil
	} else if err == nil {
		err = h.svc.AsMember(m).SetSubscription(r.Context(), nid, false)
	}
	if err != nil {
		return err
	}
	if r.PostFormValue("List-Unsubscribe") == "One-Click" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("Unsubscribed.\n"))
		return nil
	}
	d.Done = true
	h.html(w, r, http.StatusOK, "unsubscribe", h.newPage(r, "members.unsub.done_title", d))
	return nil
}
