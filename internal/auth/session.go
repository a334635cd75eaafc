package auth

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"folio/internal/content"
	"folio/internal/store"
)

// StartSession signs u in on this browser: any session the request already
// carries is ended (so a planted cookie never survives sign-in) and a new
// random token is set in the folio_session cookie. Only its SHA-256 is stored.
func (a *Auth) StartSession(w http.ResponseWriter, r *http.Request, u *content.User) error {
	ctx := r.Context()
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := a.cfg.Sessions.DeleteSession(ctx, HashToken(c.Value)); err != nil {
			return fmt.Errorf("auth: rotate session: %w", err)
		}
	}
	now := a.now()
	tok := RandomToken()
	s := &store.Session{
		ID:         HashToken(tok),
		UserID:     u.ID,
		CSRFToken:  RandomToken(),
		CreatedAt:  now,
		LastSeenAt: now,
		ExpiresAt:  now.Add(SessionLifetime),
		IP:         ClientIP(r),
		UserAgent:  truncate(r.UserAgent(), 300),
		TOTPOK:     u.TOTPSecret != "",
	}
	if err := a.cfg.Sessions.CreateSession(ctx, s); err != nil {
		return fmt.Errorf("auth: start session for user %d: %w", u.ID, err)
	}
	http.SetCookie(w, a.cookie(SessionCookie, tok, int(SessionLifetime.Seconds())))
	return nil
}

// EndSession signs the browser out: the session is deleted server-side,
// so a copied cookie stops working too.
func (a *Auth) EndSession(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := a.cfg.Sessions.DeleteSession(r.Context(), HashToken(c.Value)); err != nil {
			return fmt.Errorf("auth: end session: %w", err)
		}
	}
	http.SetCookie(w, a.cookie(SessionCookie, "", -1))
	if u := UserFrom(r.Context()); u != nil {
		a.record(r.Context(), u, ClientIP(r), "user.logout", "user", u.ID, "signed out")
	}
	return nil
}

func (a *Auth) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: name, Value: value, Path: cookiePath, MaxAge: maxAge,
		HttpOnly: true, Secure: a.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
	}
}

// Middleware puts the session's user in the request context (UserFrom) and
// the client's address (ClientIP) and never redirects. An expired, idle or unknown session, or one whose user
// is disabled, is deleted and its cookie cleared. Signed-out browsers get a
// folio_csrf cookie so the sign-in form can be protected too.
func (a *Auth) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Resolved once here so ClientIP agrees everywhere below: sessions,
		// throttling and the audit log.
		r = r.WithContext(context.WithValue(r.Context(), ipKey, RealIP(r, a.cfg.TrustedProxies)))
		ctx := r.Context()
		if s, u := a.load(w, r); u != nil {
			ctx = context.WithValue(ctx, sessionKey, s)
			ctx = context.WithValue(ctx, userKey, u)
			ctx = context.WithValue(ctx, csrfKey, s.CSRFToken)
		} else {
			tok := ""
			if c, err := r.Cookie(CSRFCookie); err == nil && len(c.Value) >= 32 {
				tok = c.Value
			} else {
				tok = RandomToken()
				http.SetCookie(w, a.cookie(CSRFCookie, tok, 0))
			}
			ctx = context.WithValue(ctx, csrfKey, tok)
		}
		// Pages behind a session are private to one browser.
		w.Header().Add("Vary", "Cookie")
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// load returns the live session and its user, or nils.
func (a *Auth) load(w http.ResponseWriter, r *http.Request) (*store.Session, *content.User) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	ctx := r.Context()
	id := HashToken(c.Value)
	s, err := a.cfg.Sessions.FindSession(ctx, id)
	if err != nil {
		if content.ErrorCode(err) != content.ENOTFOUND {
			a.log.ErrorContext(ctx, "load session", "err", err)
			return nil, nil // a store outage signs nobody in, but keeps the cookie
		}
		http.SetCookie(w, a.cookie(SessionCookie, "", -1))
		return nil, nil
	}
	now := a.now()
	var u *content.User
	if now.Before(s.ExpiresAt) && now.Sub(s.LastSeenAt) < SessionIdle {
		u, err = a.cfg.Users.FindUserByID(ctx, s.UserID)
		if err != nil && content.ErrorCode(err) != content.ENOTFOUND {
			a.log.ErrorContext(ctx, "load session user", "user_id", s.UserID, "err", err)
			return nil, nil
		}
	}
	if u == nil || u.Disabled {
		if err := a.cfg.Sessions.DeleteSession(ctx, id); err != nil {
			a.log.ErrorContext(ctx, "delete dead session", "err", err)
		}
		http.SetCookie(w, a.cookie(SessionCookie, "", -1))
		return nil, nil
	}
	if now.Sub(s.LastSeenAt) >= touchEvery {
		if err := a.cfg.Sessions.TouchSession(ctx, id, now); err != nil {
			a.log.WarnContext(ctx, "touch session", "err", err)
		}
		s.LastSeenAt = now
	}
	return s, u
}

// RequireUser lets signed-in users through. Others are sent to the sign-in
// page with 303 (GET and HEAD, keeping where they were going in next) or
// refused with 401 (anything else, so no form post is replayed after login).
func (a *Auth) RequireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if UserFrom(r.Context()) != nil {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			http.Redirect(w, r, "/admin/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		http.Error(w, "Sign in first.", http.StatusUnauthorized)
	})
}

// SafeNext returns next when it is a path inside the admin, else "/admin/",
// so a crafted ?next= cannot send a user to another site after sign-in.
func SafeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || u.Scheme != "" || u.Host != "" || u.User != nil ||
		len(next) < len(cookiePath) || next[:len(cookiePath)] != cookiePath || (len(next) > 1 && next[1] == '/') || containsBackslash(next) {
		return "/admin/"
	}
	return next
}

func containsBackslash(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			return true
		}
	}
	return false
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
