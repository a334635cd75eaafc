package main

import (
	"bytes"
	"net/url"
	"testing"
	"time"

	"folio/internal/testutil"
)

// TestTwoNodes_SearchInPostgres: with the PostgreSQL store the reader
// search is PostgreSQL full-text search, one index for every node: node B,
// which loaded nothing, finds the demo's articles in English and Persian.
func TestTwoNodes_SearchInPostgres(t *testing.T) {
	dburl := testutil.PostgresDatabase(t, "")
	startServer(t, t.TempDir(), "--database", dburl, "--demo")
	nodeB := startServer(t, t.TempDir(), "--database", dburl)
	for _, tc := range []struct{ path, want string }{
		{"/search/?q=water", "The Canal That Rewrites a River"},
		{"/fa/search/?q=" + url.QueryEscape("آب"), "<mark>آب</mark>"},
	} {
		for deadline := time.Now().Add(30 * time.Second); ; {
			resp, body := nodeB.get(t, tc.path)
			if resp.StatusCode == 200 && bytes.Contains(body, []byte(tc.want)) && bytes.Contains(body, []byte("<mark>")) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s on node B: %d, no %q after 30 s", tc.path, resp.StatusCode, tc.want)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
}
