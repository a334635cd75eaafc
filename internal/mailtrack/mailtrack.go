// Package mailtrack serves first-party open and click tracking of
// newsletters, which is off unless the operator turns it on
// (--mail-tracking): the tracking image and the click redirect whose
// signed URLs newsletter puts in each message. A link whose signature does
// not match is refused, so the redirect is no open redirect and nobody
// can count for someone else. Each recipient's first open and first click
// are recorded through the editorial service; nothing else is kept.
//
// It imports editorial (through Tracker) and newsletter; it never writes
// the store itself.
package mailtrack

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"

	"folio/internal/newsletter"
	"folio/internal/store"
)

// Tracker records a recipient's first open or click; *editorial.Delivery is one.
type Tracker interface {
	Track(ctx context.Context, sendID, memberID int64, kind string) (bool, error)
}

// Handler serves newsletter.OpenPath and newsletter.ClickPath.
type Handler struct {
	Key     []byte // the newsletter signing key
	Tracker Tracker
	Log     *slog.Logger
}

// Register mounts the two paths on mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET "+newsletter.OpenPath, h.handleOpen)
	mux.HandleFunc("GET "+newsletter.ClickPath, h.handleClick)
}

// pixel is a transparent 1×1 GIF.
var pixel = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

func ids(q url.Values) (int64, int64, bool) {
	s, err1 := strconv.ParseInt(q.Get("s"), 10, 64)
	m, err2 := strconv.ParseInt(q.Get("m"), 10, 64)
	return s, m, err1 == nil && err2 == nil && s > 0 && m > 0
}

func (h *Handler) record(r *http.Request, sendID, memberID int64, kind string) {
	if _, err := h.Tracker.Track(r.Context(), sendID, memberID, kind); err != nil && h.Log != nil {
		h.Log.ErrorContext(r.Context(), "newsletter tracking", "send_id", sendID, "kind", kind, "err", err)
	}
}

func (h *Handler) handleOpen(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	sendID, memberID, ok := ids(q)
	if !ok || !newsletter.CheckTrackToken(h.Key, "open", sendID, memberID, "", q.Get("t")) {
		http.Error(w, "t: this image link is not signed for that send and member", http.StatusBadRequest)
		return
	}
	h.record(r, sendID, memberID, store.TrackOpen)
	w.Header().Set("Content-Type", "image/gif")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(pixel)
}

func (h *Handler) handleClick(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	sendID, memberID, ok := ids(q)
	target := q.Get("u")
	u, err := url.Parse(target)
	if !ok || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		!newsletter.CheckTrackToken(h.Key, "click", sendID, memberID, target, q.Get("t")) {
		http.Error(w, "t: this link is not signed for that send, member and address", http.StatusBadRequest)
		return
	}
	h.record(r, sendID, memberID, store.TrackClick)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	http.Redirect(w, r, target, http.StatusFound)
}
