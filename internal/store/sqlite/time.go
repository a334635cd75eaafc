package sqlite

import (
	"database/sql"
	"fmt"
	"time"
)

// timeLayout is RFC 3339 with a fixed nine-digit fraction. time.RFC3339Nano
// drops trailing zeros, which would make text order differ from time order
// ("…:05Z" sorts after "…:05.5Z"); the listing order and the keyset cursor
// compare these strings directly.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// formatTime returns t in UTC in the stored layout.
func formatTime(t time.Time) string {
	return t.UTC().Format(timeLayout)
}

// nullTime stores the zero time as NULL, so "never" is not year 1.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

// timeDst returns a scanner that fills *t from a stored time. NULL gives the
// zero time; anything unparsable is an error rather than a silent zero.
func timeDst(t *time.Time) *timeScanner { return &timeScanner{t: t} }

type timeScanner struct{ t *time.Time }

// Scan implements sql.Scanner.
func (s *timeScanner) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s.t = time.Time{}
		return nil
	case string:
		return s.parse(v)
	case []byte:
		return s.parse(string(v))
	case time.Time:
		*s.t = v.UTC()
		return nil
	}
	return fmt.Errorf("stored time has type %T, want text", src)
}

func (s *timeScanner) parse(v string) error {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return fmt.Errorf("stored time %q is not RFC 3339: %w", v, err)
	}
	*s.t = t.UTC()
	return nil
}

var _ sql.Scanner = (*timeScanner)(nil)
