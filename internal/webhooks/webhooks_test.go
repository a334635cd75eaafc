package webhooks_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"folio/internal/cache/key"
	"folio/internal/changes"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/jobs"
	"folio/internal/store"
	"folio/internal/store/sqlite/sqlitetest"
	"folio/internal/webhooks"
)

func TestSignVerify(t *testing.T) {
	at := time.Unix(1764763200, 0)
	body := []byte(`{"id":"evt_1"}`)
	h := webhooks.Sign("whsec_x", at, body)
	for _, tc := range []struct {
		name, secret, header string
		body                 []byte
		now                  time.Time
		want                 error
	}{
		{"ok", "whsec_x", h, body, at.Add(time.Minute), nil},
		{"other secret", "whsec_y", h, body, at, webhooks.ErrBadSignature},
		{"changed body", "whsec_x", h, []byte(`{"id":"evt_2"}`), at, webhooks.ErrBadSignature},
		{"replayed later", "whsec_x", h, body, at.Add(time.Hour), webhooks.ErrTooOld},
		{"no header", "whsec_x", "", body, at, webhooks.ErrNoSignature},
	} {
		if err := webhooks.Verify(tc.secret, tc.header, tc.body, webhooks.DefaultTolerance, tc.now); err != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestPublic(t *testing.T) {
	for addr, want := range map[string]bool{"127.0.0.1": false, "::1": false, "10.1.2.3": false, "192.168.0.1": false,
		"169.254.169.254": false, "100.64.0.1": false, "0.0.0.0": false, "fd00::1": false, "::ffff:127.0.0.1": false,
		"93.184.215.14": true, "2606:4700::1111": true} {
		if got := webhooks.Public(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Public(%s) = %v, want %v", addr, got, want)
		}
	}
}

// receiver is a webhook endpoint that checks every signature, answers
// 500 to the first delivery of each event and 200 afterwards.
type receiver struct {
	t      *testing.T
	secret string
	mu     sync.Mutex
	seen   map[string]int // event id → attempts
	events []webhooks.Payload
	bad    int
	got    chan webhooks.Payload
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if err := webhooks.Verify(rc.secret, r.Header.Get(webhooks.SignatureHeader), body, webhooks.DefaultTolerance, time.Now()); err != nil {
		rc.bad++
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var p webhooks.Payload
	if err := json.Unmarshal(body, &p); err != nil || p.ID != r.Header.Get("Folio-Event-Id") || p.Type != r.Header.Get("Folio-Event") {
		rc.bad++
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	rc.seen[p.ID]++
	if rc.seen[p.ID] == 1 {
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	rc.events = append(rc.events, p)
	_, _ = io.WriteString(w, "thanks")
	rc.got <- p
}

// fastRetry retries at once, so the test waits for the queue, not a clock.
type fastRetry struct{}

func (fastRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(50 * time.Millisecond) }

func TestDelivery(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.New(t)
	q, err := jobs.Open(ctx, db.SQL(), nil, jobs.Options{PollInterval: 50 * time.Millisecond, RetryPolicy: fastRetry{}})
	if err != nil {
		t.Fatal(err)
	}
	jobs.Register(q, &webhooks.Worker{Store: db})
	d := &webhooks.Dispatcher{Store: db, Queue: q}
	relay := changes.New(db, slog.New(slog.DiscardHandler))
	relay.Subscribe(func(key.Event) { d.Nudge() })
	svc := editorial.New(db, editorial.OnChange(relay.Publish))
	ed := svc.System("test")
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Stop(context.Background()) })
	// The first pass saves the position (the end of the log) before any
	// write, as serve's does before it listens.
	if err := d.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	rctx, stop := context.WithCancel(ctx)
	t.Cleanup(stop)
	go d.Run(rctx, 50*time.Millisecond)

	rc := &receiver{t: t, seen: map[string]int{}, got: make(chan webhooks.Payload, 10)}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	allowed := &store.Webhook{URL: srv.URL + "/hook", Active: true, AllowPrivate: true,
		Events: []string{content.EventArticlePublished, content.EventArticleDeleted}}
	if err := ed.CreateWebhook(ctx, allowed); err != nil {
		t.Fatal(err)
	}
	rc.secret = allowed.Secret
	// The same receiver without the private-address permission: 127.0.0.1
	// must never be reached.
	refused := &store.Webhook{URL: srv.URL + "/hook", Active: true, Events: []string{content.EventArticlePublished}}
	if err := ed.CreateWebhook(ctx, refused); err != nil {
		t.Fatal(err)
	}
	if err := ed.CreateWebhook(ctx, &store.Webhook{URL: "ftp://example.org/x", Events: []string{content.EventArticlePublished}}); content.ErrorCode(err) != content.EINVALID {
		t.Errorf("ftp URL: %v, want invalid", err)
	}

	au := &content.Author{Name: "Leyla Hosseini", Slug: "leyla"}
	if err := ed.CreateAuthor(ctx, au); err != nil {
		t.Fatal(err)
	}
	draft := &content.Article{Language: "en", Title: "Water and power", BodyMarkdown: "Low.", Authors: []*content.Author{au}}
	if err := ed.CreateArticle(ctx, draft); err != nil { // a draft: no event
		t.Fatal(err)
	}
	if _, err := ed.Publish(ctx, draft.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	var p webhooks.Payload
	select {
	case p = <-rc.got:
	case <-time.After(60 * time.Second):
		t.Fatal("no delivery arrived")
	}
	if p.Type != content.EventArticlePublished {
		t.Errorf("event %s", p.Type)
	}
	art, _ := json.Marshal(p.Data["article"])
	var ad webhooks.ArticleData
	_ = json.Unmarshal(art, &ad)
	if ad.ID != draft.ID || ad.Title != "Water and power" || ad.URL == "" {
		t.Errorf("article data %+v", ad)
	}
	if err := ed.DeleteArticle(ctx, draft.ID); err != nil {
		t.Fatal(err)
	}
	select {
	case p = <-rc.got:
	case <-time.After(60 * time.Second):
		t.Fatal("no delete delivery arrived")
	}
	if p.Type != content.EventArticleDeleted {
		t.Errorf("second event %s", p.Type)
	}
	rc.mu.Lock()
	if rc.bad != 0 || len(rc.events) != 2 {
		t.Errorf("receiver: %d bad signatures, %d events", rc.bad, len(rc.events))
	}
	for id, n := range rc.seen {
		if n != 2 {
			t.Errorf("event %s delivered %d times, want 2 (a 500, then a retry)", id, n)
		}
	}
	rc.mu.Unlock()

	// The receiver answers before the worker logs the answer.
	// Two events, each a 500 on attempt 1 and a 200 on attempt 2; the
	// worker may log one event's answer after the other's next attempt, so
	// the order of the four rows is not asserted.
	ds := waitLog(t, db, allowed.ID, 4)
	failed, ok := 0, 0
	for _, d := range ds {
		switch {
		case d.Status == 500 && d.Attempt == 1:
			failed++
		case d.Status == 200 && d.Attempt == 2 && d.Response == "thanks":
			ok++
		}
	}
	if len(ds) != 4 || failed != 2 || ok != 2 {
		for _, d := range ds {
			t.Logf("delivery %+v", *d)
		}
		t.Errorf("delivery log: %d rows, %d failed first attempts, %d answered retries; want 4, 2, 2", len(ds), failed, ok)
	}
	// The refused webhook's one attempt is logged and not retried.
	waitLog(t, db, refused.ID, 1)
	time.Sleep(300 * time.Millisecond) // several fast-retry periods: no second attempt may come
	if ds, _ = db.FindWebhookDeliveries(ctx, refused.ID, 0); len(ds) != 1 || ds[0].Status != 0 || ds[0].Error == "" {
		t.Errorf("refused delivery log: %+v", ds)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.seen) != 2 {
		t.Errorf("the receiver saw %d events; a private address was reached without permission", len(rc.seen))
	}
}

func waitLog(t *testing.T, db store.WebhookStore, id int64, n int) []*store.WebhookDelivery {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ds, err := db.FindWebhookDeliveries(context.Background(), id, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) >= n || time.Now().After(deadline) {
			return ds
		}
		time.Sleep(20 * time.Millisecond)
	}
}
