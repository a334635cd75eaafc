package auth

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/mail"
	"folio/internal/store"
)

var errBadLink = &content.Error{Code: content.EINVALID, Message: "This link is invalid, already used or expired. Ask for a new one.",
	Fields: map[string]string{"token": "is invalid, already used or expired"}}

// SendPasswordReset mails a single-use link to /admin/reset that works for
// ResetLifetime. It answers the same for unknown, disabled and known
// emails so accounts cannot be enumerated, and refuses with forbidden once
// an email has MaxResetsByEmail or an IP MaxResetsByIP requests within
// ResetWindow (counted whether or not the account exists).
func (a *Auth) SendPasswordReset(ctx context.Context, email, ip string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	now := a.now()
	if err := a.throttle(ctx, store.AttemptReset, email, ip, now, MaxResetsByEmail, MaxResetsByIP, ResetWindow, false,
		"Too many password reset requests. Try again in %s."); err != nil {
		return err
	}
	if err := a.cfg.Sessions.RecordAttempt(ctx, &store.LoginAttempt{Kind: store.AttemptReset, Email: email, IP: ip, At: now}); err != nil {
		return fmt.Errorf("auth: password reset: %w", err)
	}
	u, err := a.cfg.Users.FindUserByEmail(ctx, email)
	if content.ErrorCode(err) == content.ENOTFOUND {
		return nil
	} else if err != nil {
		return fmt.Errorf("auth: password reset: %w", err)
	}
	if u.Disabled || u.PasswordHash == "" {
		return nil
	}
	tok, err := a.issue(ctx, u, store.TokenReset, ResetLifetime)
	if err != nil {
		return err
	}
	link := a.link("/admin/reset", tok)
	site := a.cfg.SiteName()
	err = a.cfg.Mailer.Send(ctx, mail.Message{
		To:      []string{u.Email},
		Subject: "Reset your " + site + " password",
		Text: fmt.Sprintf("Hello %s,\n\nSomeone (hopefully you) asked to reset the password of your %s account.\n"+
			"Choose a new one here within the hour:\n\n%s\n\nThe link works once. If you did not ask, ignore this message: "+
			"your password stays as it is.\n", u.Name, site, link),
	})
	if err != nil {
		// Reporting the failure would tell the caller the account exists.
		a.log.ErrorContext(ctx, "send password reset mail", "user_id", u.ID, "err", err)
		return nil
	}
	a.record(ctx, u, ip, "user.reset_requested", "user", u.ID, "password reset mailed")
	return nil
}

// ResetPassword sets a new password with a mailed token. The token is
// consumed only when the password is acceptable; afterwards every session
// of the user ends and any other reset link stops working.
func (a *Auth) ResetPassword(ctx context.Context, token, newPassword string) error {
	if err := ValidatePassword(newPassword); err != nil {
		return err
	}
	hash, err := HashPassword(newPassword)
	if err != nil {
		return err
	}
	now := a.now()
	t, err := a.cfg.Sessions.UseOneTimeToken(ctx, store.TokenReset, HashToken(token), now)
	if content.ErrorCode(err) == content.ENOTFOUND {
		return errBadLink
	} else if err != nil {
		return fmt.Errorf("auth: reset password: %w", err)
	}
	u, err := a.cfg.Users.FindUserByID(ctx, t.UserID)
	if err != nil {
		return fmt.Errorf("auth: reset password: %w", err)
	}
	u.PasswordHash = hash
	if err := a.cfg.Users.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("auth: reset password of user %d: %w", u.ID, err)
	}
	if err := a.cfg.Sessions.RevokeOneTimeTokens(ctx, u.ID, store.TokenReset, now); err != nil {
		return fmt.Errorf("auth: reset password of user %d: %w", u.ID, err)
	}
	if _, err := a.cfg.Sessions.DeleteUserSessions(ctx, u.ID, ""); err != nil {
		return fmt.Errorf("auth: reset password of user %d: %w", u.ID, err)
	}
	a.record(ctx, u, "", "user.password_reset", "user", u.ID, "password reset by mailed link")
	return nil
}

