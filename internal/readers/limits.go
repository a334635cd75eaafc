package readers

import (
	"context"
	"fmt"
	"time"

	"folio/internal/content"
)

// ETOOMANY is the error code of a refused rate limit (HTTP 429).
const ETOOMANY = "too_many_requests"

// Limit allows Max actions per Window.
type Limit struct {
	Max    int
	Window time.Duration
}

// Limits are the rate limits of anonymous and mail-sending reader actions.
type Limits struct {
	SigninPerIP, SigninPerAddress  Limit
	CommentPerMember, CommentPerIP Limit
	ForwardPerIP, SubscribePerIP   Limit
	// ContactPerIP bounds messages to the desk from one network,
	// ContactPerSite from everyone together.
	ContactPerIP, ContactPerSite Limit
}

// DefaultLimits keep a flood from mailing anyone much or filling the
// moderation queue, and stay out of a real reader's way.
var DefaultLimits = Limits{
	SigninPerIP:      Limit{Max: 10, Window: time.Hour},
	SigninPerAddress: Limit{Max: 3, Window: time.Hour},
	CommentPerMember: Limit{Max: 5, Window: 10 * time.Minute},
	CommentPerIP:     Limit{Max: 10, Window: 10 * time.Minute},
	ForwardPerIP:     Limit{Max: 5, Window: time.Hour},
	SubscribePerIP:   Limit{Max: 30, Window: time.Hour},
	ContactPerIP:     Limit{Max: 5, Window: time.Hour},
	ContactPerSite:   Limit{Max: 100, Window: time.Hour},
}

// check refuses when key made l.Max actions of kind within l.Window, and
// otherwise counts this one. Keys that would identify a person outside the
// database (addresses) are hashed by the caller.
func (h *Readers) check(ctx context.Context, kind, key string, l Limit) error {
	now := h.now().UTC()
	n, err := h.st.CountReaderAttempts(ctx, kind, key, now.Add(-l.Window))
	if err != nil {
		return fmt.Errorf("readers: rate limit %s: %w", kind, err)
	}
	if n >= l.Max {
		loc := h.loc(ctx)
		e := &content.Error{Code: ETOOMANY, Message: loc.T("members.error.too_many", "minutes", loc.Number(int((l.Window+time.Minute-1)/time.Minute)))}
		return &localError{e: e}
	}
	if err := h.st.RecordReaderAttempt(ctx, kind, key, now); err != nil {
		return fmt.Errorf("readers: rate limit %s: %w", kind, err)
	}
	return nil
}
