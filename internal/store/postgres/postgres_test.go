package postgres_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/store"
	"folio/internal/store/postgres"
	"folio/internal/store/postgres/postgrestest"
	"folio/internal/store/storetest"
	"folio/internal/testutil"
)

// tickingClock returns a clock that starts at start and moves one
// millisecond per reading, so stored times are deterministic and distinct.
func tickingClock(start time.Time) func() time.Time {
	var mu sync.Mutex
	now := start
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Millisecond)
		return now
	}
}

func TestMain(m *testing.M) { os.Exit(testutil.PostgresMain(m)) }

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return postgrestest.New(t, postgres.WithClock(tickingClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))))
	})
}

func TestTranslationStore(t *testing.T) {
	storetest.RunTranslations(t, func(t *testing.T) storetest.TranslationsStore { return postgrestest.New(t) })
}

func TestAccounts(t *testing.T) {
	storetest.RunAccounts(t, func(t *testing.T) storetest.AccountsStore { return postgrestest.New(t) })
}

func TestImportStores(t *testing.T) {
	storetest.RunImports(t, func(t *testing.T) storetest.ImportStores { return postgrestest.New(t) })
}

func TestStoreRealClock(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return postgrestest.New(t) })
}

func TestOpen_Twice(t *testing.T) {
	ctx := context.Background()
	url := postgrestest.URL(t)
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	a := storetest.MustCreateArticle(t, db, &content.Article{Title: "Survives"})
	v1, err := db.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v1 < 1 {
		t.Fatalf("schema version = %d, want at least 1", v1)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = postgres.Open(ctx, url)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate again: %v", err)
	}
	v2, err := db.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v2 != v1 {
		t.Fatalf("schema version %d after reopen, want %d", v2, v1)
	}
	if pending, err := db.Pending(ctx); err != nil || pending {
		t.Fatalf("pending after migrate = %v, %v", pending, err)
	}
	if _, err := db.FindArticleByID(ctx, a.ID); err != nil {
		t.Fatalf("article lost on reopen: %v", err)
	}
}

func TestClock(t *testing.T) {
	at := time.Date(2030, 5, 6, 7, 8, 9, 123456789, time.UTC)
	db := postgrestest.New(t, postgres.WithClock(func() time.Time { return at }))
	a := storetest.MustCreateAuthor(t, db, "Ana")
	got, err := db.FindAuthorByID(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	// timestamptz keeps microseconds: the store rounds its clock to them,
	// so the value in memory after a write equals the one read back.
	want := at.Round(time.Microsecond)
	if !got.CreatedAt.Equal(want) || got.CreatedAt.Location() != time.UTC || !a.CreatedAt.Equal(want) {
		t.Fatalf("CreatedAt = %v (in memory %v), want %v in UTC", got.CreatedAt, a.CreatedAt, want)
	}
}

func TestRevisionStore(t *testing.T) {
	storetest.RunRevisions(t, func(t *testing.T) storetest.RevisionsStore { return postgrestest.New(t) })
}

func TestBatchStore(t *testing.T) {
	storetest.RunBatch(t, func(t *testing.T) storetest.BatchStores { return postgrestest.New(t) })
}

func TestMediaVariantStore(t *testing.T) {
	storetest.RunMediaVariants(t, func(t *testing.T) storetest.MediaVariantsStore { return postgrestest.New(t) })
}

func TestTOTPStepStore(t *testing.T) {
	storetest.RunTOTPSteps(t, func(t *testing.T) storetest.TOTPStepsStore { return postgrestest.New(t) })
}

func TestReaderStores(t *testing.T) {
	storetest.RunReaders(t, func(t *testing.T) storetest.ReadersStore { return postgrestest.New(t) })
}

func TestSyndicationStores(t *testing.T) {
	storetest.RunSyndication(t, func(t *testing.T) storetest.SyndicationStores { return postgrestest.New(t) })
}
