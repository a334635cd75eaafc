package auth

import (
	"context"
	"fmt"

	"github.com/pquerna/otp/totp"

	"folio/internal/content"
)

// EnableTOTP starts turning on the second factor: it returns a new secret
// and its otpauth:// URL for an authenticator app. Nothing is stored until
// ConfirmTOTP proves the app has it.
func (a *Auth) EnableTOTP(ctx context.Context, u *content.User) (secret, otpauthURL string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: a.cfg.SiteName(), AccountName: u.Email})
	if err != nil {
		return "", "", fmt.Errorf("auth: generate totp secret for user %d: %w", u.ID, err)
	}
	return key.Secret(), key.URL(), nil
}

// ConfirmTOTP stores secret as u's second factor when code is the current
// code for it; invalid with field "code" otherwise.
func (a *Auth) ConfirmTOTP(ctx context.Context, u *content.User, secret, code string) error {
	if secret == "" {
		return codeError()
	}
	if ok, err := a.acceptTOTP(ctx, u, code, secret); err != nil {
		return err
	} else if !ok {
		return codeError()
	}
	u.TOTPSecret = secret
	if err := a.cfg.Users.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("auth: enable totp for user %d: %w", u.ID, err)
	}
	a.record(ctx, u, "", "user.totp_enabled", "user", u.ID, "turned on two-factor sign-in")
	return nil
}

// DisableTOTP turns the second factor off when code is current for it.
func (a *Auth) DisableTOTP(ctx context.Context, u *content.User, code string) error {
	if u.TOTPSecret == "" {
		return nil
	}
	if ok, err := a.acceptTOTP(ctx, u, code, u.TOTPSecret); err != nil {
		return err
	} else if !ok {
		return codeError()
	}
	u.TOTPSecret = ""
	if err := a.cfg.Users.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("auth: disable totp for user %d: %w", u.ID, err)
	}
	a.record(ctx, u, "", "user.totp_disabled", "user", u.ID, "turned off two-factor sign-in")
	return nil
}

func codeError() error {
	msg := "is not the current code from your authenticator app"
	return &content.Error{Code: content.EINVALID, Message: "The code " + msg + ".", Fields: map[string]string{"code": msg}}
}
