package auth

import (
	"context"
	"fmt"

	"folio/internal/content"
	"folio/internal/mail"
	"folio/internal/store"
)

// sendUnlock mails the owner of email a link to /admin/unlock that lifts
// the per-email sign-in lock. Nothing is sent for an unknown, disabled or
// invited account, and the caller's answer is the same either way, so the
// lock reveals nothing about which accounts exist. Failures are logged:
// the sign-in that triggered it is refused regardless.
func (a *Auth) sendUnlock(ctx context.Context, email, ip string) {
	u, err := a.cfg.Users.FindUserByEmail(ctx, email)
	if err != nil {
		if content.ErrorCode(err) != content.ENOTFOUND {
			a.log.ErrorContext(ctx, "find user for unlock mail", "err", err)
		}
		return
	}
	if u.Disabled || u.PasswordHash == "" {
		return
	}
	tok, err := a.issue(ctx, u, store.TokenUnlock, UnlockLifetime)
	if err != nil {
		a.log.ErrorContext(ctx, "issue unlock link", "user_id", u.ID, "err", err)
		return
	}
	site := a.cfg.SiteName()
	err = a.cfg.Mailer.Send(ctx, mail.Message{
		To:      []string{u.Email},
		Subject: "Sign-in to your " + site + " account is paused",
		Text: fmt.Sprintf("Hello %s,\n\nThere were %d failed attempts to sign in to your %s account in the last hour, "+
			"so sign-in is paused for it.\nIf this was you, or you want to sign in now anyway, lift the pause here within the hour:\n\n%s\n\n"+
			"If it was not you, someone may be guessing your password: it is safe as long as it is long and used nowhere else. "+
			"Consider turning on an authenticator app in your account page.\n", u.Name, MaxEmailFailures, site, a.link("/admin/unlock", tok)),
	})
	if err != nil {
		a.log.ErrorContext(ctx, "send unlock mail", "user_id", u.ID, "err", err)
		return
	}
	a.record(ctx, u, ip, "user.locked", "user", u.ID, "sign-in paused after repeated failures; unlock link mailed")
}

// Unlock lifts the sign-in lock of the account a mailed unlock token
// belongs to: it records a successful attempt for its email, which clears
// every failure before it (per email and per email and address). The
// token works once; the password is still needed to sign in.
func (a *Auth) Unlock(ctx context.Context, token, ip string) error {
	now := a.now()
	t, err := a.cfg.Sessions.UseOneTimeToken(ctx, store.TokenUnlock, HashToken(token), now)
	if content.ErrorCode(err) == content.ENOTFOUND {
		return errBadLink
	} else if err != nil {
		return fmt.Errorf("auth: unlock: %w", err)
	}
	u, err := a.cfg.Users.FindUserByID(ctx, t.UserID)
	if err != nil {
		return fmt.Errorf("auth: unlock: %w", err)
	}
	if err := a.cfg.Sessions.RecordAttempt(ctx, &store.LoginAttempt{Kind: store.AttemptLogin, Email: u.Email, IP: ip, At: now, OK: true}); err != nil {
		return fmt.Errorf("auth: unlock user %d: %w", u.ID, err)
	}
	if err := a.cfg.Sessions.RevokeOneTimeTokens(ctx, u.ID, store.TokenUnlock, now); err != nil {
		return fmt.Errorf("auth: unlock user %d: %w", u.ID, err)
	}
	a.record(ctx, u, ip, "user.unlocked", "user", u.ID, "sign-in lock lifted by mailed link")
	return nil
}
