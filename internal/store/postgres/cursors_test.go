package postgres_test

import (
	"context"
	"testing"

	"folio/internal/content"
	"folio/internal/store/postgres"
	"folio/internal/testutil"
)

// TestEventCursor_NeverMovesBack: nodes save their positions in the change
// log in any order; the saved one is the furthest.
func TestEventCursor_NeverMovesBack(t *testing.T) {
	ctx := context.Background()
	db, err := postgres.Open(ctx, testutil.PostgresDatabase(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.EventCursor(ctx, "webhooks"); content.ErrorCode(err) != content.ENOTFOUND {
		t.Fatalf("unsaved cursor: %v, want not_found", err)
	}
	for _, pos := range []int64{5, 9, 7} {
		if err := db.SaveEventCursor(ctx, "webhooks", pos); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := db.EventCursor(ctx, "webhooks"); err != nil || got != 9 {
		t.Fatalf("cursor %d %v, want 9", got, err)
	}
}
