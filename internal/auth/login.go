package auth

import (
	"context"
	"crypto/subtle"
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
// failed sign-ins. Try again in N minutes." after MaxPairFailures for the
// email from ip or MaxIPFailures from ip within ThrottleWindow, or
// MaxEmailFailures for the email from anywhere within EmailThrottleWindow
// (see throttleLogin); with unauthorized
// for a wrong email, password or code (one message for all, so accounts
// cannot be enumerated); and with unauthorized and a "totp" field when the
// user has a second factor and totpCode is empty (see NeedsTOTP).
func (a *Auth) Authenticate(ctx context.Context, email, password, totpCode, ip string) (*content.User, error) {
	a.prune(ctx)
	email = strings.ToLower(strings.TrimSpace(email))
	now := a.now()
	if err := a.throttleLogin(ctx, email, ip, now); err != nil {
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
		ok, err := a.acceptTOTP(ctx, u, totpCode, u.TOTPSecret)
		if err != nil {
			return nil, err
		}
		if !ok {
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

// fail records a failed attempt and returns err. The failure that brings
// the email to MaxEmailFailures mails the account's owner an unlock link.
func (a *Auth) fail(ctx context.Context, email, ip string, now time.Time, err error) error {
	if rerr := a.cfg.Sessions.RecordAttempt(ctx, &store.LoginAttempt{Kind: store.AttemptLogin, Email: email, IP: ip, At: now}); rerr != nil {
		return fmt.Errorf("auth: record failed sign-in: %w", rerr)
	}
	if email == "" {
		return err
	}
	n, rerr := a.attempts(ctx, store.AttemptFilter{Kind: store.AttemptLogin, Email: email, FailuresOnly: true, AfterSuccess: true},
		now, EmailThrottleWindow)
	if rerr != nil {
		return rerr
	}
	if len(n) == MaxEmailFailures {
		a.sendUnlock(ctx, email, ip)
	}
	return err
}

// throttleLogin refuses a sign-in while the email from ip, ip alone or the
// email from anywhere has too many recent failures. A success (or an
// unlock) clears the failures of its email before it.
func (a *Auth) throttleLogin(ctx context.Context, email, ip string, now time.Time) error {
	var until time.Time
	check := func(f store.AttemptFilter, limit int, window time.Duration) error {
		f.Kind, f.FailuresOnly = store.AttemptLogin, true
		f.AfterSuccess = f.Email != ""
		t, err := a.lockedUntil(ctx, f, limit, now, window)
		if t.After(until) {
			until = t
		}
		return err
	}
	if email != "" {
		if ip != "" {
			if err := check(store.AttemptFilter{Email: email, IP: ip}, MaxPairFailures, ThrottleWindow); err != nil {
				return err
			}
		}
		if err := check(store.AttemptFilter{Email: email}, MaxEmailFailures, EmailThrottleWindow); err != nil {
			return err
		}
	}
	if ip != "" {
		if err := check(store.AttemptFilter{IP: ip}, MaxIPFailures, ThrottleWindow); err != nil {
			return err
		}
	}
	if until.IsZero() {
		return nil
	}
	return content.Errorf(content.EFORBIDDEN, "Too many failed sign-ins. Try again in %s.", minutes(until.Sub(now)))
}

// throttle refuses when email has maxEmail or ip has maxIP attempts of kind
// within window. The wait it reports is until enough of them age out.
func (a *Auth) throttle(ctx context.Context, kind, email, ip string, now time.Time, maxEmail, maxIP int, window time.Duration, failures bool, format string) error {
	var until time.Time
	check := func(f store.AttemptFilter, limit int) error {
		t, err := a.lockedUntil(ctx, f, limit, now, window)
		if t.After(until) {
			until = t
		}
		return err
	}
	if email != "" {
		if err := check(store.AttemptFilter{Kind: kind, Email: email, FailuresOnly: failures, AfterSuccess: failures}, maxEmail); err != nil {
			return err
		}
	}
	if ip != "" {
		if err := check(store.AttemptFilter{Kind: kind, IP: ip, FailuresOnly: failures}, maxIP); err != nil {
			return err
		}
	}
	if until.IsZero() {
		return nil
	}
	return content.Errorf(content.EFORBIDDEN, format, minutes(until.Sub(now)))
}

// attempts returns the times of the attempts matching f within window
// before now, oldest first.
func (a *Auth) attempts(ctx context.Context, f store.AttemptFilter, now time.Time, window time.Duration) ([]time.Time, error) {
	// An attempt exactly window ago has aged out.
	f.Since = now.Add(-window + time.Nanosecond)
	ts, err := a.cfg.Sessions.FindAttemptTimes(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("auth: throttle %s: %w", f.Kind, err)
	}
	return ts, nil
}

// lockedUntil returns when enough of the attempts matching f age out of
// window to fall below limit; zero when they are below it now.
func (a *Auth) lockedUntil(ctx context.Context, f store.AttemptFilter, limit int, now time.Time, window time.Duration) (time.Time, error) {
	ts, err := a.attempts(ctx, f, now, window)
	if err != nil || len(ts) < limit {
		return time.Time{}, err
	}
	return ts[len(ts)-limit].Add(window), nil
}

// minutes says d rounded up to whole minutes, at least one.
func minutes(d time.Duration) string {
	n := max(1, int(math.Ceil(d.Minutes())))
	if n == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", n)
}

// totpPeriod and totpSkew: 30-second codes, one step either side accepted
// for clock drift (RFC 6238's recommendation).
const (
	totpPeriod = 30
	totpSkew   = 1
)

// matchTOTP returns the time step whose code for secret equals code, or
// false when none within the skew does.
func (a *Auth) matchTOTP(code, secret string) (int64, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != int(otp.DigitsSix) {
		return 0, false
	}
	now := a.now()
	step := now.Unix() / totpPeriod
	opts := totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	// Later steps first, so a code valid for two steps (a collision) burns
	// the later one.
	for d := int64(totpSkew); d >= -totpSkew; d-- {
		want, err := totp.GenerateCodeCustom(secret, time.Unix((step+d)*totpPeriod, 0), opts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step + d, true
		}
	}
	return 0, false
}

// acceptTOTP reports whether code is current for secret and newer than the
// last code u used: each code works once, so one seen over a shoulder or
// replayed from a captured form is refused.
func (a *Auth) acceptTOTP(ctx context.Context, u *content.User, code, secret string) (bool, error) {
	step, ok := a.matchTOTP(code, secret)
	if !ok {
		return false, nil
	}
	steps := a.cfg.TOTPSteps
	if steps == nil {
		return true, nil
	}
	ok, err := steps.AcceptTOTPStep(ctx, u.ID, step)
	if err != nil {
		return false, fmt.Errorf("auth: record totp step of user %d: %w", u.ID, err)
	}
	return ok, nil
}
