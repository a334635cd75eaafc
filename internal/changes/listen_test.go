package changes_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"folio/internal/cache/key"
	"folio/internal/changes"
	"folio/internal/store/postgres"
	"folio/internal/store/postgres/postgrestest"
	"folio/internal/testutil"
)

func TestMain(m *testing.M) { os.Exit(testutil.PostgresMain(m)) }

// openNode opens a store of its own on url, as a second node would.
func openNode(t *testing.T, url string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// waitFor polls cond for up to five seconds. The relays under test poll
// the log once an hour, so only an announcement can satisfy it in time.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5 s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestRelay_Listening: an event published on node A reaches node B's
// subscribers through NOTIFY, without waiting for a poll.
func TestRelay_Listening(t *testing.T) {
	url := postgrestest.URL(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dbA, dbB := openNode(t, url), openNode(t, url)
	var got sink
	a := changes.New(dbA, log)
	b := changes.New(dbB, log, got.add)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	listening := make(chan struct{})
	var once sync.Once
	go func() {
		done <- b.RunListening(ctx, func(ctx context.Context, announce func(int64)) error {
			return dbB.ListenChanges(ctx, func(id int64) {
				announce(id)
				once.Do(func() { close(listening) })
			}, nil)
		}, time.Hour)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("RunListening: %v", err)
		}
	})
	<-listening
	a.Publish(key.Event{Keys: []string{"article:7"}, Changes: []key.Change{{Entity: key.EntityArticle, ID: 7, Op: key.OpPublish}}})
	waitFor(t, "node B hears node A's event", func() bool { return got.has("article:7") })
}

// TestRelay_CatchUpAfterReconnect: an event written while node B's
// listening connection is down (so its NOTIFY is lost) reaches B through
// the catch-up that follows the reconnection.
func TestRelay_CatchUpAfterReconnect(t *testing.T) {
	url := postgrestest.URL(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dbA, dbB := openNode(t, url), openNode(t, url)
	var got sink
	a := changes.New(dbA, log)
	b := changes.New(dbB, log, got.add)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	listening := make(chan struct{}, 8)
	var once sync.Once
	go func() {
		done <- b.RunListening(ctx, func(ctx context.Context, announce func(int64)) error {
			return dbB.ListenChanges(ctx, func(id int64) {
				announce(id)
				if id == 0 {
					listening <- struct{}{}
				}
			}, func(error) {
				// B's connection has just broken and B is not listening:
				// A's event is published into the gap.
				once.Do(func() { a.Publish(key.Event{Keys: []string{"article:8"}}) })
			})
		}, time.Hour)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("RunListening: %v", err)
		}
	})
	<-listening
	// Cut B's listening connection as a network failure or a database
	// restart would.
	var n int
	if err := dbA.SQL().QueryRowContext(context.Background(), `SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query = 'LISTEN `+postgres.ChangeChannel+`'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("terminated %d listening connections (%v), want 1", n, err)
	}
	waitFor(t, "node B catches up after reconnecting", func() bool { return got.has("article:8") })
}
