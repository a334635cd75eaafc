package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"folio/internal/config"
	"folio/internal/search"
)

// TestServe_Search: serve builds the index of the demo on start, answers
// the reader page and the API, follows another process's write, and a
// stopped server's index is rebuilt by folio search reindex.
func TestServe_Search(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir, "--demo")
	ctx := context.Background()

	var body []byte
	deadline := time.Now().Add(20 * time.Second)
	for {
		r, b := ts.get(t, "/fa/search/?q="+url.QueryEscape("آب"))
		if r.StatusCode == 200 && bytes.Contains(b, []byte("<mark>آب</mark>")) {
			body = b
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no Persian results 20 s after start: %d\n%s", r.StatusCode, b)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !bytes.Contains(body, []byte(`dir="rtl"`)) {
		t.Error("Persian search page is not right-to-left")
	}
	r, b := ts.get(t, "/api/v1/search?q=water")
	var out struct{ Total int }
	if err := json.Unmarshal(b, &out); r.StatusCode != 200 || err != nil || out.Total == 0 {
		t.Fatalf("API: %d %v %s", r.StatusCode, err, b)
	}

	// A write by another process reaches the index through the change log.
	cfg := config.Default()
	cfg.DataDir = dir
	db, err := openStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc, _, err := cliEditorial(ctx, cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.FindArticleBySlug(ctx, "en", "the-canal-that-rewrites-a-river")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.System("test").Unpublish(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(10 * time.Second)
	for {
		_, b := ts.get(t, "/search/?q=water")
		if !bytes.Contains(b, []byte(`href="/the-canal-that-rewrites-a-river/"`)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("unpublished article still found 10 s after the write")
		}
		time.Sleep(100 * time.Millisecond)
	}

	// While the server holds the index, reindex refuses with a reason.
	var stdout, stderr bytes.Buffer
	err = run(ctx, []string{"search", "reindex", "--data", dir}, env(nil), &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "stop the server") {
		t.Errorf("reindex beside a running server: %v", err)
	}
}

func TestSearchReindex(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- cmdServe(ctx, []string{"--addr", "127.0.0.1:0", "--data", dir, "--demo"}, env(nil), io.Discard, io.Discard, ready)
	}()
	<-ready
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"search", "reindex", "--data", dir}, env(nil), &stdout, &stderr); err != nil {
		t.Fatalf("reindex: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "search index") || !strings.Contains(stdout.String(), " articles in ") {
		t.Errorf("stdout %q", stdout.String())
	}
	idx, err := search.Open(searchDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	res, err := idx.Search(context.Background(), search.Query{Text: "water"})
	if err != nil || res.Total == 0 {
		t.Fatalf("after reindex: %v, %d hits", err, res.Total)
	}
	if st, ok, _ := idx.State(); !ok || st.Rebuilding {
		t.Errorf("state after reindex: %+v %v", st, ok)
	}
	if err := run(context.Background(), []string{"search", "optimize"}, env(nil), &stdout, &stderr); err == nil {
		t.Error("unknown subcommand accepted")
	}
}
