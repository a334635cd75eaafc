package auth

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"folio/internal/content"
	"folio/internal/store"
)

var errBadCredentials = &content.Error{Code: content.EUNAUTHORIZED, Message: "Email or password is incorrect."}

// totpMessage is the message (and the "totp" field) of the error that asks
// for the second factor.
const totpMessage = "Enter the 6-digit code from your authenticator app."

// NeedsTOTP reports whether err from Authenticate means the password was
// right and the form should now ask for the authenticator code.
func NeedsTOTP(err error) bool {
	var e *content.Error
	return errors.As(err, &e) && e.Code == content.EUNAUTHORIZED && e.Fields["totp"] == totpMessage
}

// Authenticate checks a sign-in. It refuses with forbidden and "Too many
// failed sign-ins. Try again in N minutes." after MaxEmailFailures for the
// email or MaxIPFailures from ip within ThrottleWindow; with unauthorized
// for a wrong email, password or code (one message for all, so accounts
// cannot be enumerated); and with unauthorized and a "totp" field when the
// user has a second factor and totpCode is empty (see NeedsTOTP).
func (a *Auth) Authenticate(ctx context.Context, email, password, totpCode, ip string) (*content.User, error) {
	a.prune(ctx)
	email = strings.ToLower(strings.TrimSpace(email))
	now := a.now()
	if err := a.throttle(ctx, store.AttemptLogin, email, ip, now, MaxEmailFailures, MaxIPFailures, ThrottleWindow, true,
		"Too many failed sign-ins. Try again in %s."); err != nil {
		return nil, err
	}
	if len(password) > MaxPasswordBytes {
		return nil, a.fail(ctx, email, ip, now, errBadCredentials)
	}
	u, err := a.cfg.Users.FindUserByEmail(ctx, email)
	if content.ErrorCode(err) == content.ENOTFOUND {
		burnHash(password)
		return nil, a.fail(ctx, email, ip, now, errBadCredentials)
	} else if err != nil {
		return nil, fmt.Errorf("auth: sign in: %w", err)
	}
	ok, err := CheckPassword(u.PasswordHash, password)
	if u.PasswordHash == "" {
		burnHash(password) // a pending invitation answers like any account
	}
	if err != nil {
		return nil, fmt.Errorf("auth: sign in user %d: %w", u.ID, err)
	}
	if !ok || u.Disabled {
		return nil, a.fail(ctx, email, ip, now, errBadCredentials)
	}
	if u.TOTPSecret != "" {
		if strings.TrimSpace(totpCode) == "" {
			// Not a failure: the password was right and the form asks next.
			return nil, &content.Error{Code: content.EUNAUTHORIZED, Message: totpMessage, Fields: map[string]string{"totp": totpMessage}}
		}
		if !a.validTOTP(totpCode, u.TOTPSecret) {
			msg := "The authentication code is incorrect."
			return nil, a.fail(ctx, email, ip, now, &content.Error{Code: content.EUNAUTHORIZED, Message: msg, Fields: map[string]string{"totp": msg}})
		}
	}
	if err := a.cfg.Sessions.RecordAttempt(ctx, &store.LoginAttempt{Kind: store.AttemptLogin, Email: email, IP: ip, At: now, OK: true}); err != nil {
		return nil, fmt.Errorf("auth: sign in user %d: %w", u.ID, err)
	}
	a.record(ctx, u, ip, "user.login", "user", u.ID, "signed in")
	return u, nil
}

// fail records a failed attempt and returns err.
func (a *Auth) fail(ctx context.Context, email, ip string, now time.Time, err error) error {
	if rerr := a.cfg.Sessions.RecordAttempt(ctx, &store.LoginAttempt{Kind: store.AttemptLogin, Email: email, IP: ip, At: now}); rerr != nil {
		return fmt.Errorf("auth: record failed sign-in: %w", rerr)
	}
	return err
}

// throttle refuses when email has maxEmail or ip has maxIP attempts of kind
// within window. The wait it reports is until enough of them age out.
func (a *Auth) throttle(ctx context.Context, kind, email, ip string, now time.Time, maxEmail, maxIP int, window time.Duration, failures bool, format string) error {
	// An attempt exactly window ago has aged out.
	since := now.Add(-window + time.Nanosecond)
	var until time.Time
	check := func(f store.AttemptFilter, limit int) error {
		ts, err := a.cfg.Sessions.FindAttemptTimes(ctx, f)
		if err != nil {
			return fmt.Errorf("auth: throttle %s: %w", kind, err)
		}
		if len(ts) >= limit {
			if t := ts[len(ts)-limit].Add(window); t.After(until) {
				until = t
			}
		}
		return nil
	}
	if email != "" {
		if err := check(store.AttemptFilter{Kind: kind, Email: email, Since: since, FailuresOnly: failures, AfterSuccess: failures}, maxEmail); err != nil {
			return err
		}
	}
	if ip != "" {
		if err := check(store.AttemptFilter{Kind: kind, IP: ip, Since: since, FailuresOnly: failures}, maxIP); err != nil {
			return err
		}
	}
	if until.IsZero() {
		return nil
	}
	return content.Errorf(content.EFORBIDDEN, format, minutes(until.Sub(now)))
}

// minutes says d rounded up to whole minutes, at least one.
func minutes(d time.Duration) string {
	n := max(1, int(math.Ceil(d.Minutes())))
	if n == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", n)
}

func (a *Auth) validTOTP(code, secret string) bool {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	ok, err := totp.ValidateCustom(code, secret, a.now(), totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	return err == nil && ok
}
