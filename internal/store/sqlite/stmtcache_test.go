package sqlite

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestStmtCache_PreparesOffTheTransaction checks that every connection of
// the pool can sit in a read transaction whose queries are new to the cache
// without the pool deadlocking, and that the statements are then served
// prepared.
func TestStmtCache_PreparesOffTheTransaction(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "folio.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const q = `SELECT COUNT(*) FROM articles WHERE id > ?`
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, maxOpenConns)
	for i := 0; i < maxOpenConns; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tx, err := db.beginRead(ctx)
			if err != nil {
				errs <- err
				return
			}
			defer tx.rollback()
			<-start // every connection is now held by a transaction
			var n int
			errs <- tx.QueryRowContext(ctx, q, 0).Scan(&n)
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("query in a full pool: %v", err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for db.prep.get(q) == nil {
		if time.Now().After(deadline) {
			t.Fatal("the query was never prepared")
		}
		time.Sleep(5 * time.Millisecond)
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.rollback()
	if tx.shared(ctx, q) == nil {
		t.Fatal("a transaction does not get the prepared statement")
	}
	var n int
	if err := tx.QueryRowContext(ctx, q, 0).Scan(&n); err != nil || n != 0 {
		t.Fatalf("prepared query: n=%d err=%v", n, err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM no_such_table`).Scan(&n); err == nil {
		t.Fatal("a query on a missing table succeeded")
	}
}
