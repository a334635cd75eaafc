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
