package admin

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"

	"folio/internal/content"
	"folio/internal/store"
)

// TermsView lists the terms of one kind.
type TermsView struct {
	Base
	Kind  content.TermKind
	Kinds []content.TermKind
	Terms []*content.Term
}

func (a *Admin) handleTerms(w http.ResponseWriter, r *http.Request) error {
	if !a.editor(r).Can(content.ActManageTerms) {
		return content.Errorf(content.EFORBIDDEN, "your role may not manage terms")
	}
	kind := content.TermKind(r.URL.Query().Get("kind"))
	if !kind.Valid() {
		kind = content.KindRegion
	}
	ts, _, err := a.st.FindTerms(r.Context(), store.TermFilter{Kind: kind})
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "terms", &TermsView{Base: Base{Title: "Terms"}, Kind: kind, Kinds: content.TermKinds, Terms: ts})
}

// TermView is the term form; Names holds one "lang: name" per line.
type TermView struct {
	Base
	T     *content.Term
	Kinds []content.TermKind
	Names string
	// Texts are the term's description in the site's other languages.
	Texts []LangText
}

// termTexts fills v.Texts from the term's stored descriptions.
func (a *Admin) termTexts(ctx context.Context, v *TermView) error {
	langs, err := a.textLanguages(ctx, slices.Collect(maps.Keys(v.T.Descriptions)))
	if err != nil {
		return err
	}
	for _, l := range langs {
		v.Texts = append(v.Texts, langText(l, "", v.T.Descriptions[l]))
	}
	return nil
}

// applyTermTexts sets the descriptions of the languages the form carried;
// an emptied one goes.
func applyTermTexts(t *content.Term, texts map[string][2]string) {
	for lang, d := range texts {
		if strings.TrimSpace(d[1]) == "" {
			delete(t.Descriptions, lang)
			continue
		}
		if t.Descriptions == nil {
			t.Descriptions = map[string]string{}
		}
		t.Descriptions[lang] = d[1]
	}
}

func formatNames(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\n", k, m[k])
	}
	return b.String()
}

func parseNames(s string) (map[string]string, error) {
	out := map[string]string{}
	for line := range strings.Lines(s) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		lang, name, ok := strings.Cut(line, ":")
		lang, name = strings.TrimSpace(lang), strings.TrimSpace(name)
		if !ok || !content.ValidLanguageTag(lang) || name == "" {
			return nil, &content.Error{Code: content.EINVALID, Message: "term is invalid",
				Fields: map[string]string{"names": fmt.Sprintf("%q is not \"language: name\"", line)}}
		}
		out[lang] = name
	}
	return out, nil
}

func (a *Admin) handleTermEdit(w http.ResponseWriter, r *http.Request) error {
	if !a.editor(r).Can(content.ActManageTerms) {
		return content.Errorf(content.EFORBIDDEN, "your role may not manage terms")
	}
	t := &content.Term{Kind: content.TermKind(r.URL.Query().Get("kind"))}
	if r.PathValue("id") != "new" {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		if t, err = a.st.FindTermByID(r.Context(), id); err != nil {
			return err
		}
	}
	v := &TermView{Base: Base{Title: "Term"}, T: t, Kinds: content.TermKinds, Names: formatNames(t.Names)}
	if err := a.termTexts(r.Context(), v); err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "term", v)
}

func (a *Admin) handleTermSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t := &content.Term{Kind: content.TermKind(r.PostFormValue("kind")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Slug: strings.TrimSpace(r.PostFormValue("slug")), Description: r.PostFormValue("description"),
		Active: r.PostFormValue("active") != ""}
	names, err := parseNames(r.PostFormValue("names"))
	if err == nil {
		t.Names = names
		if r.PathValue("id") != "" {
			if t.ID, err = pathID(r); err != nil {
				return err
			}
			// Languages the form did not carry keep their descriptions.
			stored, ferr := a.st.FindTermByID(ctx, t.ID)
			if ferr != nil {
				return ferr
			}
			t.Descriptions = maps.Clone(stored.Descriptions)
			applyTermTexts(t, formTexts(r, false))
			err = a.editor(r).UpdateTerm(ctx, t)
		} else {
			applyTermTexts(t, formTexts(r, false))
			err = a.editor(r).CreateTerm(ctx, t)
		}
	}
	if err != nil {
		if !userError(err) {
			return err
		}
		v := &TermView{Base: Base{Title: "Term", Error: content.ErrorMessage(err), Fields: fieldsOf(err)}, T: t,
			Kinds: content.TermKinds, Names: r.PostFormValue("names")}
		if terr := a.termTexts(ctx, v); terr != nil {
			return terr
		}
		return a.render(w, r, statusOf(err), "term", v)
	}
	a.audit(r, "term.save", "term", t.ID, fmt.Sprintf("saved %s %q", t.Kind, t.Name))
	return seeOther(w, r, "/admin/terms?done=saved&kind="+string(t.Kind))
}

func (a *Admin) handleTermDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.editor(r).DeleteTerm(r.Context(), id); err != nil {
		return err
	}
	a.audit(r, "term.delete", "term", id, "deleted term")
	return seeOther(w, r, "/admin/terms?done=deleted")
}
