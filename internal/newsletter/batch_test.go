package newsletter_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"folio/internal/jobs"
	"folio/internal/mail"
	"folio/internal/newsletter"
	"folio/internal/store"
)

// postmarkSink answers Postmark's batch endpoint: the first request with
// the recorded 429, the third with the recorded 500, every other one with
// a result per message in the documented shape, refusing one address as
// invalid (code 300).
type postmarkSink struct {
	mu       sync.Mutex
	requests int
	accepted map[string]int // address → copies Postmark took
	unknown  map[string]int // address → copies in the batch that got a 500
	invalid  string
	// inactive is refused with the recorded code 406 (an address Postmark
	// holds inactive after a hard bounce or complaint).
	inactive string
	plain    bool          // accept everything: no 429, no 500
	delay    time.Duration // per request, so a test can stop a send midway
}

func recorded(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "mail", "testdata", "postmark", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// inactive406 is the recorded batch entry refusing an inactive recipient.
var inactive406 struct {
	ErrorCode int
	Message   string
}

func (p *postmarkSink) server(t *testing.T) *httptest.Server {
	raw := recorded(t, "batch_invalid_address.http")
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
	if err != nil {
		t.Fatal(err)
	}
	var entries []struct {
		ErrorCode int
		Message   string
	}
	if err := json.NewDecoder(resp.Body).Decode(&entries); err != nil || len(entries) != 3 || entries[2].ErrorCode != 406 {
		t.Fatalf("recorded batch answer: %v %+v", err, entries)
	}
	inactive406 = entries[2]
	tooMany, serverError := recorded(t, "rate_limited.http"), recorded(t, "server_error.http")
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var batch []struct{ To string }
		if err := json.NewDecoder(r.Body).Decode(&batch); err != nil {
			http.Error(w, err.Error(), http.StatusTeapot)
			return
		}
		time.Sleep(p.delay)
		p.mu.Lock()
		defer p.mu.Unlock()
		p.requests++
		replay := func(raw []byte) {
			resp, _ := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), r)
			w.WriteHeader(resp.StatusCode)
			_, _ = io.Copy(w, resp.Body)
		}
		switch {
		case p.plain:
		case p.requests == 1:
			replay(tooMany)
			return
		case p.requests == 3:
			for _, m := range batch {
				p.unknown[m.To]++
			}
			replay(serverError)
			return
		}
		out := make([]map[string]any, len(batch))
		for i, m := range batch {
			if m.To == p.inactive {
				out[i] = map[string]any{"ErrorCode": inactive406.ErrorCode, "Message": inactive406.Message}
				continue
			}
			if m.To == p.invalid {
				out[i] = map[string]any{"ErrorCode": 300, "Message": "Invalid 'To' address: '" + m.To + "'."}
				continue
			}
			p.accepted[m.To]++
			out[i] = map[string]any{"ErrorCode": 0, "Message": "OK", "MessageID": fmt.Sprintf("id-%d-%d", p.requests, i), "To": m.To}
		}
		_ = json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(ts.Close)
	return ts
}

// TestSend_PostmarkBatches sends through the HTTP provider in batches: a
// rate-limited batch waits and goes again, a batch answered with a server
// error is recorded failed and never sent again (it may have gone), an
// address refused on its own is failed, and nobody gets two copies.
func TestSend_PostmarkBatches(t *testing.T) {
	t.Parallel()
	const n = 250
	e := newSendEnv(t, n)
	ctx := context.Background()
	sink := &postmarkSink{accepted: map[string]int{}, unknown: map[string]int{}, invalid: "reader0005@example.org"}
	ts := sink.server(t)
	q, err := jobs.Open(ctx, e.db.SQL(), nil, jobs.Options{PollInterval: 50 * time.Millisecond, RetryPolicy: fastRetry{}})
	if err != nil {
		t.Fatal(err)
	}
	pm := &mail.Postmark{Token: "server-token", From: "The Review <news@example.org>", Stream: "broadcast", Endpoint: ts.URL}
	jobs.Register(q, &newsletter.Worker{Store: e.db, Deliveries: mustDeliveries(e.svc), Sender: pm, Key: key,
		// Nothing is killed here, so no claim needs to go stale soon: a
		// short InFlight would let a loaded machine's slow batch look
		// abandoned and the send finish under it.
		BaseURL: e.site.URL, InFlight: 10 * time.Second, Backoff: 10 * time.Millisecond, Limit: &mail.Limiter{Rate: 5000}})
	e.svc.SetSendQueue(&newsletter.Sender{Store: e.db, Queue: q})
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Stop(context.Background()) })
	send, err := e.svc.As(editor).SendArticle(ctx, e.nl.ID, e.article.ID)
	if err != nil {
		t.Fatal(err)
	}
	done := e.wait(t, send.ID, func(s *store.NewsletterSend) bool { return s.Status == store.SendDone })
	sink.mu.Lock()
	defer sink.mu.Unlock()
	lost := len(sink.unknown)
	if lost == 0 || lost > newsletter.BatchSize {
		t.Fatalf("the 500 answered a batch of %d", lost)
	}
	wantFailed := lost
	if sink.unknown[sink.invalid] == 0 {
		wantFailed++
	}
	if done.Sent != n-wantFailed || done.Failed != wantFailed || done.Pending != 0 || done.Sending != 0 {
		t.Fatalf("send %+v; want %d sent, %d failed", done, n-wantFailed, wantFailed)
	}
	if len(sink.accepted) != done.Sent {
		t.Errorf("Postmark took %d addresses, %d recorded sent", len(sink.accepted), done.Sent)
	}
	for addr := range e.members {
		if c := sink.accepted[addr] + sink.unknown[addr]; c > 1 {
			t.Errorf("%s was sent %d times", addr, c)
		}
		if sink.accepted[addr] == 0 && sink.unknown[addr] == 0 && addr != sink.invalid {
			t.Errorf("%s was never sent", addr)
		}
	}
}

