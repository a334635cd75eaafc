package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"folio/internal/content"
	"folio/internal/media"
)

// MediaView is the media library with the upload form.
type MediaView struct {
	Base
	Items     []MediaItem
	Total     int
	CanManage bool
	Meta      media.Meta // as typed, after a refused upload
	Limit     string     // the upload limit, "20 MiB"
}

// MediaItem is one row of the library.
type MediaItem struct {
	*content.Media
	// Thumb is the path under /media/ of the image to show in the list:
	// the narrowest variant once the background job has made it, else the
	// original; a PDF's first page once drawn; "" for audio.
	Thumb string
	Kind  string // image, audio or document
}

// thumbWidth is the variant the list shows: the smallest made, and still
// sharp at the list's 120 CSS pixels on a 2x screen.
const thumbWidth = 320

func (a *Admin) mediaView(r *http.Request, v *MediaView) error {
	v.Title = "Media"
	v.Limit = sizeText(a.cfg.MaxUpload)
	v.CanManage = a.editor(r).Can(content.ActManageMedia)
	ms, total, err := a.st.FindMedia(r.Context(), 100, 0)
	if err != nil {
		return err
	}
	v.Total = total
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	// One query for the page, not one per row.
	vars, err := a.st.FindMediaVariants(r.Context(), ids)
	if err != nil {
		return fmt.Errorf("admin: media thumbnails: %w", err)
	}
	v.Items = make([]MediaItem, len(ms))
	for i, m := range ms {
		v.Items[i] = MediaItem{Media: m, Thumb: thumbPath(m, vars[m.ID]), Kind: mediaKind(m)}
		if v.Items[i].Kind != "image" && v.Items[i].Thumb == m.Path {
			v.Items[i].Thumb = "" // not a picture: the list names the kind
		}
	}
	return nil
}

// thumbPath picks the thumbWidth variant, WebP before the fallback format
// (every browser that runs the admin shows WebP), or the original.
func thumbPath(m *content.Media, vs []content.MediaVariant) string {
	best := ""
	for _, v := range vs {
		if v.Width != thumbWidth {
			continue
		}
		if v.Format == "webp" {
			return v.Path
		}
		if best == "" {
			best = v.Path
		}
	}
	if best != "" {
		return best
	}
	return m.Path
}

// sizeText writes a byte count for editors: "20 MiB", "512 KiB".
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64) + " MiB"
	case n >= 1<<10:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

func (a *Admin) handleMedia(w http.ResponseWriter, r *http.Request) error {
	v := &MediaView{}
	if err := a.mediaView(r, v); err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "media", v)
}

func metaOf(r *http.Request) media.Meta {
	return media.Meta{Alt: strings.TrimSpace(r.PostFormValue("alt")), Caption: strings.TrimSpace(r.PostFormValue("caption")),
		Credit: strings.TrimSpace(r.PostFormValue("credit")), CreditURL: strings.TrimSpace(r.PostFormValue("credit_url")),
		CreditType: content.CreditType(r.PostFormValue("credit_type"))}
}

func (a *Admin) handleMediaUpload(w http.ResponseWriter, r *http.Request) error {
	meta := metaOf(r)
	var m *content.Media
	f, fh, err := r.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			err = &content.Error{Code: content.ETOOLARGE, Message: "the file is larger than the upload limit of " + sizeText(a.cfg.MaxUpload),
				Fields: map[string]string{"file": "is larger than " + sizeText(a.cfg.MaxUpload)}}
		} else {
			err = &content.Error{Code: content.EINVALID, Message: "choose a file to upload", Fields: map[string]string{"file": "is required"}}
		}
	} else {
		defer f.Close()
		m, err = a.editor(r).SaveMedia(r.Context(), a.cfg.Media, fh.Filename, f, meta)
	}
	if err != nil {
		if !userError(err) {
			return err
		}
		v := &MediaView{Meta: meta}
		if verr := a.mediaView(r, v); verr != nil {
			return verr
		}
		v.Error, v.Fields = content.ErrorMessage(err), fieldsOf(err)
		return a.render(w, r, statusOf(err), "media", v)
	}
	a.audit(r, "media.upload", "media", m.ID, fmt.Sprintf("uploaded %s", m.Filename))
	return seeOther(w, r, "/admin/media?done=uploaded")
}

// MediaEditView is the metadata form of one image.
type MediaEditView struct {
	Base
	M         *content.Media
	CanManage bool
	Kind      string // image, audio or document
}

func (a *Admin) handleMediaEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	m, err := a.st.FindMediaByID(r.Context(), id)
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "media_edit", &MediaEditView{Base: Base{Title: m.Filename}, M: m,
		CanManage: a.editor(r).Can(content.ActManageMedia), Kind: mediaKind(m)})
}

func (a *Admin) handleMediaSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	m, err := a.st.FindMediaByID(r.Context(), id)
	if err != nil {
		return err
	}
	meta := metaOf(r)
	m.Alt, m.Caption, m.Credit, m.CreditURL, m.CreditType = meta.Alt, meta.Caption, meta.Credit, meta.CreditURL, meta.CreditType
	m.Republishable = r.PostFormValue("republishable") == "1"
	if err := a.editor(r).UpdateMedia(r.Context(), m); err != nil {
		if !userError(err) {
			return err
		}
		v := &MediaEditView{Base: Base{Title: m.Filename, Error: content.ErrorMessage(err), Fields: fieldsOf(err)}, M: m, CanManage: true, Kind: mediaKind(m)}
		return a.render(w, r, statusOf(err), "media_edit", v)
	}
	a.audit(r, "media.update", "media", id, fmt.Sprintf("edited %s", m.Filename))
	return seeOther(w, r, "/admin/media?done=saved")
}

func (a *Admin) handleMediaDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.editor(r).DeleteMedia(r.Context(), a.cfg.Media, id); err != nil {
		return err
	}
	a.audit(r, "media.delete", "media", id, "deleted image")
	return seeOther(w, r, "/admin/media?done=deleted")
}
