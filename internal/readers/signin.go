package readers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"folio/internal/auth"
	"folio/internal/content"
	"folio/internal/i18n"
	"folio/internal/mail"
	"folio/internal/store"
	"folio/internal/urls"
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
	next := h.next(r.Context(), r.URL.Query().Get("next"))
	if memberFrom(r.Context()) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	h.html(w, r, http.StatusOK, "signin", h.newPage(r, "members.signin_or_join", &signinData{Next: next}))
	return nil
}

// handleSignin mails a sign-in link. It answers the same whether or not
// the address has an account, so nobody can test which addresses do; the
// address joins only when its link is opened.
func (h *Readers) handleSignin(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d := &signinData{Email: strings.TrimSpace(r.PostFormValue("email")), Next: h.next(ctx, r.PostFormValue("next"))}
	p := h.newPage(r, "members.signin_or_join", d)
	email, err := content.NormalizeEmail(d.Email)
	if err == nil {
		err = h.check(ctx, "signin_ip", h.clientIP(r), h.cfg.Limits.SigninPerIP)
	}
	if err == nil {
		// Hashed: the counters must not become a list of addresses.
		err = h.check(ctx, "signin_address", auth.HashToken(email), h.cfg.Limits.SigninPerAddress)
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
	http.SetCookie(w, h.cookie(NonceCookie, nonce, h.path(ctx, "/members"), int(nonceLifetime.Seconds())))
	tok := auth.RandomToken()
	now := h.now().UTC()
	if err := h.st.CreateMagicLink(ctx, &store.MagicLink{Hash: auth.HashToken(tok), Email: email, NonceHash: auth.HashToken(nonce),
		Next: d.Next, CreatedAt: now, ExpiresAt: now.Add(LinkLifetime)}); err != nil {
		return err
	}
	if err := h.st.PruneReaders(ctx, now.Add(-24*time.Hour)); err != nil {
		h.log.WarnContext(ctx, "prune reader records", "err", err)
	}
	err = h.cfg.Mailer.Send(ctx, h.signinMail(r, email, tok))
	if err != nil {
		// Saying so would tell whether the address is known; it is not,
		// but the message is the same for every failure.
		h.log.ErrorContext(ctx, "queue sign-in mail", "err", err)
	}
	d.Sent = true
	h.html(w, r, http.StatusOK, "signin", p)
	return nil
}

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
	p := h.newPage(r, "members.signin_or_join", &signinData{Next: h.path(ctx, "/")})
	errBadLink := h.errT(ctx, content.EINVALID, "members.signin.bad_link")
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
		h.html(w, r, http.StatusForbidden, "signin", p.withError(h.errT(ctx, content.EFORBIDDEN, "members.signin.other_browser")))
		return nil
	default:
		return err
	}
	m, err := h.svc.System("sign-in").JoinMember(ctx, l.Email, h.joinLanguages(r))
	if err != nil {
		return err
	}
	if err := h.startSession(w, r, m); err != nil {
		return err
	}
	http.SetCookie(w, h.cookie(NonceCookie, "", h.path(ctx, "/members"), -1))
	next := h.next(ctx, l.Next)
	if next == h.path(ctx, "/") && m.Name == "" {
		next = h.path(ctx, "/members/profile?welcome=1")
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (h *Readers) handleSignout(w http.ResponseWriter, r *http.Request) error {
	if err := h.endSession(w, r); err != nil {
		return err
	}
	http.Redirect(w, r, h.path(r.Context(), "/"), http.StatusSeeOther)
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

// joinLanguages are a new member's first languages: the page's, where
// they asked for the link, then those of Accept-Language. Mail to them
// (replies to their comments) speaks the first.
func (h *Readers) joinLanguages(r *http.Request) []string {
	out := []string{h.lang(r.Context())}
	for _, l := range acceptLanguages(r) {
		if !contains(out, l) && len(out) < 3 {
			out = append(out, l)
		}
	}
	return out
}

// mailLang is the language of mail to email: the page's when the reader
// chose one by its prefix, else the member's first language, else the
// site's default.
func (h *Readers) mailLang(ctx context.Context, email string) string {
	if l, ok := ctx.Value(langKey).(string); ok {
		return l
	}
	if m, err := h.st.FindMemberByEmail(ctx, email); err == nil && len(m.Languages) > 0 && i18n.Supported(m.Languages[0]) {
		return m.Languages[0]
	}
	return h.settings(ctx).DefaultLanguage
}

// signinMail is the sign-in link to email, in the member's language; the
// link opens the confirmation page in the language it was asked for.
func (h *Readers) signinMail(r *http.Request, email, tok string) mail.Message {
	ctx := r.Context()
	lang := h.mailLang(ctx, email)
	st := h.settings(ctx)
	link := h.baseURL(r) + urls.New(st).Reader(h.lang(ctx), "/members/confirm?"+url.Values{"token": {tok}}.Encode())
	loc := i18n.For(lang)
	if st.LatinDigits {
		loc = loc.LatinDigits()
	}
	site, _ := st.Localized(lang, "title")
	return mail.Message{
		To:      []string{email},
		Subject: loc.T("members.mail.subject", "site", site),
		Text:    loc.T("members.mail.body", "site", site, "link", link, "minutes", loc.Number(int(LinkLifetime.Minutes()))),
		Headers: map[string]string{"Content-Language": lang},
	}
}
