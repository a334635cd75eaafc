package postgres_test

import (
	"context"
	"sync"
	"testing"

	"folio/internal/store/postgres"
	"folio/internal/testutil"
)

// TestMigrate_NodesTogether: several nodes opening an empty database at
// once all succeed and leave one schema, each migration applied once.
func TestMigrate_NodesTogether(t *testing.T) {
	url := testutil.PostgresDatabase(t, "")
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			db, err := postgres.Open(ctx, url)
			if err == nil {
				err = db.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var applied, distinct int
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0`).
		Scan(&applied, &distinct); err != nil {
		t.Fatal(err)
	}
	if applied != distinct || applied < 10 {
		t.Fatalf("goose recorded %d applications of %d migrations, want each once (at least 10)", applied, distinct)
	}
}
