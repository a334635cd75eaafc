package readers

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"

	"folio/internal/content"
)

// ReplyStopPath is the one-click link in every reply notice: GET shows a
// button (mail scanners open links), POST, the button's or a mail client's
// RFC 8058 request, stops reply notices to the address. The link names the
// address by its hash only, signed with readers.key.
const ReplyStopPath = "/members/replies/stop"

func replyStopToken(key []byte, emailHash string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("reply-stop\x00" + emailHash))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

type replyStopData struct {
	Action string
	Done   bool
}

// replyStopTarget checks the link's signature and returns the address hash.
func (h *Readers) replyStopTarget(r *http.Request) (string, *replyStopData, error) {
	q := r.URL.Query()
	e, t := q.Get("e"), q.Get("t")
	if len(e) != 64 || !hmac.Equal([]byte(t), []byte(replyStopToken(h.cfg.Key, e))) {
		return "", nil, h.errT(r.Context(), content.EINVALID, "members.unsub.bad")
	}
	return e, &replyStopData{Action: h.path(r.Context(), ReplyStopPath) + "?" + url.Values{"e": {e}, "t": {t}}.Encode()}, nil
}

func (h *Readers) handleReplyStopForm(w http.ResponseWriter, r *http.Request) error {
	_, d, err := h.replyStopTarget(r)
	if err != nil {
		return err
	}
	h.html(w, r, http.StatusOK, "replystop", h.newPage(r, "members.unsubscribe", d))
	return nil
}

// handleReplyStop stops reply notices by signed link; like the newsletter
// one-click, it needs no cookie or CSRF token, and stopping twice succeeds.
func (h *Readers) handleReplyStop(w http.ResponseWriter, r *http.Request) error {
	hash, d, err := h.replyStopTarget(r)
	if err != nil {
		return err
	}
	if err := h.svc.System("reply notices link").StopReplyNotices(r.Context(), hash); err != nil {
		return err
	}
	if r.PostFormValue("List-Unsubscribe") == "One-Click" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("Unsubscribed.\n"))
		return nil
	}
	d.Done = true
	h.html(w, r, http.StatusOK, "replystop", h.newPage(r, "members.unsub.done_title", d))
	return nil
}
