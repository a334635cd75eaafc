package store

import "context"

// TOTPStepStore remembers the last authenticator time step each user used,
// so that a one-time code is accepted once. It is apart from UserStore so
// that only auth depends on it.
type TOTPStepStore interface {
	// AcceptTOTPStep records step as user userID's last used TOTP time step
	// when it is later than the one recorded, atomically, and reports
	// whether it was. false (and no error) means the step was at or before
	// the last one: a replayed code. Errors: not_found when there is no
	// such user.
	AcceptTOTPStep(ctx context.Context, userID, step int64) (bool, error)
}
