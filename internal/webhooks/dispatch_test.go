package webhooks_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"folio/internal/changes"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/jobs"
	"folio/internal/store"
	"folio/internal/store/sqlite/sqlitetest"
	"folio/internal/webhooks"
)

// tally is a receiver that counts the deliveries of each event.
type tally struct {
	mu     sync.Mutex
	secret string
	n      map[string]int    // event id → deliveries
	titles map[string]string // event id → article title
	bad    int
}

func (tl *tally) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if err := webhooks.Verify(tl.secret, r.Header.Get(webhooks.SignatureHeader), body, webhooks.DefaultTolerance, time.Now()); err != nil {
		tl.bad++
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var p struct {
		ID   string `json:"id"`
		Data struct {
			Article webhooks.ArticleData `json:"article"`
		} `json:"data"`
	}
	_ = json.Unmarshal(body, &p)
	tl.n[p.ID]++
	tl.titles[p.ID] = p.Data.Article.Title
}

// waitFor polls until tl holds want distinct events, or 30 s pass.
func (tl *tally) waitFor(t *testing.T, want int) map[string]int {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		tl.mu.Lock()
		got := len(tl.n)
		tl.mu.Unlock()
		if got >= want || time.Now().After(deadline) {
			break
		}
	}
	// Long enough for a duplicate delivery to arrive if one was queued.
	time.Sleep(300 * time.Millisecond)
	tl.mu.Lock()
	defer tl.mu.Unlock()
	out := map[string]int{}
	for k, v := range tl.n {
		out[k] = v
	}
	return out
}

// node is one serving process's webhook machinery on a shared database:
// its job queue with the delivery worker, and a dispatcher.
func node(t *testing.T, db webhooks.LogStore, q *jobs.Queue) *webhooks.Dispatcher {
	t.Helper()
	jobs.Register(q, &webhooks.Worker{Store: db})
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Stop(context.Background()) })
	return &webhooks.Dispatcher{Store: db, Queue: q}
}

// TestDispatcher_CatchUpAfterCrash: the dispatcher reads the change log
// from the position it saved, so an event logged while no dispatcher ran
// (the process died between the write and the read) is delivered by the
// next one; a second node reading the same events queues nothing twice.
func TestDispatcher_CatchUpAfterCrash(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.New(t)
	open := func() *jobs.Queue {
		q, err := jobs.Open(ctx, db.SQL(), nil, jobs.Options{PollInterval: 50 * time.Millisecond, RetryPolicy: fastRetry{}})
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	// Writes reach the log through the relay, as in serve; no dispatcher
	// hears of them directly.
	ed := editorial.New(db, editorial.OnChange(changes.New(db, slog.New(slog.DiscardHandler)).Publish)).System("test")
	tl := &tally{n: map[string]int{}, titles: map[string]string{}}
	srv := httptest.NewServer(tl)
	t.Cleanup(srv.Close)

	first := node(t, db, open())
	if err := first.CatchUp(ctx); err != nil { // the site's first start: from the end of the log
		t.Fatal(err)
	}
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
	publish := func(title string) {
		t.Helper()
		a := &content.Article{Language: "en", Title: title, BodyMarkdown: "Text.", Authors: []*content.Author{au}}
		if err := ed.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		if _, err := ed.Publish(ctx, a.ID, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	publish("Before the crash")
	if err := first.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if got := tl.waitFor(t, 1); len(got) != 1 {
		t.Fatalf("deliveries before the crash: %v", got)
	}
	// Logged, then the process dies before its dispatcher reads it.
	publish("Written just before the crash")
	saved, err := db.EventCursor(ctx, webhooks.Cursor)
	if err != nil {
		t.Fatal(err)
	}
	last, _ := db.LastEventID(ctx)
	if saved >= last {
		t.Fatalf("the saved position %d already passes the last event %d", saved, last)
	}

	// The restart: a new process with a fresh dispatcher and queue.
	restarted := node(t, db, open())
	if err := restarted.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	got := tl.waitFor(t, 2)
	if len(got) != 2 {
		t.Fatalf("after the restart the receiver has %d events, want 2: %v", len(got), got)
	}

	// A second node reads the whole log again (as a node does that read
	// it before the first saved its position): nothing is queued twice.
	second := node(t, db, open())
	evs, err := db.EventsAfter(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	hooks, _ := db.FindWebhooks(ctx)
	for _, ev := range evs {
		if err := second.Dispatch(ctx, ev, hooks); err != nil {
			t.Fatal(err)
		}
	}
	// And both nodes catch up at once on a new event.
	publish("Seen by two nodes")
	var wg sync.WaitGroup
	for _, d := range []*webhooks.Dispatcher{restarted, second} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := d.CatchUp(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got = tl.waitFor(t, 3)
	tl.mu.Lock()
	defer tl.mu.Unlock()
	titles := map[string]bool{}
	for id, n := range got {
		titles[tl.titles[id]] = true
		if n != 1 {
			t.Errorf("event %s (%q) delivered %d times, want once", id, tl.titles[id], n)
		}
	}
	for _, want := range []string{"Before the crash", "Written just before the crash", "Seen by two nodes"} {
		if !titles[want] {
			t.Errorf("no delivery of %q; got %v", want, titles)
		}
	}
	if len(got) != 3 || tl.bad != 0 {
		t.Errorf("%d events (want 3), %d bad signatures", len(got), tl.bad)
	}
	var jobsQueued int
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job WHERE kind = 'webhook.delivery'`).Scan(&jobsQueued); err != nil {
		t.Fatal(err)
	}
	if jobsQueued != 3 {
		t.Errorf("%d delivery jobs queued, want 3 (one per event)", jobsQueued)
	}
}

// TestEventCursor_NeverMovesBack: nodes save their positions in any order.
func TestEventCursor_NeverMovesBack(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.New(t)
	if _, err := db.EventCursor(ctx, "x"); content.ErrorCode(err) != content.ENOTFOUND {
		t.Fatalf("unsaved cursor: %v, want not_found", err)
	}
	for _, pos := range []int64{5, 9, 7} {
		if err := db.SaveEventCursor(ctx, "x", pos); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := db.EventCursor(ctx, "x"); err != nil || got != 9 {
		t.Fatalf("cursor %d %v, want 9", got, err)
	}
}
