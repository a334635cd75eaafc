package store

import (
	"context"
	"time"
)

// Member is a reader with an account. Email is stored in lower case and is
// shown only to the member and to staff.
type Member struct {
	ID          int64    `json:"id"`
	Email       string   `json:"email"`
	Name        string   `json:"name"`
	Languages   []string `json:"languages"`   // preferred languages, most preferred first
	Status      string   `json:"status"`      // MemberActive or MemberBlocked
	Newsletters []int64  `json:"newsletters"` // IDs of the newsletters subscribed to
	// Tiers are the slugs of the paid tiers the member holds now; the
	// store fills it from the member's active paid memberships.
	Tiers     []string  `json:"tiers,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Member statuses.
const (
	MemberActive  = "active"
	MemberBlocked = "blocked" // may not sign in, comment or receive newsletters
)

// MemberFilter selects members. Zero fields do not filter.
type MemberFilter struct {
	Search       string // substring of the email or name, case-insensitive
	NewsletterID int64  // subscribers of this newsletter
	Language     string // members who listed this language
	Status       string
	Limit        int // 0 means no limit
	Offset       int
}

// MemberSession is a signed-in reader browser. ID is the hex SHA-256 of
// the cookie token.
type MemberSession struct {
	ID         string
	MemberID   int64
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// MagicLink is a mailed sign-in link. Hash is the hex SHA-256 of the secret
// in the link, NonceHash that of the cookie of the browser that asked.
type MagicLink struct {
	Hash      string
	Email     string
	NonceHash string
	Next      string // where to go after signing in
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time
}

// MemberStore persists members, their sessions and sign-in links, and the
// counters of rate limits on reader actions.
type MemberStore interface {
	// CreateMember inserts m and sets ID and times; conflict when the email is taken.
	CreateMember(ctx context.Context, m *Member) error
	// FindMemberByID returns the member with their subscriptions, or not_found.
	FindMemberByID(ctx context.Context, id int64) (*Member, error)
	// FindMemberByEmail returns the member (email compared in lower case), or not_found.
	FindMemberByEmail(ctx context.Context, email string) (*Member, error)
	// FindMembers returns one page of members matching f, newest first, and
	// the total matching f ignoring Limit and Offset.
	FindMembers(ctx context.Context, f MemberFilter) ([]*Member, int, error)
	// UpdateMember stores m's name, languages and status, replaces their
	// subscriptions with m.Newsletters and sets m.UpdatedAt; not_found,
	// invalid for an unknown newsletter.
	UpdateMember(ctx context.Context, m *Member) error
	// DeleteMember removes the member, their sessions, subscriptions,
	// recipient records and comments, and returns the IDs of the articles
	// that had comments of theirs; not_found when missing.
	DeleteMember(ctx context.Context, id int64) ([]int64, error)

	// CreateMemberSession inserts s; conflict when the ID exists.
	CreateMemberSession(ctx context.Context, s *MemberSession) error
	// FindMemberSession returns the session, or not_found; expiry is the caller's policy.
	FindMemberSession(ctx context.Context, id string) (*MemberSession, error)
	// TouchMemberSession sets last_seen_at.
	TouchMemberSession(ctx context.Context, id string, at time.Time) error
	// DeleteMemberSession removes one session; a missing one is not an error.
	DeleteMemberSession(ctx context.Context, id string) error
	// DeleteMemberSessions removes every session of the member.
	DeleteMemberSessions(ctx context.Context, memberID int64) error

	// CreateMagicLink inserts l; conflict when the hash exists.
	CreateMagicLink(ctx context.Context, l *MagicLink) error
	// UseMagicLink marks the unused, unexpired link with hash as used at
	// now and returns it. Missing, used and expired links are all
	// not_found, so callers cannot tell which. A live link whose NonceHash
	// is not nonceHash (opened in another browser) is forbidden and stays
	// usable in the browser that asked for it.
	UseMagicLink(ctx context.Context, hash, nonceHash string, now time.Time) (*MagicLink, error)

	// RecordReaderAttempt counts one action of kind against key at at.
	RecordReaderAttempt(ctx context.Context, kind, key string, at time.Time) error
	// CountReaderAttempts returns how many actions of kind key made since since.
	CountReaderAttempts(ctx context.Context, kind, key string, since time.Time) (int, error)
	// PruneReaders deletes sessions expired before before, links expired
	// or used before it, and attempts older than it.
	PruneReaders(ctx context.Context, before time.Time) error
}

// Comment modes of an article.
const (
	CommentsOpen    = "open"    // anyone; every comment from outside is held
	CommentsMembers = "members" // signed-in members only (the default)
	CommentsClosed  = "closed"  // no new comments; approved ones stay shown
)

// CommentFilter selects comments for moderation. Zero fields do not filter.
type CommentFilter struct {
	ArticleID int64
	MemberID  int64
	Statuses  []string
	Limit     int
	Offset    int
}

// CommentStore persists comments written on the site and their moderation.
type CommentStore interface {
	// CreateComment inserts c (ArticleID, ParentID, MemberID, author,
	// BodyHTML sanitized, Status) and sets ID and CreatedAt; invalid when
	// the article or the parent (which must be on the same article) is missing.
	CreateComment(ctx context.Context, c *Comment) error
	// FindCommentByID returns the comment, or not_found.
	FindCommentByID(ctx context.Context, id int64) (*Comment, error)
	// FindCommentQueue returns one page of comments matching f, newest
	// first, and their total.
	FindCommentQueue(ctx context.Context, f CommentFilter) ([]*Comment, int, error)
	// ApprovedComments returns the approved comments of one article, oldest first.
	ApprovedComments(ctx context.Context, articleID int64) ([]*Comment, error)
	// SetCommentStatus changes the status of one comment; not_found.
	SetCommentStatus(ctx context.Context, id int64, status string) error
	// SetMemberCommentsStatus changes every comment of the member that has
	// status from to to, and returns the IDs of their articles.
	SetMemberCommentsStatus(ctx context.Context, memberID int64, from, to string) ([]int64, error)
	// CountApprovedComments returns the number of approved comments of each
	// of the articles that has any.
	CountApprovedComments(ctx context.Context, articleIDs []int64) (map[int64]int, error)
	// CountMemberComments returns how many comments of the member have status.
	CountMemberComments(ctx context.Context, memberID int64, status string) (int, error)
	// CommentMode returns the article's comment mode (CommentsMembers unless set).
	CommentMode(ctx context.Context, articleID int64) (string, error)
	// SetCommentMode stores the article's comment mode.
	SetCommentMode(ctx context.Context, articleID int64, mode string) error
}

// Newsletter is a list members subscribe to.
type Newsletter struct {
	ID          int64  `json:"id"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Language    string `json:"language"` // "" for every language
	// Schedule makes the newsletter a digest: "weekly:fri" (mon … sun)
	// gathers the week's articles and sends them that day; "" for a
	// newsletter editors send articles to one by one.
	Schedule    string    `json:"schedule"`
	CreatedAt   time.Time `json:"created_at"`
	Subscribers int       `json:"subscribers"` // active members subscribed, when listed
}

