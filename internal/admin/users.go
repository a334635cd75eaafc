package admin

import (
	"fmt"
	"net/http"
	"strings"

	"folio/internal/auth"
	"folio/internal/content"
	"folio/internal/store"
)

// UsersView lists staff accounts with the invitation form.
type UsersView struct {
	Base
	Users   []*content.User
	Roles   []content.Role
	Authors []*content.Author
	Email   string
	Name    string
	Role    content.Role
}

func (a *Admin) usersView(r *http.Request, v *UsersView) error {
	if !a.editor(r).Can(content.ActManageUsers) {
		return content.Errorf(content.EFORBIDDEN, "your role may not manage users")
	}
	var err error
	if v.Users, err = a.st.FindUsers(r.Context()); err != nil {
		return err
	}
	v.Authors, _, err = a.st.FindAuthors(r.Context(), store.AuthorFilter{})
	v.Roles, v.Title = content.Roles, "Users"
	return err
}

func (a *Admin) handleUsers(w http.ResponseWriter, r *http.Request) error {
	v := &UsersView{Role: content.RoleContributor}
	if err := a.usersView(r, v); err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "users", v)
}

func (a *Admin) handleUserInvite(w http.ResponseWriter, r *http.Request) error {
	v := &UsersView{Email: strings.TrimSpace(r.PostFormValue("email")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Role: content.Role(r.PostFormValue("role"))}
	err := a.auth.Invite(r.Context(), auth.UserFrom(r.Context()), v.Email, v.Name, v.Role)
	if err == nil {
		return seeOther(w, r, "/admin/users?done=invited")
	}
	if !userError(err) {
		return err
	}
	if verr := a.usersView(r, v); verr != nil {
		return verr
	}
	v.Error, v.Fields = content.ErrorMessage(err), fieldsOf(err)
	return a.render(w, r, statusOf(err), "users", v)
}

func (a *Admin) handleUserUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ed := a.editor(r)
	if !ed.Can(content.ActManageUsers) {
		return content.Errorf(content.EFORBIDDEN, "your role may not manage users")
	}
	u, err := a.st.FindUserByID(r.Context(), id)
	if err != nil {
		return err
	}
	before := fmt.Sprintf("%s, disabled=%t", u.Role, u.Disabled)
	u.Role = content.Role(r.PostFormValue("role"))
	u.Disabled = r.PostFormValue("disabled") != ""
	u.AuthorID = formID(r, "author_id")
	if err := ed.UpdateUser(r.Context(), u); err != nil {
		if !userError(err) {
			return err
		}
		v := &UsersView{Role: content.RoleContributor}
		if verr := a.usersView(r, v); verr != nil {
			return verr
		}
		v.Error, v.Fields = content.ErrorMessage(err), fieldsOf(err)
		return a.render(w, r, statusOf(err), "users", v)
	}
	a.audit(r, "user.update", "user", u.ID, fmt.Sprintf("%s: %s → %s, disabled=%t", u.Email, before, u.Role, u.Disabled))
	return seeOther(w, r, "/admin/users?done=saved")
}

// TokensView lists API tokens; Secret is shown once, right after creation.
type TokensView struct {
	Base
	Tokens []*content.Token
	Secret string
	Name   string
}

func (a *Admin) handleTokens(w http.ResponseWriter, r *http.Request) error {
	if !a.editor(r).Can(content.ActManageTokens) {
		return content.Errorf(content.EFORBIDDEN, "your role may not manage API tokens")
	}
	ts, err := a.st.FindTokens(r.Context())
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "tokens", &TokensView{Base: Base{Title: "API tokens"}, Tokens: ts})
}

func (a *Admin) handleTokenCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	secret := auth.NewAPITokenSecret()
	t := &content.Token{Name: r.PostFormValue("name"), Hash: auth.HashToken(secret)}
	v := &TokensView{Base: Base{Title: "API tokens"}, Name: t.Name}
	if err := a.editor(r).CreateToken(ctx, t); err != nil {
		if !userError(err) {
			return err
		}
		v.Error, v.Fields = content.ErrorMessage(err), fieldsOf(err)
	} else {
		a.audit(r, "token.create", "token", t.ID, fmt.Sprintf("created API token %q", t.Name))
		v.Secret, v.Name = secret, ""
	}
	var err error
	if v.Tokens, err = a.st.FindTokens(ctx); err != nil {
		return err
	}
	status := http.StatusOK
	if v.Error != "" {
		status = http.StatusUnprocessableEntity
	}
	// The secret is in this response only: no redirect, so it is never in a URL.
	return a.render(w, r, status, "tokens", v)
}

func (a *Admin) handleTokenDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.editor(r).DeleteToken(r.Context(), id); err != nil {
		return err
	}
	a.audit(r, "token.revoke", "token", id, "revoked API token")
	return seeOther(w, r, "/admin/tokens?done=revoked")
}

// AuditView is one page of the audit log.
type AuditView struct {
	Base
	Entries []*store.AuditEntry
	Total   int
	Page    int
	PrevURL string
	NextURL string
}

func (a *Admin) handleAudit(w http.ResponseWriter, r *http.Request) error {
	if !a.editor(r).Can(content.ActViewAudit) {
		return content.Errorf(content.EFORBIDDEN, "your role may not read the audit log")
	}
	page := max(1, formIntQ(r.URL.Query(), "page"))
	es, total, err := a.st.FindAudit(r.Context(), store.AuditFilter{Limit: 50, Offset: (page - 1) * 50})
	if err != nil {
		return err
	}
	v := &AuditView{Base: Base{Title: "Audit log"}, Entries: es, Total: total, Page: page}
	if page > 1 {
		v.PrevURL = fmt.Sprintf("/admin/audit?page=%d", page-1)
	}
	if page*50 < total {
		v.NextURL = fmt.Sprintf("/admin/audit?page=%d", page+1)
	}
	return a.render(w, r, http.StatusOK, "audit", v)
}