// Invite creates a disabled account for email and mails a link to
// /admin/invite that works for InviteLifetime. Only admins may invite.
// Inviting an email whose invitation is still pending sends a fresh link
// and voids the old one; any other existing account is a conflict.
func (a *Auth) Invite(ctx context.Context, by *content.User, email, name string, role content.Role) error {
	if !a.Allowed(by, content.ActManageUsers) {
		return content.Errorf(content.EFORBIDDEN, "Only admins can invite people.")
	}
	u := &content.User{Email: email, Name: strings.TrimSpace(name), Role: role, Disabled: true}
	if err := u.Validate(); err != nil {
		return err
	}
	err := a.cfg.Users.CreateUser(ctx, u)
	if content.ErrorCode(err) == content.ECONFLICT {
		old, ferr := a.cfg.Users.FindUserByEmail(ctx, u.Email)
		if ferr != nil || !old.Disabled || old.PasswordHash != "" {
			return err
		}
		old.Name, old.Role = u.Name, u.Role
		if err := a.cfg.Users.UpdateUser(ctx, old); err != nil {
			return fmt.Errorf("auth: invite %q: %w", u.Email, err)
		}
		if err := a.cfg.Sessions.RevokeOneTimeTokens(ctx, old.ID, store.TokenInvite, a.now()); err != nil {
			return fmt.Errorf("auth: invite %q: %w", u.Email, err)
		}
		u = old
	} else if err != nil {
		return fmt.Errorf("auth: invite %q: %w", u.Email, err)
	}
	tok, err := a.issue(ctx, u, store.TokenInvite, InviteLifetime)
	if err != nil {
		return err
	}
	site := a.cfg.SiteName()
	link := a.link("/admin/invite", tok)
	err = a.cfg.Mailer.Send(ctx, mail.Message{
		To:      []string{u.Email},
		Subject: "You are invited to " + site,
		Text: fmt.Sprintf("Hello %s,\n\n%s invited you to join %s as %s.\nChoose your password here within 7 days:\n\n%s\n\n"+
			"If you did not expect this, ignore this message.\n", u.Name, by.Name, site, u.Role, link),
	})
	if err != nil {
		return fmt.Errorf("auth: invite %q: %w", u.Email, err)
	}
	a.record(ctx, by, "", "user.invite", "user", u.ID, fmt.Sprintf("invited %s as %s", u.Email, u.Role))
	return nil
}

// AcceptInvite sets the invited user's password and enables the account.
func (a *Auth) AcceptInvite(ctx context.Context, token, password string) (*content.User, error) {
	if err := ValidatePassword(password); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	t, err := a.cfg.Sessions.UseOneTimeToken(ctx, store.TokenInvite, HashToken(token), a.now())
	if content.ErrorCode(err) == content.ENOTFOUND {
		return nil, errBadLink
	} else if err != nil {
		return nil, fmt.Errorf("auth: accept invitation: %w", err)
	}
	u, err := a.cfg.Users.FindUserByID(ctx, t.UserID)
	if err != nil {
		return nil, fmt.Errorf("auth: accept invitation: %w", err)
	}
	u.PasswordHash, u.Disabled = hash, false
	if err := a.cfg.Users.UpdateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("auth: accept invitation of user %d: %w", u.ID, err)
	}
	a.record(ctx, u, "", "user.invite_accepted", "user", u.ID, "accepted the invitation")
	return u, nil
}

// issue stores a new one-time token for u and returns its secret.
func (a *Auth) issue(ctx context.Context, u *content.User, purpose string, life time.Duration) (string, error) {
	tok := RandomToken()
	now := a.now()
	t := &store.OneTimeToken{Purpose: purpose, Hash: HashToken(tok), UserID: u.ID, CreatedAt: now,
		ExpiresAt: now.Add(life)}
	if err := a.cfg.Sessions.CreateOneTimeToken(ctx, t); err != nil {
		return "", fmt.Errorf("auth: issue %s link for user %d: %w", purpose, u.ID, err)
	}
	return tok, nil
}

func (a *Auth) link(path, tok string) string {
	return strings.TrimRight(a.cfg.BaseURL(), "/") + path + "?token=" + url.QueryEscape(tok)
}
