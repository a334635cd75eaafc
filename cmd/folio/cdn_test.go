package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"folio/internal/cdn"
	"folio/internal/store/sqlite"
)

// TestServe_PurgesCDNOnChange: with --cdn-purge webhook, a change through
// the API reaches the webhook as the keys of the pages it touched, signed,
// and those keys are the ones the pages carry in Surrogate-Key.
func TestServe_PurgesCDNOnChange(t *testing.T) {
	var mu sync.Mutex
	var got [][]string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.Header.Get("X-Folio-Signature") != cdn.Sign("hook-secret", b) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var body struct{ Keys []string }
		_ = json.Unmarshal(b, &body)
		mu.Lock()
		got = append(got, body.Keys)
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hook.Close()

	dir := t.TempDir()
	ts := startServer(t, dir, "--demo", "--cdn-purge", "webhook", "--purge-webhook-url", hook.URL, "--purge-webhook-secret", "hook-secret")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"token", "create", "--name", "test", "--data", dir}, env(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(out.String())
	const path = "/the-canal-that-rewrites-a-river/"
	resp, _ := ts.get(t, path)
	surrogate := strings.Fields(resp.Header.Get("Surrogate-Key"))
	if len(surrogate) == 0 {
		t.Fatal("article page carries no Surrogate-Key")
	}
	db, err := sqlite.Open(context.Background(), dir+"/folio.db")
	if err != nil {
		t.Fatal(err)
	}
	art, err := db.FindArticleBySlug(context.Background(), "en", "the-canal-that-rewrites-a-river")
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	apiDo(t, ts, token, "PATCH", fmt.Sprintf("/api/v1/articles/%d", art.ID), map[string]any{"title": "The Canal, Purged"}, nil)

	want := fmt.Sprintf("article:%d", art.ID)
	if !slices.Contains(surrogate, want) {
		t.Fatalf("page keys %v lack %s", surrogate, want)
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		mu.Lock()
		var all []string
		for _, k := range got {
			all = append(all, k...)
		}
		mu.Unlock()
		if slices.Contains(all, want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("webhook got %v, no %s 10 s after the change", all, want)
		}
		time.Sleep(20 * time.Millisecond)
	}

	// A write by a command-line process (it exits before any purge) is
	// purged by the serving node when the change log brings it: nothing
	// else writes now, so any purge after the import is the import's.
	wxr := filepath.Join(t.TempDir(), "site.xml")
	if err := os.WriteFile(wxr, []byte(purgeWXR), 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // the edit's batch is out
	mu.Lock()
	before := len(got)
	mu.Unlock()
	if err := run(context.Background(), []string{"import", "wordpress", "--data", dir, wxr}, env(nil), io.Discard, io.Discard); err != nil {
		t.Fatalf("import: %v", err)
	}
	for deadline := time.Now().Add(15 * time.Second); ; {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n > before {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no purge of the CLI import's keys 15 s after it")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

const purgeWXR = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Old site</title><link>https://old.example</link><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Imported while serving</title><link>https://old.example/imported-while-serving/</link>
<dc:creator>editor</dc:creator><content:encoded><![CDATA[<p>A post that arrives through the command line.</p>]]></content:encoded>
<wp:post_id>501</wp:post_id><wp:post_date_gmt>2026-11-01 10:00:00</wp:post_date_gmt><wp:post_name>imported-while-serving</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>`
