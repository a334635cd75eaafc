package cdn

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"folio/internal/cache/key"
)

// recorded answers one API call with a file from testdata and keeps the
// requests it was sent.
type recorded struct {
	mu     sync.Mutex
	reqs   []*http.Request
	bodies []string
	answer []answer // one per call; the last repeats
}

type answer struct {
	status int
	file   string
}

func (r *recorded) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.reqs = append(r.reqs, req)
	r.bodies = append(r.bodies, string(b))
	a := r.answer[min(len(r.reqs), len(r.answer))-1]
	r.mu.Unlock()
	body, err := os.ReadFile("testdata/" + a.file)
	if err != nil {
		panic(err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.status)
	w.Write(body)
}

var recordedKeys = []string{"article:12", "list:lang:en", "settings"}

func TestPurgers(t *testing.T) {
	for _, tc := range []struct {
		name      string
		answer    answer
		purger    func(base string) Purger
		path      string
		header    [2]string
		body      string
		wantErr   bool
		wantRetry bool
	}{
		{"fastly ok", answer{200, "fastly_purge_ok.json"},
			func(b string) Purger {
				return &Fastly{ServiceID: "SU1Z0isxPaozGVKXdv0eY", Token: "tok", BaseURL: b, Soft: true}
			},
			"/service/SU1Z0isxPaozGVKXdv0eY/purge", [2]string{"Fastly-Key", "tok"},
			`{"surrogate_keys":["article:12","list:lang:en","settings"]}`, false, false},
		{"fastly unauthorized", answer{401, "fastly_unauthorized.json"},
			func(b string) Purger { return &Fastly{ServiceID: "svc", Token: "bad", BaseURL: b} },
			"/service/svc/purge", [2]string{"Fastly-Key", "bad"}, "", true, false},
		{"cloudflare ok", answer{200, "cloudflare_purge_ok.json"},
			func(b string) Purger {
				return &Cloudflare{ZoneID: "023e105f4ecef8ad9ca31a8372d0c353", Token: "cf", BaseURL: b}
			},
			"/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache", [2]string{"Authorization", "Bearer cf"},
			`{"tags":["article:12","list:lang:en","settings"]}`, false, false},
		{"cloudflare auth error", answer{403, "cloudflare_auth_error.json"},
			func(b string) Purger { return &Cloudflare{ZoneID: "z", Token: "bad", BaseURL: b} },
			"/zones/z/purge_cache", [2]string{"Authorization", "Bearer bad"}, "", true, false},
		{"cloudflare rate limited", answer{429, "cloudflare_rate_limited.json"},
			func(b string) Purger { return &Cloudflare{ZoneID: "z", Token: "cf", BaseURL: b} },
			"/zones/z/purge_cache", [2]string{"Authorization", "Bearer cf"}, "", true, true},
		{"webhook ok", answer{204, "cloudflare_purge_ok.json"},
			func(b string) Purger {
				return &Webhook{URL: b + "/purge", Secret: "s3cret", Now: func() time.Time { return time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC) }}
			},
			"/purge", [2]string{"X-Folio-Signature", Sign("s3cret", []byte(`{"keys":["article:12","list:lang:en","settings"],"at":"2026-12-03T10:00:00Z"}`))},
			`{"keys":["article:12","list:lang:en","settings"],"at":"2026-12-03T10:00:00Z"}`, false, false},
		{"webhook server error", answer{502, "fastly_unauthorized.json"},
			func(b string) Purger { return &Webhook{URL: b} }, "/", [2]string{"Content-Type", "application/json"}, "", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorded{answer: []answer{tc.answer}}
			srv := httptest.NewServer(rec)
			defer srv.Close()
			err := tc.purger(srv.URL).Purge(context.Background(), recordedKeys)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Purge: %v, want error %v", err, tc.wantErr)
			}
			if err != nil && retryable(err) != tc.wantRetry {
				t.Fatalf("retryable(%v) = %v", err, !tc.wantRetry)
			}
			req := rec.reqs[0]
			if req.Method != "POST" || req.URL.Path != tc.path {
				t.Fatalf("request %s %s, want POST %s", req.Method, req.URL.Path, tc.path)
			}
			if got := req.Header.Get(tc.header[0]); got != tc.header[1] {
				t.Fatalf("%s = %q, want %q", tc.header[0], got, tc.header[1])
			}
			if tc.body != "" && rec.bodies[0] != tc.body {
				t.Fatalf("body %s, want %s", rec.bodies[0], tc.body)
			}
		})
	}
}

