// Package sqlitetest opens throwaway SQLite stores for tests in other
// packages. It lives apart from sqlite so that sqlite's own tests, and
// storetest, can import it without a cycle.
package sqlitetest

import (
	"context"
	"path/filepath"
	"testing"

	"folio/internal/store/sqlite"
)

// New opens a migrated store in a new file under tb.TempDir and closes it
// when the test ends.
func New(tb testing.TB, opts ...sqlite.Option) *sqlite.DB {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "folio.db")
	db, err := sqlite.Open(context.Background(), path, opts...)
	if err != nil {
		tb.Fatalf("open sqlite store: %v", err)
	}
	// Registered after TempDir's own cleanup, so it runs first: the file is
	// closed before its directory is removed.
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close sqlite store: %v", err)
		}
	})
	return db
}
