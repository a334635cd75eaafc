package readers

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"time"

	"folio/internal/auth"
	"folio/internal/content"
	"folio/internal/store"
)

// Cookies of the reader side. None is shared with the admin's.
const (
	SessionCookie = "folio_member" // member session token, path /
	CSRFCookie    = "folio_rcsrf"  // signed-out CSRF token (double submit), path /
	NonceCookie   = "folio_mnonce" // binds sign-in links to the browser that asked, path /members (or /{lang}/members)
	CSRFField     = "_csrf"
)

// Session limits. Readers sign in rarely and read on phones: a long
// session, ended by a month without a visit.
const (
	SessionLifetime = 180 * 24 * time.Hour
	SessionIdle     = 30 * 24 * time.Hour
	touchEvery      = time.Hour
)

type ctxKey int

const (
	memberKey ctxKey = iota
	sessionKey
	csrfKey
)

func memberFrom(ctx context.Context) *store.Member {
	m, _ := ctx.Value(memberKey).(*store.Member)
	return m
}

func sessionFrom(ctx context.Context) *store.MemberSession {
	s, _ := ctx.Value(sessionKey).(*store.MemberSession)
	return s
}

func csrfToken(r *http.Request) string {
	t, _ := r.Context().Value(csrfKey).(string)
	return t
}

func (h *Readers) cookie(name, value, path string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: path, MaxAge: maxAge, HttpOnly: true,
		Secure: h.cfg.SecureCookies, SameSite: http.SameSiteLaxMode}
}

// sessions puts the signed-in member (memberFrom) and the CSRF token of
// the browser in the request context. A session that expired, went idle,
// or whose member was deleted or blocked is removed and its cookie cleared.
func (h *Readers) sessions(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if s, m := h.load(w, r); m != nil {
			ctx = context.WithValue(ctx, memberKey, m)
			ctx = context.WithValue(ctx, sessionKey, s)
			ctx = context.WithValue(ctx, csrfKey, s.CSRFToken)
		} else {
			tok := ""
			if c, err := r.Cookie(CSRFCookie); err == nil && len(c.Value) >= 32 {
				tok = c.Value
			} else {
				tok = auth.RandomToken()
				http.SetCookie(w, h.cookie(CSRFCookie, tok, "/", 0))
			}
			ctx = context.WithValue(ctx, csrfKey, tok)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (h *Readers) load(w http.ResponseWriter, r *http.Request) (*store.MemberSession, *store.Member) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	ctx := r.Context()
	id := auth.HashToken(c.Value)
	s, err := h.st.FindMemberSession(ctx, id)
	if err != nil {
		if content.ErrorCode(err) != content.ENOTFOUND {
			h.log.ErrorContext(ctx, "load member session", "err", err)
			return nil, nil
		}
		http.SetCookie(w, h.cookie(SessionCookie, "", "/", -1))
		return nil, nil
	}
	now := h.now().UTC()
	var m *store.Member
	if now.Before(s.ExpiresAt) && now.Sub(s.LastSeenAt) < SessionIdle {
		m, err = h.st.FindMemberByID(ctx, s.MemberID)
		if err != nil && content.ErrorCode(err) != content.ENOTFOUND {
			h.log.ErrorContext(ctx, "load session member", "member_id", s.MemberID, "err", err)
			return nil, nil
		}
	}
	if m == nil || m.Status != store.MemberActive {
		if err := h.st.DeleteMemberSession(ctx, id); err != nil {
			h.log.ErrorContext(ctx, "delete dead member session", "err", err)
		}
		http.SetCookie(w, h.cookie(SessionCookie, "", "/", -1))
		return nil, nil
	}
	if now.Sub(s.LastSeenAt) >= touchEvery {
		if err := h.st.TouchMemberSession(ctx, id, now); err != nil {
			h.log.WarnContext(ctx, "touch member session", "err", err)
		}
	}
	return s, m
}

// startSession signs m in on this browser, ending any session it had.
func (h *Readers) startSession(w http.ResponseWriter, r *http.Request, m *store.Member) error {
	ctx := r.Context()
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := h.st.DeleteMemberSession(ctx, auth.HashToken(c.Value)); err != nil {
			return err
		}
	}
	now := h.now().UTC()
	tok := auth.RandomToken()
	s := &store.MemberSession{ID: auth.HashToken(tok), MemberID: m.ID, CSRFToken: auth.RandomToken(),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(SessionLifetime)}
	if err := h.st.CreateMemberSession(ctx, s); err != nil {
		return err
	}
	http.SetCookie(w, h.cookie(SessionCookie, tok, "/", int(SessionLifetime.Seconds())))
	return nil
}

func (h *Readers) endSession(w http.ResponseWriter, r *http.Request) error {
	if s := sessionFrom(r.Context()); s != nil {
		if err := h.st.DeleteMemberSession(r.Context(), s.ID); err != nil {
			return err
		}
	}
	http.SetCookie(w, h.cookie(SessionCookie, "", "/", -1))
	return nil
}

// oneClick is the requests that need no CSRF token: a mail client's
// RFC 8058 unsubscribe POST (from a newsletter or a reply notice), which
// carries its own signed token.
func oneClick(r *http.Request) bool {
	return r.Method == http.MethodPost && (r.URL.Path == "/newsletters/unsubscribe" || r.URL.Path == ReplyStopPath)
}

// csrf refuses unsafe requests from another origin or without the
// browser's token: the session's when signed in, else the folio_rcsrf
// cookie's (double submit).
func (h *Readers) csrf(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead || oneClick(r) {
			next.ServeHTTP(w, r)
			return
		}
		ok := h.sameOrigin(r)
		if ok {
			want := csrfToken(r)
			if sessionFrom(r.Context()) == nil {
				want = ""
				if c, err := r.Cookie(CSRFCookie); err == nil {
					want = c.Value
				}
			}
			got := r.PostFormValue(CSRFField)
			ok = len(want) >= 32 && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
		}
		if !ok {
			h.log.WarnContext(r.Context(), "reader csrf check refused a request", "path", r.URL.Path,
				"origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
			h.fail(w, r, h.errT(r.Context(), content.EFORBIDDEN, "members.error.form"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (h *Readers) sameOrigin(r *http.Request) bool {
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
		return false
	}
	if strings.EqualFold(o.Host, r.Host) {
		return true
	}
	if base, err := url.Parse(h.cfg.BaseURL()); err == nil && base.Host != "" {
		return strings.EqualFold(o.Host, base.Host)
	}
	return false
}

// safeNext returns next when it is a path on this site, else "/".
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || next[0] != '/' || u.Scheme != "" || u.Host != "" ||
		(len(next) > 1 && (next[1] == '/' || next[1] == '\\')) || strings.ContainsAny(next, "\\\r\n") {
		return "/"
	}
	return next
}
