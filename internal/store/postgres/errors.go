package postgres

import (
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"

	"folio/internal/content"
)

// SQLSTATE codes the store acts on.
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
)

// errorCode returns the SQLSTATE of err, or "" when err does not come
// from the server.
func errorCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// isUnique reports a UNIQUE or PRIMARY KEY violation.
func isUnique(err error) bool { return errorCode(err) == codeUniqueViolation }

// isForeignKey reports a reference to a missing row.
func isForeignKey(err error) bool { return errorCode(err) == codeForeignKeyViolation }

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

// redactedError keeps a connection error's kind but not its text, which
// for a malformed URL may quote the password.
type redactedError struct{ err error }

func (e redactedError) Error() string { return "connection settings rejected" }
func (e redactedError) Unwrap() error { return e.err }

func redact(err error) error { return redactedError{err} }
