package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/store/postgres"
	"folio/internal/testutil"
)

// TestTwoNodes_ScheduledPublishedOnce: two nodes on one PostgreSQL both run
// the scheduler each second. An article scheduled through A goes live once
// (one publishing revision, one publish in the change log), and both nodes
// serve it on their home pages.
func TestTwoNodes_ScheduledPublishedOnce(t *testing.T) {
	url := testutil.PostgresDatabase(t, "")
	nodeA := startServer(t, t.TempDir(), "--database", url, "--demo")
	nodeB := startServer(t, t.TempDir(), "--database", url)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"token", "create", "--name", "test", "--database", url}, env(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(out.String())
	const title = "Embargoed on two nodes"
	var art struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	}
	apiDo(t, nodeA, token, "POST", "/api/v1/articles", map[string]any{"language": "en", "title": title, "body_markdown": "Held."}, &art)
	for _, n := range []*testServer{nodeA, nodeB} {
		if _, home := n.get(t, "/"); bytes.Contains(home, []byte(title)) {
			t.Fatal("draft on a home page")
		}
	}
	at := time.Now().Add(2 * time.Second).UTC().Format(time.RFC3339)
	apiDo(t, nodeA, token, "POST", fmt.Sprintf("/api/v1/articles/%d/publish", art.ID), map[string]any{"at": at}, &art)
	if art.Status != "scheduled" {
		t.Fatalf("status %q after scheduling", art.Status)
	}
	for deadline := time.Now().Add(15 * time.Second); ; {
		_, homeA := nodeA.get(t, "/")
		_, homeB := nodeB.get(t, "/")
		if bytes.Contains(homeA, []byte(title)) && bytes.Contains(homeB, []byte(title)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("scheduled article not on both nodes' home pages 13 s after its time")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Both schedulers have had several more ticks by now.
	time.Sleep(2500 * time.Millisecond)
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var publishes int
	err = db.Pool().QueryRow(context.Background(),
		`SELECT count(*) FROM change_events WHERE changes @> jsonb_build_array(jsonb_build_object('entity', 'article', 'id', $1::bigint, 'op', 'publish'))`,
		art.ID).Scan(&publishes)
	if err != nil {
		t.Fatal(err)
	}
	if publishes != 1 {
		t.Fatalf("the change log has %d publishes of article %d, want 1", publishes, art.ID)
	}
	revs, err := db.FindRevisions(context.Background(), art.ID)
	if err != nil {
		t.Fatal(err)
	}
	published := 0
	for _, r := range revs {
		if r.Status == content.StatusPublished {
			published++
		}
	}
	if published != 1 {
		t.Fatalf("article has %d published revisions, want 1", published)
	}
}
