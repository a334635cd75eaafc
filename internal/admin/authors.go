package admin

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"folio/internal/content"
	"folio/internal/store"
)

// AuthorsView lists the authors.
type AuthorsView struct {
	Base
	Authors []*content.Author
}

func (a *Admin) handleAuthors(w http.ResponseWriter, r *http.Request) error {
	if !a.editor(r).Can(content.ActManageAuthors) {
		return content.Errorf(content.EFORBIDDEN, "your role may not manage authors")
	}
	as, _, err := a.st.FindAuthors(r.Context(), store.AuthorFilter{})
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "authors", &AuthorsView{Base: Base{Title: "Authors"}, Authors: as})
}

// AuthorView is the author form; Links holds one "Name | URL" per line.
type AuthorView struct {
	Base
	A     *content.Author
	Links string
	// Texts are the author's name and bio in the site's other languages.
	Texts []LangText
}

// authorTexts fills v.Texts from the author's stored translations.
func (a *Admin) authorTexts(ctx context.Context, v *AuthorView) error {
	langs, err := a.textLanguages(ctx, slices.Collect(maps.Keys(v.A.Translations)))
	if err != nil {
		return err
	}
	for _, l := range langs {
		t := v.A.Translations[l]
		v.Texts = append(v.Texts, langText(l, t.Name, t.Bio))
	}
	return nil
}

func (a *Admin) handleAuthorEdit(w http.ResponseWriter, r *http.Request) error {
	if !a.editor(r).Can(content.ActManageAuthors) {
		return content.Errorf(content.EFORBIDDEN, "your role may not manage authors")
	}
	au := &content.Author{}
	if r.PathValue("id") != "new" {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		if au, err = a.st.FindAuthorByID(r.Context(), id); err != nil {
			return err
		}
	}
	v := &AuthorView{Base: Base{Title: "Author"}, A: au, Links: formatLinks(au.Links)}
	if err := a.authorTexts(r.Context(), v); err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "author", v)
}

func formatLinks(ls []content.Link) string {
	var b strings.Builder
	for _, l := range ls {
		fmt.Fprintf(&b, "%s | %s\n", l.Label, l.URL)
	}
	return b.String()
}

func parseLinks(s string) []content.Link {
	out := []content.Link{}
	for line := range strings.Lines(s) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		name, u, ok := strings.Cut(line, "|")
		if !ok {
			name, u = "", name
		}
		out = append(out, content.Link{Label: strings.TrimSpace(name), URL: strings.TrimSpace(u)})
	}
	return out
}

func (a *Admin) handleAuthorSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	au := &content.Author{Name: strings.TrimSpace(r.PostFormValue("name")), Slug: strings.TrimSpace(r.PostFormValue("slug")),
		Bio: r.PostFormValue("bio"), PhotoURL: strings.TrimSpace(r.PostFormValue("photo_url")),
		Email: strings.TrimSpace(r.PostFormValue("email")), Links: parseLinks(r.PostFormValue("links"))}
	var err error
	if r.PathValue("id") != "" {
		if au.ID, err = pathID(r); err != nil {
			return err
		}
		// Languages the form did not carry keep their stored texts.
		stored, ferr := a.st.FindAuthorByID(ctx, au.ID)
		if ferr != nil {
			return ferr
		}
		au.Translations = maps.Clone(stored.Translations)
		applyAuthorTexts(au, formTexts(r, true))
		err = a.editor(r).UpdateAuthor(ctx, au)
	} else {
		applyAuthorTexts(au, formTexts(r, true))
		err = a.editor(r).CreateAuthor(ctx, au)
	}
	if err != nil {
		if !userError(err) {
			return err
		}
		v := &AuthorView{Base: Base{Title: "Author", Error: content.ErrorMessage(err), Fields: fieldsOf(err)}, A: au, Links: r.PostFormValue("links")}
		if terr := a.authorTexts(ctx, v); terr != nil {
			return terr
		}
		return a.render(w, r, statusOf(err), "author", v)
	}
	a.audit(r, "author.save", "author", au.ID, fmt.Sprintf("saved author %q", au.Name))
	return seeOther(w, r, "/admin/authors?done=saved")
}

// applyAuthorTexts sets the texts of the languages the form carried; a
// language whose name and bio were both emptied loses its translation.
func applyAuthorTexts(au *content.Author, texts map[string][2]string) {
	for lang, t := range texts {
		if t[0] == "" && strings.TrimSpace(t[1]) == "" {
			delete(au.Translations, lang)
			continue
		}
		if au.Translations == nil {
			au.Translations = map[string]content.AuthorText{}
		}
		au.Translations[lang] = content.AuthorText{Name: t[0], Bio: t[1]}
	}
}

func (a *Admin) handleAuthorDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.editor(r).DeleteAuthor(r.Context(), id); err != nil {
		return err
	}
	a.audit(r, "author.delete", "author", id, "deleted author")
	return seeOther(w, r, "/admin/authors?done=deleted")
}
