package changes_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"folio/internal/changes"
	"folio/internal/store/sqlite/sqlitetest"
)

type sink struct {
	mu   sync.Mutex
	deps []string
}

func (s *sink) add(d ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deps = append(s.deps, d...)
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
	srv := changes.New(db, server.add, log)
	imp := changes.New(db, importer.add, log)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	imp.Notify("before-start")
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, 10*time.Millisecond) }()
	time.Sleep(50 * time.Millisecond)

	imp.Notify("article:1", "list:lang:en")
	srv.Notify("article:2")
	deadline := time.Now().Add(5 * time.Second)
	for !server.has("article:1") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !server.has("article:1") || !server.has("list:lang:en") {
		t.Fatalf("server did not receive the importer's change: %v", server.deps)
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
