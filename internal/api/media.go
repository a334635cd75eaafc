package api

import (
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"

	"folio/internal/content"
	"folio/internal/media"
)

// mediaInput is what clients may change on a media record.
type mediaInput = media.Meta

// mediaOutput is a media record with its absolute public URL.
type mediaOutput struct {
	*content.Media
	URL string `json:"url"`
}

type mediaList = list[mediaOutput]

// uploadMemory is how much of a multipart form is held in memory; the rest
// spills to temporary files that ParseMultipartForm's caller removes.
const uploadMemory = 1 << 20

func (a *API) mediaOutput(r *http.Request, m *content.Media) (mediaOutput, error) {
	b, err := a.builder(r.Context())
	if err != nil {
		return mediaOutput{}, err
	}
	return mediaOutput{Media: m, URL: b.Abs(b.Media(m.Path))}, nil
}

func (a *API) writeMedia(w http.ResponseWriter, r *http.Request, status int, m *content.Media) error {
	out, err := a.mediaOutput(r, m)
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", mediaPath+"/"+strconv.FormatInt(m.ID, 10))
	}
	writeJSON(w, status, out)
	return nil
}

func (a *API) handleMediaCreate(w http.ResponseWriter, r *http.Request) error {
	if a.media == nil {
		return errNoMedia
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "multipart/form-data" {
		return content.Errorf(codeUnsupportedMedia, "Content-Type must be multipart/form-data with a \"file\" part")
	}
	r.Body = http.MaxBytesReader(w, r.Body, a.maxUpload)
	if err := r.ParseMultipartForm(uploadMemory); err != nil {
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return err
		case errors.Is(err, multipart.ErrMessageTooLarge):
			return content.Errorf(content.ETOOLARGE, "form is larger than %d bytes", a.maxUpload)
		}
		return badRequest("malformed multipart form: %v", err)
	}
	defer r.MultipartForm.RemoveAll()
	for name := range r.MultipartForm.Value {
		switch name {
		case "alt", "caption", "credit", "credit_url", "credit_type":
		default:
			return unknownFields([]string{name})
		}
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return &content.Error{Code: content.EINVALID, Message: "media is invalid", Fields: map[string]string{"file": "is required"}}
	}
	defer file.Close()
	meta := media.Meta{
		Alt: r.FormValue("alt"), Caption: r.FormValue("caption"),
		Credit: r.FormValue("credit"), CreditURL: r.FormValue("credit_url"),
		CreditType: content.CreditType(r.FormValue("credit_type")),
	}
	m, err := a.ed().SaveMedia(r.Context(), a.media, hdr.Filename, file, meta)
	if err != nil {
		// The library's verdict on the bytes belongs to the "file" field.
		var ce *content.Error
		if errors.As(err, &ce) && ce.Code == content.EINVALID && len(ce.Fields) == 0 {
			return &content.Error{Code: ce.Code, Message: ce.Message, Fields: map[string]string{"file": ce.Message}}
		}
		return err
	}
	return a.writeMedia(w, r, http.StatusCreated, m)
}

func (a *API) handleMediaShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "media")
	if err != nil {
		return err
	}
	m, err := a.store.FindMediaByID(r.Context(), id)
	if err != nil {
		return err
	}
	return a.writeMedia(w, r, http.StatusOK, m)
}

func (a *API) handleMediaPatch(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "media")
	if err != nil {
		return err
	}
	raw, err := a.readBody(w, r, false)
	if err != nil {
		return err
	}
	m, err := a.store.FindMediaByID(r.Context(), id)
	if err != nil {
		return err
	}
	in := mediaInput{Alt: m.Alt, Caption: m.Caption, Credit: m.Credit, CreditURL: m.CreditURL, CreditType: m.CreditType}
	if err := decodeInto(raw, &in); err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err
	}
	m.Alt, m.Caption, m.Credit, m.CreditURL, m.CreditType = in.Alt, in.Caption, in.Credit, in.CreditURL, in.CreditType
	if err := a.ed().UpdateMedia(r.Context(), m); err != nil {
		return fmt.Errorf("api: update media %d: %w", id, err)
	}
	return a.writeMedia(w, r, http.StatusOK, m)
}

func (a *API) handleMediaDelete(w http.ResponseWriter, r *http.Request) error {
	if a.media == nil {
		return errNoMedia
	}
	id, err := pathID(r, "media")
	if err != nil {
		return err
	}
	if err := a.ed().DeleteMedia(r.Context(), a.media, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) handleMediaList(w http.ResponseWriter, r *http.Request) error {
	limit, err := queryLimit(r)
	if err != nil {
		return err
	}
	offset, err := queryOffset(r)
	if err != nil {
		return err
	}
	items, total, err := a.store.FindMedia(r.Context(), limit, offset)
	if err != nil {
		return err
	}
	out := make([]mediaOutput, len(items))
	for i, m := range items {
		if out[i], err = a.mediaOutput(r, m); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, offsetList(out, total, offset))
	return nil
}
