package readers

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"folio/internal/auth"
	"folio/internal/content"
	"folio/internal/mail"
	"folio/internal/store"
)

// LinkLifetime is how long a mailed sign-in link works.
const LinkLifetime = 20 * time.Minute

// nonceLifetime outlives the links asked for from one browser, so every
// link asked for in the last hour works there.
const nonceLifetime = time.Hour

type signinData struct {
	Email string
	Next  string
	Sent  bool
}

func (h *Readers) handleSigninForm(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	if memberFrom(r.Context()) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	h.html(w, r, http.StatusOK, "signin", h.newPage(r, "Sign in or join", &signinData{Next: next}))
	return nil
}

// handleSignin mails a sign-in link. It answers the same whether or not
// the address has an account, so nobody can test which addresses do; the
// address joins only when its link is opened.
func (h *Readers) handleSignin(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d := &signinData{Email: strings.TrimSpace(r.PostFormValue("email")), Next: safeNext(r.PostFormValue("next"))}
	p := h.newPage(r, "Sign in or join", d)
	email, err := content.NormalizeEmail(d.Email)
	if err == nil {
		err = h.check(ctx, "signin_ip", h.clientIP(r), h.cfg.Limits.SigninPerIP, "sign-in requests from your network")
	}
	if err == nil {
		// Hashed: the counters must not become a list of addresses.
		err = h.check(ctx, "signin_address", auth.HashToken(email), h.cfg.Limits.SigninPerAddress, "sign-in links for this address")
	}
	if err != nil {
		status := http.StatusBadRequest
		if content.ErrorCode(err) == ETOOMANY {
			status = http.StatusTooManyRequests
		} else if content.ErrorCode(err) != content.EINVALID {
			return err
		}
		h.html(w, r, status, "signin", p.withError(err))
		return nil
	}
	nonce := ""
	if c, err := r.Cookie(NonceCookie); err == nil && len(c.Value) >= 32 {
		nonce = c.Value
	} else {
		nonce = auth.RandomToken()
	}
	http.SetCookie(w, h.cookie(NonceCookie, nonce, "/members", int(nonceLifetime.Seconds())))
	tok := auth.RandomToken()
	now := h.now().UTC()
	if err := h.st.CreateMagicLink(ctx, &store.MagicLink{Hash: auth.HashToken(tok), Email: email, NonceHash: auth.HashToken(nonce),
		Next: d.Next, CreatedAt: now, ExpiresAt: now.Add(LinkLifetime)}); err != nil {
		return err
	}
	if err := h.st.PruneReaders(ctx, now.Add(-24*time.Hour)); err != nil {
		h.log.WarnContext(ctx, "prune reader records", "err", err)
	}
	link := h.baseURL(r) + "/members/confirm?" + url.Values{"token": {tok}}.Encode()
	site := h.settings(ctx).Title
	err = h.cfg.Mailer.Send(ctx, mail.Message{
		To:      []string{email},
		Subject: "Your sign-in link for " + site,
		Text: fmt.Sprintf("Hello,\n\nSomeone (hopefully you) asked to sign in to %s with this address.\n"+
			"Open this link in the same browser within %d minutes:\n\n%s\n\n"+
			"It works once. If you did not ask, ignore this message: nothing happens without the link,\n"+
			"and no account is made.\n", site, int(LinkLifetime.Minutes()), link),
	})
	if err != nil {
		// Saying so would tell whether the address is known; it is not,
		// but the message is the same for every failure.
		h.log.ErrorContext(ctx, "queue sign-in mail", "err", err)
	}
	d.Sent = true
	h.html(w, r, http.StatusOK, "signin", p)
	return nil
}

var errBadLink = &content.Error{Code: content.EINVALID, Message: "This sign-in link is invalid, already used or expired. Ask for a new one below."}

var errOtherBrowser = &content.Error{Code: content.EFORBIDDEN,
	Message: "This sign-in link was asked for in another browser. Open it there, or ask for a new link in this one."}

// handleConfirm signs in with a mailed link: once, before it expires, and
// only in the browser that asked for it (the nonce cookie). The address
// becomes a member on its first sign-in.
func (h *Readers) handleConfirm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	tok := r.URL.Query().Get("token")
	nonce := ""
	if c, err := r.Cookie(NonceCookie); err == nil {
		nonce = c.Value
	}
	p := h.newPage(r, "Sign in or join", &signinData{Next: "/"})
	if tok == "" || len(tok) > 100 {
		h.html(w, r, http.StatusBadRequest, "signin", p.withError(errBadLink))
		return nil
	}
	l, err := h.st.UseMagicLink(ctx, auth.HashToken(tok), auth.HashToken(nonce), h.now().UTC())
	switch content.ErrorCode(err) {
	case "":
	case content.ENOTFOUND:
		h.html(w, r, http.StatusBadRequest, "signin", p.withError(errBadLink))
		return nil
	case content.EFORBIDDEN:
		h.html(w, r, http.StatusForbidden, "signin", p.withError(errOtherBrowser))
		return nil
	default:
		return err
	}
	m, err := h.svc.System("sign-in").JoinMember(ctx, l.Email, acceptLanguages(r))
	if err != nil {
		return err
	}
	if err := h.startSession(w, r, m); err != nil {
		return err
	}
	http.SetCookie(w, h.cookie(NonceCookie, "", "/members", -1))
	next := safeNext(l.Next)
	if next == "/" && m.Name == "" {
		next = "/members/profile?welcome=1"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (h *Readers) handleSignout(w http.ResponseWriter, r *http.Request) error {
	if err := h.endSession(w, r); err != nil {
		return err
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// acceptLanguages returns the primary languages of Accept-Language, as a
// first guess at the new member's languages (they can change it).
func acceptLanguages(r *http.Request) []string {
	var out []string
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag, _, _ = strings.Cut(tag, "-")
		tag = strings.ToLower(tag)
		if tag != "" && tag != "*" && len(out) < 3 && !contains(out, tag) {
			out = append(out, tag)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
