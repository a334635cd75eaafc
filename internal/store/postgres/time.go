package postgres

import (
	"database/sql"
	"fmt"
	"time"
)

// dbTime returns t in UTC rounded to the microsecond, the precision of
// timestamptz, so a time kept in memory equals the one read back.
func dbTime(t time.Time) time.Time {
	return t.UTC().Round(time.Microsecond)
}

// nullTime stores the zero time as NULL, so "never" is not year 1.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return dbTime(t)
}

// timeDst returns a scanner that fills *t from a timestamptz; NULL gives
// the zero time.
func timeDst(t *time.Time) *timeScanner { return &timeScanner{t: t} }

type timeScanner struct{ t *time.Time }

// Scan implements sql.Scanner.
func (s *timeScanner) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s.t = time.Time{}
		return nil
	case time.Time:
		*s.t = v.UTC()
		return nil
	}
	return fmt.Errorf("stored time has type %T, want timestamptz", src)
}

var _ sql.Scanner = (*timeScanner)(nil)
