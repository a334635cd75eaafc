package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"folio/internal/testutil"
)

// benchNode runs serve with args until the benchmark ends and returns its
// base URL.
func benchNode(b *testing.B, args ...string) string {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	all := append([]string{"--addr", "127.0.0.1:0", "--data", b.TempDir(), "--base-url", "http://folio.test", "--log-level", "error"}, args...)
	go func() { errc <- cmdServe(ctx, all, env(nil), io.Discard, io.Discard, ready) }()
	select {
	case addr := <-ready:
		b.Cleanup(func() { cancel(); <-errc })
		return "http://" + addr
	case err := <-errc:
		cancel()
		b.Fatalf("serve: %v", err)
	}
	return ""
}

// BenchmarkPublishToLive measures the time from an edit through the API
// until the changed page is served, on one node with SQLite (the
// reference), one node on PostgreSQL, and from node A to node B on one
// PostgreSQL database (the NOTIFY path). One op is one PATCH of the title
// plus GETs of the article every 0.5 ms until it shows the new title.
//
//	go test -run '^$' -bench PublishToLive -benchtime 100x ./cmd/folio
func BenchmarkPublishToLive(b *testing.B) {
	const slug = "the-canal-that-rewrites-a-river"
	setups := []struct {
		name  string
		nodes func(b *testing.B) (writer, reader, dbArgs []string)
	}{
		{"sqlite_same_node", func(b *testing.B) ([]string, []string, []string) {
			dir := b.TempDir()
			return []string{"--data", dir, "--demo"}, nil, []string{"--data", dir}
		}},
		{"postgres_same_node", func(b *testing.B) ([]string, []string, []string) {
			url := testutil.PostgresDatabase(b, "")
			return []string{"--database", url, "--demo"}, nil, []string{"--database", url}
		}},
		{"postgres_other_node", func(b *testing.B) ([]string, []string, []string) {
			url := testutil.PostgresDatabase(b, "")
			return []string{"--database", url, "--demo"}, []string{"--database", url}, []string{"--database", url}
		}},
	}
	for _, s := range setups {
		b.Run(s.name, func(b *testing.B) {
			wArgs, rArgs, dbArgs := s.nodes(b)
			writer := benchNode(b, wArgs...)
			reader := writer
			if rArgs != nil {
				reader = benchNode(b, rArgs...)
			}
			var out bytes.Buffer
			if err := run(context.Background(), append([]string{"token", "create", "--name", "bench"}, dbArgs...), env(nil), &out, io.Discard); err != nil {
				b.Fatal(err)
			}
			token := strings.TrimSpace(out.String())
			id := benchArticleID(b, writer, token, slug)
			client := &http.Client{Timeout: 10 * time.Second}
			get := func() []byte {
				resp, err := client.Get(reader + "/" + slug + "/")
				if err != nil {
					b.Fatal(err)
				}
				defer resp.Body.Close()
				body, _ := io.ReadAll(resp.Body)
				return body
			}
			get() // warm the reader's cache
			b.ResetTimer()
			for i := range b.N {
				title := fmt.Sprintf("The Canal, take %d", i)
				req, _ := http.NewRequest("PATCH", fmt.Sprintf("%s/api/v1/articles/%d", writer, id),
					strings.NewReader(fmt.Sprintf(`{"title": %q}`, title)))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("PATCH: %d", resp.StatusCode)
				}
				deadline := time.Now().Add(10 * time.Second)
				for !bytes.Contains(get(), []byte(title)) {
					if time.Now().After(deadline) {
						b.Fatalf("%q not live after 10 s", title)
					}
					time.Sleep(500 * time.Microsecond)
				}
			}
		})
	}
}

// benchArticleID finds the demo article's ID through the API.
func benchArticleID(b *testing.B, base, token, slug string) int64 {
	b.Helper()
	req, _ := http.NewRequest("GET", base+"/api/v1/articles?language=en&q=Canal", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		Items []struct {
			ID   int64  `json:"id"`
			Slug string `json:"slug"`
		} `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		b.Fatal(err)
	}
	for _, it := range list.Items {
		if it.Slug == slug {
			return it.ID
		}
	}
	b.Fatalf("no article %s among %d", slug, len(list.Items))
	return 0
}