func TestFastly_AnswerMissingKey(t *testing.T) {
	srv := httptest.NewServer(&recorded{answer: []answer{{200, "fastly_purge_ok.json"}}})
	defer srv.Close()
	err := (&Fastly{ServiceID: "s", Token: "t", BaseURL: srv.URL}).Purge(context.Background(), []string{"article:99"})
	if err == nil {
		t.Fatal("an answer without the purged key was taken for success")
	}
}

// fakePurger records batches; it stands for a CDN in the dispatcher tests.
type fakePurger struct {
	mu      sync.Mutex
	batches [][]string
	fail    int // fail this many calls first, retryably
	max     int
}

func (f *fakePurger) Purge(_ context.Context, keys []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail > 0 {
		f.fail--
		return &StatusError{Purger: "fake", Status: 503}
	}
	f.batches = append(f.batches, slices.Clone(keys))
	return nil
}
func (f *fakePurger) MaxKeys() int { return f.max }
func (f *fakePurger) Name() string { return "fake" }

func (f *fakePurger) all() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, b := range f.batches {
		out = append(out, b...)
	}
	return out
}

func TestDispatcher(t *testing.T) {
	p := &fakePurger{fail: 2, max: 2}
	d := NewDispatcher(p, slog.New(slog.NewTextHandler(io.Discard, nil)))
	d.Origin, d.Delay, d.Backoff = "node-a", 20*time.Millisecond, time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	go d.Run(ctx)
	d.Handle(key.Event{Origin: "node-a", Keys: []string{"article:1", "list:lang:en", "tag x/y"}})
	d.Handle(key.Event{Origin: "node-a", Keys: []string{"article:1"}}) // gathered once
	d.Handle(key.Event{Origin: "node-b", Keys: []string{"article:2"}}) // another node's to purge
	deadline := time.Now().Add(10 * time.Second)
	for len(p.all()) < 3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	d.Wait()
	got := p.all()
	want := []string{"article:1", "list:lang:en", "tag_x_y"}
	if !slices.Equal(got, want) {
		t.Fatalf("purged %v, want %v (keys spelled as in Surrogate-Key, batches of MaxKeys)", got, want)
	}
	for _, b := range p.batches {
		if len(b) > 2 {
			t.Fatalf("batch %v over MaxKeys", b)
		}
	}
}

func TestTagHeader(t *testing.T) {
	h := TagHeader(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Surrogate-Key", "article:1 list:all settings")
		w.Write([]byte("ok"))
	}), "Cache-Tag")
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, httptest.NewRequest("GET", "/", nil))
	if got := rr.Header().Get("Cache-Tag"); got != "article:1,list:all,settings" {
		t.Fatalf("Cache-Tag %q", got)
	}
}

func TestStatusError_NoSecret(t *testing.T) {
	srv := httptest.NewServer(&recorded{answer: []answer{{401, "fastly_unauthorized.json"}}})
	defer srv.Close()
	err := (&Fastly{ServiceID: "s", Token: "very-secret-token", BaseURL: srv.URL}).Purge(context.Background(), recordedKeys)
	var se *StatusError
	if !errors.As(err, &se) || se.Status != 401 {
		t.Fatalf("err %v", err)
	}
	if strings.Contains(err.Error(), "very-secret-token") {
		t.Fatalf("error %q shows the token", err)
	}
}
