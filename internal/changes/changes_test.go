package changes_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"folio/internal/cache/key"
	"folio/internal/changes"
	"folio/internal/store/sqlite/sqlitetest"
)

type sink struct {
	mu      sync.Mutex
	deps    []string
	changes []key.Change
}

func (s *sink) add(ev key.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deps = append(s.deps, ev.Keys...)
	s.changes = append(s.changes, ev.Changes...)
}

func (s *sink) has(d string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Contains(s.deps, d)
}

// Two relays on one database stand for two processes: a change noted by one
// reaches the other's cache through the log, and not its own twice.
func TestRelay_AcrossProcesses(t *testing.T) {
	db := sqlitetest.New(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var server, importer sink
	srv := changes.New(db, log, server.add)
	imp := changes.New(db, log, importer.add)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	imp.Publish(key.Event{Keys: []string{"before-start"}})
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, 10*time.Millisecond) }()
	time.Sleep(50 * time.Millisecond)

	imp.Publish(key.Event{Keys: []string{"article:1", "list:lang:en"},
		Changes: []key.Change{{Entity: key.EntityArticle, ID: 1, Op: key.OpPublish}}})
	srv.Publish(key.Event{Keys: []string{"article:2"}})
	deadline := time.Now().Add(5 * time.Second)
	for !server.has("article:1") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !server.has("article:1") || !server.has("list:lang:en") {
		t.Fatalf("server did not receive the importer's change: %v", server.deps)
	}
	server.mu.Lock()
	gotChange := slices.Contains(server.changes, key.Change{Entity: key.EntityArticle, ID: 1, Op: key.OpPublish})
	server.mu.Unlock()
	if !gotChange {
		t.Fatalf("server did not receive the importer's changed entities: %v", server.changes)
	}
	if server.has("before-start") {
		t.Fatal("server applied an event from before it started")
	}
	server.mu.Lock()
	n := 0
	for _, d := range server.deps {
		if d == "article:2" {
			n++
		}
	}
	server.mu.Unlock()
	if n != 1 {
		t.Fatalf("own change applied %d times, want once", n)
	}
	if !importer.has("article:1") {
		t.Fatal("local hook not called")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := db.PruneEvents(context.Background(), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if id, _ := db.LastEventID(context.Background()); id == 0 {
		t.Fatal("ids restart after a prune")
	}
}

// TestRelay_PrunesAfterHold: the log keeps events for Keep (a week), so a
// consumer that resumes from a saved position (webhooks) finds what was
// written days ago; older events go.
func TestRelay_PrunesAfterHold(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.New(t)
	now := time.Now().UTC()
	for _, age := range []time.Duration{changes.Keep + time.Hour, 2 * 24 * time.Hour, time.Minute} {
		ev := key.Event{Origin: "other", At: now.Add(-age), Keys: []string{"article:1"}}
		if err := db.AppendEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	r := changes.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	rctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if err := r.Run(rctx, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	evs, err := db.EventsAfter(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var ages []time.Duration
	for _, e := range evs {
		ages = append(ages, now.Sub(e.At).Round(time.Hour))
	}
	if len(evs) != 2 || evs[0].ID != 2 {
		t.Fatalf("after pruning the log holds events aged %v; want the 2-day and 1-minute ones", ages)
	}
}
