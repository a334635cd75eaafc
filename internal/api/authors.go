package api

import (
	"net/http"
	"strconv"

	"folio/internal/content"
	"folio/internal/store"
)

// authorInput is what clients send to create or change an author.
type authorInput struct {
	Name     string         `json:"name"`
	Slug     string         `json:"slug"`
	Bio      string         `json:"bio"`
	PhotoURL string         `json:"photo_url"`
	Email    string         `json:"email"`
	Links    []content.Link `json:"links"`
	// Translations are the name (transliterated) and bio per language.
	Translations map[string]content.AuthorText `json:"translations"`
}

// authorOutput is an author as the API shows it, with the public archive URL.
type authorOutput struct {
	*content.Author
	URL string `json:"url"`
}

type authorList = list[authorOutput]

func (a *API) authorOutput(r *http.Request, au *content.Author) (authorOutput, error) {
	b, err := a.builder(r.Context())
	if err != nil {
		return authorOutput{}, err
	}
	if au.Links == nil {
		au.Links = []content.Link{}
	}
	return authorOutput{Author: au, URL: b.Abs(b.Author("", au.Slug))}, nil
}

func (a *API) writeAuthor(w http.ResponseWriter, r *http.Request, status int, au *content.Author) error {
	out, err := a.authorOutput(r, au)
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", authorsPath+"/"+strconv.FormatInt(au.ID, 10))
	}
	writeJSON(w, status, out)
	return nil
}

func (in *authorInput) applyTo(au *content.Author) {
	au.Name, au.Slug, au.Bio, au.PhotoURL, au.Email, au.Links = in.Name, in.Slug, in.Bio, in.PhotoURL, in.Email, in.Links
	au.Translations = in.Translations
}

func (a *API) handleAuthorCreate(w http.ResponseWriter, r *http.Request) error {
	raw, err := a.readBody(w, r, false)
	if err != nil {
		return err
	}
	var in authorInput
	if err := decodeInto(raw, &in); err != nil {
		return err
	}
	au := &content.Author{}
	in.applyTo(au)
	if err := a.ed().CreateAuthor(r.Context(), au); err != nil {
		return err
	}
	return a.writeAuthor(w, r, http.StatusCreated, au)
}

func (a *API) handleAuthorShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "author")
	if err != nil {
		return err
	}
	au, err := a.store.FindAuthorByID(r.Context(), id)
	if err != nil {
		return err
	}
	return a.writeAuthor(w, r, http.StatusOK, au)
}

func (a *API) handleAuthorPatch(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "author")
	if err != nil {
		return err
	}
	raw, err := a.readBody(w, r, false)
	if err != nil {
		return err
	}
	au, err := a.store.FindAuthorByID(r.Context(), id)
	if err != nil {
		return err
	}
	in := authorInput{Name: au.Name, Slug: au.Slug, Bio: au.Bio, PhotoURL: au.PhotoURL, Email: au.Email, Links: au.Links,
		Translations: au.Translations}
	if err := decodeInto(raw, &in); err != nil {
		return err
	}
	in.applyTo(au)
	if err := a.ed().UpdateAuthor(r.Context(), au); err != nil {
		return err
	}
	return a.writeAuthor(w, r, http.StatusOK, au)
}

func (a *API) handleAuthorDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "author")
	if err != nil {
		return err
	}
	if err := a.ed().DeleteAuthor(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) handleAuthorList(w http.ResponseWriter, r *http.Request) error {
	limit, err := queryLimit(r)
	if err != nil {
		return err
	}
	offset, err := queryOffset(r)
	if err != nil {
		return err
	}
	items, total, err := a.store.FindAuthors(r.Context(), store.AuthorFilter{Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	out := make([]authorOutput, len(items))
	for i, au := range items {
		if out[i], err = a.authorOutput(r, au); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, offsetList(out, total, offset))
	return nil
}
