package admin

import (
	"net/http"
	"strings"

	"folio/internal/auth"
	"folio/internal/content"
)

// LoginView is the sign-in page.
type LoginView struct {
	Base
	Email    string
	Next     string
	NeedTOTP bool
}

func (a *Admin) handleLoginForm(w http.ResponseWriter, r *http.Request) error {
	if auth.UserFrom(r.Context()) != nil {
		return seeOther(w, r, auth.SafeNext(r.URL.Query().Get("next")))
	}
	return a.render(w, r, http.StatusOK, "login", &LoginView{Base: Base{Title: "Sign in"}, Next: r.URL.Query().Get("next")})
}

func (a *Admin) handleLogin(w http.ResponseWriter, r *http.Request) error {
	email, next := strings.TrimSpace(r.PostFormValue("email")), r.PostFormValue("next")
	u, err := a.auth.Authenticate(r.Context(), email, r.PostFormValue("password"), r.PostFormValue("totp"), auth.ClientIP(r))
	if err != nil {
		if !userError(err) && content.ErrorCode(err) != content.EUNAUTHORIZED && content.ErrorCode(err) != content.EFORBIDDEN {
			return err
		}
		v := &LoginView{Base: Base{Title: "Sign in", Error: content.ErrorMessage(err), Fields: fieldsOf(err)},
			Email: email, Next: next, NeedTOTP: auth.NeedsTOTP(err) || content.ErrorFields(err)["totp"] != ""}
		status := http.StatusUnauthorized
		if content.ErrorCode(err) == content.EFORBIDDEN {
			status = http.StatusTooManyRequests
		}
		return a.render(w, r, status, "login", v)
	}
	if err := a.auth.StartSession(w, r, u); err != nil {
		return err
	}
	return seeOther(w, r, auth.SafeNext(next))
}

func (a *Admin) handleLogout(w http.ResponseWriter, r *http.Request) error {
	if err := a.auth.EndSession(w, r); err != nil {
		return err
	}
	return seeOther(w, r, "/admin/login")
}

// TokenFormView is the password reset and invitation pages: a request
// form without a token, a new-password form with one.
type TokenFormView struct {
	Base
	Token string
	Email string
}

func (a *Admin) handleResetForm(w http.ResponseWriter, r *http.Request) error {
	return a.render(w, r, http.StatusOK, "reset", &TokenFormView{Base: Base{Title: "Reset your password"}, Token: r.URL.Query().Get("token")})
}

func (a *Admin) handleReset(w http.ResponseWriter, r *http.Request) error {
	tok := r.PostFormValue("token")
	v := &TokenFormView{Base: Base{Title: "Reset your password"}, Token: tok, Email: r.PostFormValue("email")}
	var err error
	if tok == "" {
		err = a.auth.SendPasswordReset(r.Context(), v.Email, auth.ClientIP(r))
		if err == nil {
			return seeOther(w, r, "/admin/reset?done=reset-sent")
		}
	} else {
		if r.PostFormValue("password") != r.PostFormValue("password2") {
			err = &content.Error{Code: content.EINVALID, Message: "The passwords differ.", Fields: map[string]string{"password2": "does not match the password"}}
		} else if err = a.auth.ResetPassword(r.Context(), tok, r.PostFormValue("password")); err == nil {
			return seeOther(w, r, "/admin/login?done=password-set")
		}
	}
	if !userError(err) && content.ErrorCode(err) != content.EFORBIDDEN {
		return err
	}
	v.Error, v.Fields = content.ErrorMessage(err), fieldsOf(err)
	dropDeadToken(v)
	return a.render(w, r, statusOf(err), "reset", v)
}

func (a *Admin) handleInviteForm(w http.ResponseWriter, r *http.Request) error {
	return a.render(w, r, http.StatusOK, "invite", &TokenFormView{Base: Base{Title: "Accept your invitation"}, Token: r.URL.Query().Get("token")})
}

func (a *Admin) handleInviteAccept(w http.ResponseWriter, r *http.Request) error {
	v := &TokenFormView{Base: Base{Title: "Accept your invitation"}, Token: r.PostFormValue("token")}
	var err error
	if r.PostFormValue("password") != r.PostFormValue("password2") {
		err = &content.Error{Code: content.EINVALID, Message: "The passwords differ.", Fields: map[string]string{"password2": "does not match the password"}}
	} else {
		var u *content.User
		if u, err = a.auth.AcceptInvite(r.Context(), v.Token, r.PostFormValue("password")); err == nil {
			if err := a.auth.StartSession(w, r, u); err != nil {
				return err
			}
			return seeOther(w, r, "/admin/")
		}
	}
	if !userError(err) {
		return err
	}
	v.Error, v.Fields = content.ErrorMessage(err), fieldsOf(err)
	dropDeadToken(v)
	return a.render(w, r, statusOf(err), "invite", v)
}

// AccountView is the signed-in user's own page, with two-factor setup.
type AccountView struct {
	Base
	HasTOTP bool
	Secret  string // a secret being set up, not yet stored
	URL     string // its otpauth:// URL
}

func (a *Admin) handleAccount(w http.ResponseWriter, r *http.Request) error {
	u := auth.UserFrom(r.Context())
	return a.render(w, r, http.StatusOK, "account", &AccountView{Base: Base{Title: "Your account"}, HasTOTP: u.TOTPSecret != ""})
}

func (a *Admin) handleTOTP(w http.ResponseWriter, r *http.Request) error {
	u := auth.UserFrom(r.Context())
	v := &AccountView{Base: Base{Title: "Your account"}, HasTOTP: u.TOTPSecret != ""}
	var err error
	switch r.PostFormValue("action") {
	case "start":
		if v.Secret, v.URL, err = a.auth.EnableTOTP(r.Context(), u); err != nil {
			return err
		}
		return a.render(w, r, http.StatusOK, "account", v)
	case "confirm":
		v.Secret = r.PostFormValue("secret")
		if err = a.auth.ConfirmTOTP(r.Context(), u, v.Secret, r.PostFormValue("code")); err == nil {
			return seeOther(w, r, "/admin/account?done=totp-on")
		}
		// Show the same secret again so the app set up a moment ago still works.
		v.URL = "otpauth://totp/?secret=" + v.Secret
	case "disable":
		if err = a.auth.DisableTOTP(r.Context(), u, r.PostFormValue("code")); err == nil {
			return seeOther(w, r, "/admin/account?done=totp-off")
		}
	default:
		return content.Errorf(content.EINVALID, "unknown action")
	}
	if !userError(err) {
		return err
	}
	v.Error, v.Fields = content.ErrorMessage(err), fieldsOf(err)
	return a.render(w, r, http.StatusUnprocessableEntity, "account", v)
}

// dropDeadToken leaves a refused link's token out of the page: it no
// longer works, and an error page has no reason to carry a secret back
// (the reset page then offers to send a new link).
func dropDeadToken(v *TokenFormView) {
	if v.Fields["token"] != "" {
		v.Token = ""
	}
}
