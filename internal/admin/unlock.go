package admin

import (
	"net/http"

	"folio/internal/auth"
	"folio/internal/content"
)

// handleUnlockForm shows the mailed unlock link's page: a button, so that
// mail scanners that fetch links do not spend the token.
func (a *Admin) handleUnlockForm(w http.ResponseWriter, r *http.Request) error {
	return a.render(w, r, http.StatusOK, "unlock", &TokenFormView{Base: Base{Title: "Resume sign-in"}, Token: r.URL.Query().Get("token")})
}

func (a *Admin) handleUnlock(w http.ResponseWriter, r *http.Request) error {
	v := &TokenFormView{Base: Base{Title: "Resume sign-in"}, Token: r.PostFormValue("token")}
	err := a.auth.Unlock(r.Context(), v.Token, auth.ClientIP(r))
	if err == nil {
		return seeOther(w, r, "/admin/login?done=unlocked")
	}
	if !userError(err) {
		return err
	}
	v.Error, v.Fields = content.ErrorMessage(err), fieldsOf(err)
	dropDeadToken(v)
	return a.render(w, r, statusOf(err), "unlock", v)
}
