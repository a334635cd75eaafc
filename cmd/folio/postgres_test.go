package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"folio/internal/store/postgres/postgrestest"
	"folio/internal/testutil"
)

// TestDemoSite_Crawl_Postgres serves the demo from PostgreSQL, created in
// an empty database by serve itself, and walks it as the SQLite crawl does.
func TestDemoSite_Crawl_Postgres(t *testing.T) {
	url := testutil.PostgresDatabase(t, "")
	crawlDemo(t, startServer(t, t.TempDir(), "--database", url, "--demo"))
}

// TestMigrate_Postgres: folio migrate reports the schema version of the
// PostgreSQL database, and token create writes there.
func TestMigrate_Postgres(t *testing.T) {
	url := postgrestest.URL(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate", "--database", url}, env(nil), &out, io.Discard); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if !strings.Contains(out.String(), "schema version") {
		t.Fatalf("migrate printed %q", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"token", "create", "--name", "ci"}, env(map[string]string{"FOLIO_DATABASE_URL": url}), &out, io.Discard); err != nil {
		t.Fatalf("token create: %v", err)
	}
	if !strings.HasPrefix(out.String(), "folio_") {
		t.Fatalf("token %q", out.String())
	}
}