// NewsletterSend is one mailing of an article to a newsletter.
type NewsletterSend struct {
	ID           int64
	NewsletterID int64
	ArticleID    int64
	Subject      string
	// ArticleIDs are a digest's articles, newest first (ArticleID is the
	// first); empty for a send of one article. PeriodEnd is the end of the
	// period a digest covers, zero otherwise.
	ArticleIDs []int64
	PeriodEnd  time.Time
	Status     string // SendSending or SendDone
	CreatedBy  int64
	CreatedAt  time.Time
	FinishedAt time.Time
	// Counts by recipient state, filled by FindSend and FindSends.
	Total, Pending, Sending, Sent, Failed int
	// Opened and Clicked count recipients who opened or clicked at least
	// once; zero unless first-party tracking was on (--mail-tracking).
	Opened, Clicked int
}

// Send statuses and recipient states.
const (
	SendSending = "sending"
	SendDone    = "done"

	RecipientPending = "pending"
	RecipientSending = "sending" // handed to the mail server; outcome unknown until marked
	RecipientSent    = "sent"
	RecipientFailed  = "failed"

	// Kinds of tracked event.
	TrackOpen  = "open"
	TrackClick = "click"
)

// Recipient is one address of a send.
type Recipient struct {
	SendID   int64
	MemberID int64
	Email    string
	State    string
	SentAt   time.Time
	// Languages are the member's, first preferred, as the pending list
	// reads them (the message's own words follow them when the newsletter
	// has no language of its own).
	Languages []string
}

// NewsletterStore persists newsletters, subscriptions and sends.
type NewsletterStore interface {
	// CreateNewsletter inserts n; conflict when the slug is taken.
	CreateNewsletter(ctx context.Context, n *Newsletter) error
	// FindNewsletters returns every newsletter by name, with subscriber counts.
	FindNewsletters(ctx context.Context) ([]*Newsletter, error)
	// FindNewsletterByID returns the newsletter, or not_found.
	FindNewsletterByID(ctx context.Context, id int64) (*Newsletter, error)
	// SetSubscription subscribes (on) or unsubscribes the member; both are idempotent.
	SetSubscription(ctx context.Context, memberID, newsletterID int64, on bool) error
	// CreateSend inserts s and, in the same transaction, its recipients:
	// every active subscriber of the newsletter whose address is not
	// suppressed, ordered by member ID. Conflict when a send of the
	// newsletter for s.PeriodEnd exists.
	CreateSend(ctx context.Context, s *NewsletterSend) error
	// MarkTracked records the recipient's first open or click (kind
	// TrackOpen or TrackClick) at at, and reports whether it was the first.
	MarkTracked(ctx context.Context, sendID, memberID int64, kind string, at time.Time) (bool, error)
	// LastPeriodEnd returns the latest PeriodEnd of the newsletter's
	// digests, zero when it has none.
	LastPeriodEnd(ctx context.Context, newsletterID int64) (time.Time, error)
	// FindSend returns the send with its counts, or not_found.
	FindSend(ctx context.Context, id int64) (*NewsletterSend, error)
	// FindSends returns the sends of an article (all when 0), newest first.
	FindSends(ctx context.Context, articleID int64) ([]*NewsletterSend, error)
	// UnfinishedSends returns the IDs of sends not done.
	UnfinishedSends(ctx context.Context) ([]int64, error)
	// PendingRecipients returns up to limit pending recipients of the send
	// with member ID > after, by member ID.
	PendingRecipients(ctx context.Context, sendID, after int64, limit int) ([]*Recipient, error)
	// ClaimRecipient moves a pending recipient to sending at at and
	// reports whether it did; false means another worker or an earlier run has it.
	ClaimRecipient(ctx context.Context, sendID, memberID int64, at time.Time) (bool, error)
	// MarkRecipient records the outcome (RecipientSent or RecipientFailed) at at.
	MarkRecipient(ctx context.Context, sendID, memberID int64, state, errText string, at time.Time) error
	// FinishSend marks the send done at at when no recipient is pending
	// and none was claimed after inFlightSince (a claim that recent may
	// still be in a worker's hands), and reports whether it is done and,
	// when not, how many such recent claims hold it open.
	FinishSend(ctx context.Context, sendID int64, at, inFlightSince time.Time) (done bool, inFlight int, err error)
}
