package webhooks_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"folio/internal/changes"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/jobs"
	"folio/internal/store"
	"folio/internal/store/postgres"
	"folio/internal/store/postgres/postgrestest"
	"folio/internal/testutil"
)

func TestMain(m *testing.M) { os.Exit(testutil.PostgresMain(m)) }

// TestPostgres_TwoNodesDeliverOnce: two nodes on one PostgreSQL database,
// each following the change log with its own dispatcher and job queue,
// while one of them writes: every event reaches the receiver once.
func TestPostgres_TwoNodesDeliverOnce(t *testing.T) {
	ctx := context.Background()
	url := postgrestest.URL(t)
	tl := &tally{n: map[string]int{}, titles: map[string]string{}}
	srv := httptest.NewServer(tl)
	t.Cleanup(srv.Close)
	var dbs []*postgres.DB
	var ds []interface {
		Run(context.Context, time.Duration)
	}
	for range 2 {
		db, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		q, err := jobs.OpenPostgres(ctx, db.Pool(), nil, jobs.Options{PollInterval: 50 * time.Millisecond, RetryPolicy: fastRetry{}})
		if err != nil {
			t.Fatal(err)
		}
		d := node(t, db, q)
		if err := d.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		dbs = append(dbs, db)
		ds = append(ds, d)
	}
	rctx, stop := context.WithCancel(ctx)
	t.Cleanup(stop)
	for _, d := range ds {
		go d.Run(rctx, 10*time.Millisecond) // both read the log all the time
	}
	ed := editorial.New(dbs[0], editorial.OnChange(changes.New(dbs[0], slog.New(slog.DiscardHandler)).Publish)).System("test")
	h := &store.Webhook{URL: srv.URL + "/in", Active: true, AllowPrivate: true, Events: []string{content.EventArticlePublished}}
	if err := ed.CreateWebhook(ctx, h); err != nil {
		t.Fatal(err)
	}
	tl.mu.Lock()
	tl.secret = h.Secret
	tl.mu.Unlock()
	au := &content.Author{Name: "Leyla Hosseini", Slug: "leyla"}
	if err := ed.CreateAuthor(ctx, au); err != nil {
		t.Fatal(err)
	}
	const n = 10
	for i := range n {
		a := &content.Article{Language: "en", Title: fmt.Sprintf("Story %d", i), BodyMarkdown: "Text.", Authors: []*content.Author{au}}
		if err := ed.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		if _, err := ed.Publish(ctx, a.ID, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	got := tl.waitFor(t, n)
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if len(got) != n || tl.bad != 0 {
		t.Errorf("%d events delivered (want %d), %d bad signatures", len(got), n, tl.bad)
	}
	for id, c := range got {
		if c != 1 {
			t.Errorf("event %s (%q) delivered %d times, want once", id, tl.titles[id], c)
		}
	}
	var queued int
	if err := dbs[1].SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job WHERE kind = 'webhook.delivery'`).Scan(&queued); err != nil {
		t.Fatal(err)
	}
	if queued != n {
		t.Errorf("%d delivery jobs queued by the two nodes, want %d", queued, n)
	}
}
