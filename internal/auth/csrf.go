package auth

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
)

// CSRFField and CSRFHeader carry the token on unsafe requests.
const (
	CSRFField  = "_csrf"
	CSRFHeader = "X-CSRF-Token"
)

const (
	msgCrossOrigin = "This request came from another site and was refused."
	msgBadToken    = "This form has expired or did not come from this site. Reload the page and try again."
)

// CSRFToken returns the token to put in forms: the session's, or before
// sign-in the folio_csrf cookie's. It needs Middleware to have run.
func CSRFToken(r *http.Request) string {
	tok, _ := r.Context().Value(csrfKey).(string)
	return tok
}

// CSRF refuses POST, PUT, PATCH and DELETE requests that come from another
// origin (by Sec-Fetch-Site or Origin) or do not carry the token in the
// _csrf form field or the X-CSRF-Token header. Signed in, the token is the
// session's; signed out, it must equal the folio_csrf cookie (double
// submit). It must run inside Middleware. Reading the field parses the
// form, so wrap bodies in http.MaxBytesReader before this handler.
func (a *Auth) CSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
			next.ServeHTTP(w, r)
			return
		}
		if !a.sameOrigin(r) {
			a.deny(w, r, msgCrossOrigin)
			return
		}
		want := ""
		if s := sessionFrom(r.Context()); s != nil {
			want = s.CSRFToken
		} else if c, err := r.Cookie(CSRFCookie); err == nil {
			want = c.Value
		}
		got := r.Header.Get(CSRFHeader)
		if got == "" {
			got = r.PostFormValue(CSRFField)
		}
		if len(want) < 32 || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			a.deny(w, r, msgBadToken)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// sameOrigin trusts browsers' own word first: Sec-Fetch-Site says where a
// request came from. Without it, an Origin header must name this host or
// the configured base URL. With neither (old browsers, curl) the token
// alone decides.
func (a *Auth) sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return true
	case "":
	default:
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	o, err := url.Parse(origin)
	if err != nil || o.Host == "" {
		return false // includes "null" from sandboxed frames and data: URLs
	}
	if strings.EqualFold(o.Host, r.Host) {
		return true
	}
	if base, err := url.Parse(a.cfg.BaseURL()); err == nil && base.Host != "" {
		return strings.EqualFold(o.Scheme, base.Scheme) && strings.EqualFold(o.Host, base.Host)
	}
	return false
}

func (a *Auth) deny(w http.ResponseWriter, r *http.Request, msg string) {
	a.log.WarnContext(r.Context(), "csrf check refused a request", "method", r.Method, "path", r.URL.Path,
		"origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
	if a.cfg.Deny != nil {
		a.cfg.Deny(w, r, msg)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, msg, http.StatusForbidden)
}
