package admin

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"folio/internal/content"
	"folio/internal/importer"
)

// redirectsPerPage is the length of the redirects table.
const redirectsPerPage = 100

// redirectLister is the part of the store that lists redirects (every
// store has it, for archives).
type redirectLister interface {
	FindRedirects(ctx context.Context, limit, offset int) ([]*content.Redirect, int, error)
}

// RedirectsView lists old addresses and where they lead, with the forms
// to add one and import a CSV.
type RedirectsView struct {
	Base
	Redirects        []*content.Redirect
	Total            int
	Page, Pages      int
	PrevURL, NextURL string
	// From, To, Status refill the add form after an error.
	From, To string
	Status   int
	// MaxKiB is the largest CSV the import takes.
	MaxKiB int
}

func (a *Admin) canRedirects(r *http.Request) error {
	if !a.editor(r).Can(content.ActEditAnyArticle) {
		return content.Errorf(content.EFORBIDDEN, "your role may not manage redirects")
	}
	return nil
}

func (a *Admin) redirectsView(r *http.Request, v *RedirectsView) error {
	ls, ok := a.st.(redirectLister)
	if !ok {
		return content.Errorf(content.EINTERNAL, "this store cannot list redirects")
	}
	page := max(1, formInt(r, "page"))
	rs, total, err := ls.FindRedirects(r.Context(), redirectsPerPage, (page-1)*redirectsPerPage)
	if err != nil {
		return err
	}
	v.Title, v.Redirects, v.Total, v.Page = "Redirects", rs, total, page
	v.Pages = max(1, (total+redirectsPerPage-1)/redirectsPerPage)
	if page > 1 {
		v.PrevURL = "/admin/redirects?page=" + strconv.Itoa(page-1)
	}
	if page < v.Pages {
		v.NextURL = "/admin/redirects?page=" + strconv.Itoa(page+1)
	}
	if v.Status == 0 {
		v.Status = http.StatusMovedPermanently
	}
	v.MaxKiB = importer.MaxRedirectsBytes >> 10
	return nil
}

func (a *Admin) handleRedirects(w http.ResponseWriter, r *http.Request) error {
	if err := a.canRedirects(r); err != nil {
		return err
	}
	v := &RedirectsView{}
	if err := a.redirectsView(r, v); err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "redirects", v)
}

// redirectsFailed shows the list again with err on it, keeping what was
// typed; errors that are not the editor's to fix go to the error page.
func (a *Admin) redirectsFailed(w http.ResponseWriter, r *http.Request, v *RedirectsView, err error) error {
	if !userError(err) {
		return err
	}
	v.Error, v.Fields = content.ErrorMessage(err), fieldsOf(err)
	if verr := a.redirectsView(r, v); verr != nil {
		return verr
	}
	return a.render(w, r, statusOf(err), "redirects", v)
}

// handleRedirectCreate adds or replaces the redirect of one old path.
func (a *Admin) handleRedirectCreate(w http.ResponseWriter, r *http.Request) error {
	if err := a.canRedirects(r); err != nil {
		return err
	}
	rd := &content.Redirect{From: strings.TrimSpace(r.PostFormValue("from")), To: strings.TrimSpace(r.PostFormValue("to")), Status: formInt(r, "status")}
	v := &RedirectsView{From: rd.From, To: rd.To, Status: rd.Status}
	if rd.Status == http.StatusGone {
		rd.To = ""
	}
	err := importer.CheckRedirect(rd)
	if err != nil {
		err = content.Errorf(content.EINVALID, "redirect: %v", err)
	} else {
		err = a.editor(r).PutRedirect(r.Context(), rd)
	}
	if err != nil {
		return a.redirectsFailed(w, r, v, err)
	}
	a.audit(r, "redirect.put", "redirect", 0, fmt.Sprintf("%s → %s (%d)", rd.From, rd.To, rd.Status))
	return seeOther(w, r, "/admin/redirects?done=saved")
}

// handleRedirectDelete removes the redirect of the path in the form (a
// path holds slashes, so it is not in the URL).
func (a *Admin) handleRedirectDelete(w http.ResponseWriter, r *http.Request) error {
	if err := a.canRedirects(r); err != nil {
		return err
	}
	from := r.PostFormValue("from")
	if err := a.editor(r).DeleteRedirect(r.Context(), from); err != nil {
		return err
	}
	a.audit(r, "redirect.delete", "redirect", 0, from)
	return seeOther(w, r, "/admin/redirects?done=deleted")
}

// handleRedirectsImport reads a CSV (from,to[,status]) from an uploaded
// file or the text box and keeps every line or none.
func (a *Admin) handleRedirectsImport(w http.ResponseWriter, r *http.Request) error {
	if err := a.canRedirects(r); err != nil {
		return err
	}
	v := &RedirectsView{}
	var rows []*content.Redirect
	var err error
	if f, _, ferr := r.FormFile("file"); ferr == nil {
		defer f.Close()
		rows, err = importer.ParseRedirectsCSV(f)
	} else if text := r.PostFormValue("csv"); strings.TrimSpace(text) != "" {
		rows, err = importer.ParseRedirectsCSV(strings.NewReader(text))
	} else {
		err = content.Errorf(content.EINVALID, "choose a CSV file or paste its lines")
	}
	if err == nil {
		err = a.editor(r).PutRedirects(r.Context(), rows)
	}
	if err != nil {
		return a.redirectsFailed(w, r, v, err)
	}
	a.audit(r, "redirect.import", "redirect", 0, fmt.Sprintf("%d redirects", len(rows)))
	if err := a.redirectsView(r, v); err != nil {
		return err
	}
	v.Flash = fmt.Sprintf("Imported %d redirects.", len(rows))
	return a.render(w, r, http.StatusOK, "redirects", v)
}