// TestSend_PostmarkResume stops a send through the batch API midway (its
// jobs cancelled, as a shutdown does) and resumes it in a new queue on the
// same database: Postmark is asked for every member exactly once.
func TestSend_PostmarkResume(t *testing.T) {
	t.Parallel()
	const n = 600
	e := newSendEnv(t, n)
	ctx := context.Background()
	sink := &postmarkSink{accepted: map[string]int{}, unknown: map[string]int{}, plain: true, delay: 30 * time.Millisecond}
	ts := sink.server(t)
	pm := &mail.Postmark{Token: "server-token", From: "The Review <news@example.org>", Stream: "broadcast", Endpoint: ts.URL}
	open := func() (*jobs.Queue, *newsletter.Sender) {
		q, err := jobs.Open(ctx, e.db.SQL(), nil, jobs.Options{PollInterval: 50 * time.Millisecond, RetryPolicy: fastRetry{}})
		if err != nil {
			t.Fatal(err)
		}
		// Batches of 20 messages, so a send is many requests.
		jobs.Register(q, &newsletter.Worker{Store: e.db, Deliveries: mustDeliveries(e.svc), Sender: smallBatches{pm}, Key: key,
			BaseURL: e.site.URL, InFlight: 300 * time.Millisecond})
		s := &newsletter.Sender{Store: e.db, Queue: q}
		e.svc.SetSendQueue(s)
		return q, s
	}
	q1, _ := open()
	if err := q1.Start(ctx); err != nil {
		t.Fatal(err)
	}
	send, err := e.svc.As(editor).SendArticle(ctx, e.nl.ID, e.article.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.wait(t, send.ID, func(s *store.NewsletterSend) bool { return s.Sent >= 60 })
	sctx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	_ = q1.Stop(sctx)
	cancel()
	mid, _ := e.db.FindSend(ctx, send.ID)
	if mid.Status == store.SendDone || mid.Sent >= n || mid.Sending != 0 {
		t.Fatalf("after the stop: %+v (want unfinished, none in flight)", mid)
	}
	sink.mu.Lock()
	if len(sink.accepted) != mid.Sent {
		t.Fatalf("Postmark took %d addresses, %d recorded sent", len(sink.accepted), mid.Sent)
	}
	sink.mu.Unlock()
	q2, s2 := open()
	if err := q2.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q2.Stop(context.Background()) })
	if err := s2.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	done := e.wait(t, send.ID, func(s *store.NewsletterSend) bool { return s.Status == store.SendDone })
	if done.Sent != n {
		t.Fatalf("after resume %+v", done)
	}
	sink.mu.Lock()
	defer sink.mu.Unlock()
	for addr := range e.members {
		if sink.accepted[addr] != 1 {
			t.Errorf("%s sent %d times", addr, sink.accepted[addr])
		}
	}
}

// smallBatches is a BatchSender whose batches hold 20 messages.
type smallBatches struct{ *mail.Postmark }

func (smallBatches) MaxBatch() int { return 20 }

// TestSend_PostmarkInactive: an address Postmark refuses as inactive (406)
// is marked failed and suppressed here too, so the next send leaves it
// out without asking Postmark.
func TestSend_PostmarkInactive(t *testing.T) {
	t.Parallel()
	const n = 5
	e := newSendEnv(t, n)
	ctx := context.Background()
	sink := &postmarkSink{accepted: map[string]int{}, unknown: map[string]int{}, plain: true, inactive: "reader0003@example.org"}
	ts := sink.server(t)
	q, err := jobs.Open(ctx, e.db.SQL(), nil, jobs.Options{PollInterval: 50 * time.Millisecond, RetryPolicy: fastRetry{}})
	if err != nil {
		t.Fatal(err)
	}
	pm := &mail.Postmark{Token: "server-token", From: "The Review <news@example.org>", Stream: "broadcast", Endpoint: ts.URL}
	jobs.Register(q, &newsletter.Worker{Store: e.db, Deliveries: mustDeliveries(e.svc), Sender: pm, Key: key,
		BaseURL: e.site.URL, InFlight: 10 * time.Second})
	e.svc.SetSendQueue(&newsletter.Sender{Store: e.db, Queue: q})
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Stop(context.Background()) })
	send, err := e.svc.As(editor).SendArticle(ctx, e.nl.ID, e.article.ID)
	if err != nil {
		t.Fatal(err)
	}
	done := e.wait(t, send.ID, func(s *store.NewsletterSend) bool { return s.Status == store.SendDone })
	if done.Sent != n-1 || done.Failed != 1 {
		t.Fatalf("send %+v; want %d sent, 1 failed", done, n-1)
	}
	sup, err := e.db.FindSuppression(ctx, sink.inactive)
	if err != nil {
		t.Fatalf("the inactive address is not suppressed: %v", err)
	}
	if sup.Reason != store.SuppressBounce || sup.Provider != "postmark" || sup.Detail != inactive406.Message {
		t.Fatalf("suppression %+v", sup)
	}
	again, err := e.svc.As(editor).SendArticle(ctx, e.nl.ID, e.article.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Total != n-1 {
		t.Fatalf("the next send goes to %d, want %d (the inactive address left out)", again.Total, n-1)
	}
}
