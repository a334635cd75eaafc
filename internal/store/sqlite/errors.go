package sqlite

import (
	"database/sql"
	"errors"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"folio/internal/content"
)

// errorCode returns the extended SQLite result code of err, or 0 when err
// does not come from the driver. The driver enables extended codes, so a
// unique violation reads 2067, not the bare SQLITE_CONSTRAINT.
func errorCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return 0
}

// isUnique reports a UNIQUE or PRIMARY KEY violation: both mean "this key is taken".
func isUnique(err error) bool {
	switch errorCode(err) {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return true
	}
	return false
}

// isForeignKey reports a reference to a missing row.
func isForeignKey(err error) bool {
	return errorCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// conflict returns a conflict error for field with a message safe to show.
func conflict(field, format string, args ...any) error {
	e := content.Errorf(content.ECONFLICT, format, args...)
	e.Fields = map[string]string{field: e.Message}
	return e
}

// mapError turns driver errors that callers can act on into content errors
// and leaves the rest for wrapping. Callers that know which key was violated
// check isUnique themselves first, so their message can name the value.
func mapError(err error, notFound func() error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows) && notFound != nil:
		return notFound()
	case isUnique(err):
		return content.Errorf(content.ECONFLICT, "the record conflicts with an existing one")
	case isForeignKey(err):
		return content.Errorf(content.EINVALID, "the record refers to something that does not exist")
	}
	return err
}
