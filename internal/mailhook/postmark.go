package mailhook

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"

	"folio/internal/editorial"
	"folio/internal/store"
)

// postmarkEvent is the part of Postmark's bounce and spam-complaint
// webhook bodies Folio reads (Postmark's "Bounce webhook" and "Spam
// complaint webhook" pages).
type postmarkEvent struct {
	RecordType  string      `json:"RecordType"`
	ID          json.Number `json:"ID"`
	Type        string      `json:"Type"`
	Email       string      `json:"Email"`
	Description string      `json:"Description"`
	Inactive    bool        `json:"Inactive"`
}

// postmarkHardTypes are bounce types that mean the address will never
// take mail; others (soft, transient, auto-replies) are recorded only.
var postmarkHardTypes = map[string]bool{"HardBounce": true, "BadEmailAddress": true, "ManuallyDeactivated": true}

func (h *Hooks) handlePostmark(w http.ResponseWriter, r *http.Request) {
	if h.cfg.PostmarkPassword == "" {
		http.NotFound(w, r)
		return
	}
	user, pass, ok := r.BasicAuth()
	wantUser := h.cfg.PostmarkUser
	if wantUser == "" {
		wantUser = "postmark"
	}
	// Both compared in constant time, whatever the first one gave.
	okUser := subtle.ConstantTimeCompare([]byte(user), []byte(wantUser))
	okPass := subtle.ConstantTimeCompare([]byte(pass), []byte(h.cfg.PostmarkPassword))
	if !ok || okUser&okPass != 1 {
		w.Header().Set("WWW-Authenticate", `Basic realm="mail webhook"`)
		http.Error(w, "Authorization: the webhook's user name and password do not match", http.StatusUnauthorized)
		return
	}
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var ev postmarkEvent
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&ev); err != nil {
		http.Error(w, "body: not a Postmark webhook event: "+err.Error(), http.StatusBadRequest)
		return
	}
	if ev.ID.String() == "" {
		http.Error(w, "ID: missing", http.StatusBadRequest)
		return
	}
	me := editorial.MailEvent{ID: "postmark:" + ev.RecordType + ":" + ev.ID.String(), Provider: "postmark", Email: ev.Email,
		Detail: ev.Type + ": " + ev.Description}
	switch ev.RecordType {
	case "Bounce":
		if postmarkHardTypes[ev.Type] || ev.Inactive {
			me.Reason = store.SuppressBounce
		}
	case "SpamComplaint":
		me.Reason = store.SuppressComplaint
	default:
		http.Error(w, fmt.Sprintf("RecordType: %q is not an event this endpoint takes (Bounce, SpamComplaint)", ev.RecordType), http.StatusBadRequest)
		return
	}
	h.apply(w, r, "postmark", []editorial.MailEvent{me})
}
