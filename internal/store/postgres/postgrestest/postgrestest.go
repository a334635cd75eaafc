// Package postgrestest opens throwaway PostgreSQL stores for tests: each
// gets a database of its own, copied from a migrated template, on the test
// binary's cluster (see testutil.PostgresAdminURL). Packages using it call
// testutil.PostgresMain from TestMain.
package postgrestest

import (
	"context"
	"testing"

	"folio/internal/store/postgres"
	"folio/internal/testutil"
)

// URL returns the URL of a fresh, migrated database that is dropped when
// the test ends.
func URL(tb testing.TB) string {
	tb.Helper()
	tmpl := testutil.PostgresTemplate(tb, "migrated", func(url string) error {
		db, err := postgres.Open(context.Background(), url)
		if err != nil {
			return err
		}
		return db.Close()
	})
	return testutil.PostgresDatabase(tb, tmpl)
}

// New opens a store on a fresh, migrated database and closes it when the
// test ends.
func New(tb testing.TB, opts ...postgres.Option) *postgres.DB {
	tb.Helper()
	url := URL(tb)
	db, err := postgres.Open(context.Background(), url, opts...)
	if err != nil {
		tb.Fatalf("open postgres store: %v", err)
	}
	// Registered after the database's drop, so it runs first.
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close postgres store: %v", err)
		}
	})
	return db
}
