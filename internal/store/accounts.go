package store

import (
	"context"
	"time"

	"folio/internal/content"
)

// UserStore persists staff accounts.
type UserStore interface {
	// CreateUser inserts u, which must be valid, and sets its ID, CreatedAt
	// and UpdatedAt; conflict when the email is taken, invalid when AuthorID
	// names no author.
	CreateUser(ctx context.Context, u *content.User) error
	// FindUserByID returns the user, or not_found.
	FindUserByID(ctx context.Context, id int64) (*content.User, error)
	// FindUserByEmail returns the user with email (compared case-insensitively), or not_found.
	FindUserByEmail(ctx context.Context, email string) (*content.User, error)
	// FindUsers returns every user ordered by email.
	FindUsers(ctx context.Context) ([]*content.User, error)
	// UpdateUser replaces every stored field of u.ID with u's and sets
	// u.UpdatedAt; not_found, conflict on email, invalid on AuthorID.
	UpdateUser(ctx context.Context, u *content.User) error
}

// Session is a signed-in browser. ID is the hex SHA-256 of the cookie
// token, so a leaked database does not leak live sessions.
type Session struct {
	ID         string
	UserID     int64
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute end, whatever the activity
	IP         string
	UserAgent  string
	TOTPOK     bool // the second factor was checked when the session began
}

// LoginAttempt is one sign-in (Kind "login") or password-reset request
// (Kind "reset"), kept for throttling.
type LoginAttempt struct {
	Kind  string // AttemptLogin or AttemptReset
	Email string
	IP    string
	At    time.Time
	OK    bool
}

// Attempt kinds.
const (
	AttemptLogin = "login"
	AttemptReset = "reset"
)

// AttemptFilter selects login attempts for FindAttemptTimes. Email, IP or
// both are set; both select the attempts of that email from that address.
type AttemptFilter struct {
	Kind         string
	Email        string
	IP           string
	Since        time.Time
	FailuresOnly bool
	// AfterSuccess ignores attempts older than the newest successful one
	// of the same email, so signing in clears earlier failures.
	AfterSuccess bool
}

// OneTimeToken is a single-use secret mailed to a user: a password reset
// or an invitation. Hash is the hex SHA-256 of the secret.
type OneTimeToken struct {
	ID        int64
	Purpose   string // TokenReset, TokenInvite or TokenUnlock
	Hash      string
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time // zero until used
}

// One-time token purposes.
const (
	TokenReset  = "reset"
	TokenInvite = "invite"
	// TokenUnlock lifts a sign-in lock on the account; it is mailed when
	// failures for the email reach the per-email limit.
	TokenUnlock = "unlock"
)

// SessionStore persists sessions, login attempts and one-time tokens.
type SessionStore interface {
	// CreateSession inserts s; conflict when the ID exists.
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns the session with id, or not_found. It does not
	// check expiry: that is the caller's policy.
	FindSession(ctx context.Context, id string) (*Session, error)
	// TouchSession sets the session's last_seen_at; not_found when gone.
	TouchSession(ctx context.Context, id string, at time.Time) error
	// DeleteSession removes the session; deleting a missing one is not an error.
	DeleteSession(ctx context.Context, id string) error
	// DeleteUserSessions removes every session of the user, except keep
	// when it is not empty, and returns how many went.
	DeleteUserSessions(ctx context.Context, userID int64, keep string) (int, error)

	// RecordAttempt stores a.
	RecordAttempt(ctx context.Context, a *LoginAttempt) error
	// FindAttemptTimes returns the times of the attempts matching f, oldest first.
	FindAttemptTimes(ctx context.Context, f AttemptFilter) ([]time.Time, error)

	// CreateOneTimeToken inserts t and sets its ID and CreatedAt; conflict
	// when the hash exists, invalid when the user does not.
	CreateOneTimeToken(ctx context.Context, t *OneTimeToken) error
	// UseOneTimeToken marks the unused, unexpired token of purpose with
	// hash as used at now and returns it. A missing, used or expired token
	// is not_found, so callers cannot tell which.
	UseOneTimeToken(ctx context.Context, purpose, hash string, now time.Time) (*OneTimeToken, error)
	// RevokeOneTimeTokens marks every unused token of the user for purpose
	// as used at now.
	RevokeOneTimeTokens(ctx context.Context, userID int64, purpose string, now time.Time) error

	// PruneAccounts deletes sessions expired before, attempts older than
	// before, and tokens that expired or were used before.
	PruneAccounts(ctx context.Context, before time.Time) error
}

// AuditEntry is one line of the audit log: who did what to which item.
type AuditEntry struct {
	ID       int64
	At       time.Time
	UserID   int64  // 0 for the system or a deleted user
	Actor    string // label kept when the user is gone: email, "cli", "api token 3"
	Action   string // e.g. "article.publish", "user.invite", "login"
	ItemKind string // "article", "user", ... or "" for none
	ItemID   int64
	Summary  string
	IP       string
}

// AuditFilter selects audit entries. Zero fields do not filter.
type AuditFilter struct {
	UserID   int64
	Action   string
	ItemKind string
	ItemID   int64
	Limit    int // 0 means no limit
	Offset   int
}

// AuditStore persists the audit log.
type AuditStore interface {
	// RecordAudit inserts e and sets its ID, and At when zero.
	RecordAudit(ctx context.Context, e *AuditEntry) error
	// FindAudit returns one page of entries matching f, newest first, and
	// the total matching f ignoring Limit and Offset.
	FindAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, int, error)
}
