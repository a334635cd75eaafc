package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"folio/internal/content"
	"folio/internal/render/markdown"
)

// The body editor's helpers (web/admin/static/editor.js): converting
// pasted HTML to Markdown and listing the media library for the insert
// dialog. Both answer JSON and write nothing; the CSRF middleware checks
// the paste's token header like any POST.

// PasteResult is the answer to a paste: the Markdown to insert and
// sentences for the editor about what was left out.
type PasteResult struct {
	Markdown string   `json:"markdown"`
	Notes    []string `json:"notes"`
	Error    string   `json:"error,omitempty"`
}

// handlePaste converts the HTML of the request body (the clipboard's
// text/html, as a browser gives it on paste) to clean Markdown.
func (a *Admin) handlePaste(w http.ResponseWriter, r *http.Request) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, markdown.MaxPasteBytes+1))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe) || len(b) > markdown.MaxPasteBytes:
		return writeJSON(w, http.StatusRequestEntityTooLarge, PasteResult{
			Error: fmt.Sprintf("The pasted text is larger than %d KiB of HTML; paste it in parts.", markdown.MaxPasteBytes>>10)})
	case err != nil:
		return fmt.Errorf("admin: read paste: %w", err)
	}
	md, notes, err := markdown.FromHTML(string(b))
	if err != nil {
		return writeJSON(w, http.StatusUnprocessableEntity, PasteResult{Error: "The pasted text could not be converted: " + err.Error()})
	}
	if notes == nil {
		notes = []string{}
	}
	return writeJSON(w, http.StatusOK, PasteResult{Markdown: md, Notes: notes})
}

// PickerItem is one media-library item the insert dialog offers.
type PickerItem struct {
	ID       int64  `json:"id"`
	Filename string `json:"filename"`
	Kind     string `json:"kind"`  // image, audio or document
	Thumb    string `json:"thumb"` // site path of a small picture; "" for audio
	Alt      string `json:"alt"`
	Caption  string `json:"caption"`
	Credit   string `json:"credit"`
	// Markdown is the block inserted into the body.
	Markdown string `json:"markdown"`
}

// pickerSize is how many of the newest items the dialog lists.
const pickerSize = 200

// handleMediaPicker lists the newest media-library items with the
// Markdown block that shows each in a body.
func (a *Admin) handleMediaPicker(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ms, _, err := a.st.FindMedia(ctx, pickerSize, 0)
	if err != nil {
		return err
	}
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	vars, err := a.st.FindMediaVariants(ctx, ids)
	if err != nil {
		return fmt.Errorf("admin: media picker thumbnails: %w", err)
	}
	items := make([]PickerItem, 0, len(ms))
	for _, m := range ms {
		block := markdown.MediaBlock(m.ContentType, m.ID, "/media/"+m.Path, m.Alt, m.Caption, m.Credit, m.Filename)
		if block == "" {
			continue
		}
		it := PickerItem{ID: m.ID, Filename: m.Filename, Kind: mediaKind(m), Alt: m.Alt, Caption: m.Caption, Credit: m.Credit, Markdown: block}
		switch it.Kind {
		case "image", "document":
			if th := thumbPath(m, vars[m.ID]); it.Kind == "image" || th != m.Path {
				it.Thumb = "/media/" + th
			}
		}
		items = append(items, it)
	}
	return writeJSON(w, http.StatusOK, items)
}

// mediaKind names what a library item is to an editor.
func mediaKind(m *content.Media) string {
	switch {
	case strings.HasPrefix(m.ContentType, "image/"):
		return "image"
	case strings.HasPrefix(m.ContentType, "audio/"):
		return "audio"
	case m.ContentType == "application/pdf":
		return "document"
	}
	return "file"
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("admin: encode JSON: %w", err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}
