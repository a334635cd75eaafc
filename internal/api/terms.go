package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"folio/internal/content"
	"folio/internal/store"
)

// termInput is what clients send to create or change a term.
type termInput struct {
	Kind        content.TermKind  `json:"kind"`
	Name        string            `json:"name"`
	Slug        string            `json:"slug"`
	Description string            `json:"description"`
	Names       map[string]string `json:"names"` // per-language names
	// Descriptions are the description per language.
	Descriptions map[string]string `json:"descriptions"`
	Active       bool              `json:"active"`
}

type termList = list[content.Term]

func (in *termInput) applyTo(t *content.Term) {
	t.Kind, t.Name, t.Slug, t.Description, t.Names, t.Active = in.Kind, in.Name, in.Slug, in.Description, in.Names, in.Active
	t.Descriptions = in.Descriptions
}

func writeTerm(w http.ResponseWriter, status int, t *content.Term) {
	if status == http.StatusCreated {
		w.Header().Set("Location", termsPath+"/"+strconv.FormatInt(t.ID, 10))
	}
	writeJSON(w, status, t)
}

func (a *API) handleTermCreate(w http.ResponseWriter, r *http.Request) error {
	raw, err := a.readBody(w, r, false)
	if err != nil {
		return err
	}
	var in termInput
	if err := decodeInto(raw, &in); err != nil {
		return err
	}
	t := &content.Term{}
	in.applyTo(t)
	if err := a.ed().CreateTerm(r.Context(), t); err != nil {
		return err
	}
	writeTerm(w, http.StatusCreated, t)
	return nil
}

func (a *API) handleTermShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "term")
	if err != nil {
		return err
	}
	t, err := a.store.FindTermByID(r.Context(), id)
	if err != nil {
		return err
	}
	writeTerm(w, http.StatusOK, t)
	return nil
}

func (a *API) handleTermPatch(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "term")
	if err != nil {
		return err
	}
	raw, err := a.readBody(w, r, false)
	if err != nil {
		return err
	}
	t, err := a.store.FindTermByID(r.Context(), id)
	if err != nil {
		return err
	}
	in := termInput{Kind: t.Kind, Name: t.Name, Slug: t.Slug, Description: t.Description, Names: t.Names,
		Descriptions: t.Descriptions, Active: t.Active}
	if err := decodeInto(raw, &in); err != nil {
		return err
	}
	in.applyTo(t)
	if err := a.ed().UpdateTerm(r.Context(), t); err != nil {
		return err
	}
	writeTerm(w, http.StatusOK, t)
	return nil
}

func (a *API) handleTermDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "term")
	if err != nil {
		return err
	}
	if err := a.ed().DeleteTerm(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) handleTermList(w http.ResponseWriter, r *http.Request) error {
	f := store.TermFilter{Kind: content.TermKind(r.URL.Query().Get("kind"))}
	if f.Kind != "" && !f.Kind.Valid() {
		return &content.Error{Code: codeBadRequest, Message: fmt.Sprintf("unknown term kind %q", f.Kind),
			Fields: map[string]string{"kind": "must be one of " + strings.Join(kindNames(), ", ")}}
	}
	var err error
	if f.Limit, err = queryLimit(r); err != nil {
		return err
	}
	if f.Offset, err = queryOffset(r); err != nil {
		return err
	}
	items, total, err := a.store.FindTerms(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]content.Term, len(items))
	for i, t := range items {
		out[i] = *t
	}
	writeJSON(w, http.StatusOK, offsetList(out, total, f.Offset))
	return nil
}
