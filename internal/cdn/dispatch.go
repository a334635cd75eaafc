package cdn

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"folio/internal/cache"
	"folio/internal/cache/key"
)

// Dispatcher feeds a Purger from change events. Keys arriving within
// Delay of each other go out in one call (a batch import purges in a few
// calls, not thousands); failed calls are retried with backoff, and keys
// that still fail are logged and dropped: the CDN's own expiry bounds how
// long a copy stays stale.
type Dispatcher struct {
	p   Purger
	log *slog.Logger
	// Origin, when set, limits the purges to events this process wrote:
	// every node hears every event, and one purge per change is enough.
	Origin string
	// Delay gathers keys before a call; Retries and Backoff bound the
	// retries of a failed call.
	Delay   time.Duration
	Retries int
	Backoff time.Duration

	mu      sync.Mutex
	pending map[string]struct{}
	order   []string
	wake    chan struct{}
	done    chan struct{}
}

// maxPending bounds the keys waiting for a purge (memory, when the CDN is
// unreachable for long); further keys are dropped, and the CDN's own
// expiry bounds how long those pages stay stale.
const maxPending = 100_000

// NewDispatcher returns a Dispatcher for p; Run sends its purges.
func NewDispatcher(p Purger, log *slog.Logger) *Dispatcher {
	return &Dispatcher{p: p, log: log, Delay: 250 * time.Millisecond, Retries: 5, Backoff: time.Second,
		pending: map[string]struct{}{}, wake: make(chan struct{}, 1), done: make(chan struct{})}
}

// Handle takes one change event (subscribe it to the change relay). It
// never blocks the writer.
func (d *Dispatcher) Handle(ev key.Event) {
	if d.Origin != "" && ev.Origin != d.Origin {
		return
	}
	d.mu.Lock()
	added := false
	for _, k := range ev.Keys {
		k = cache.SurrogateKey(k)
		if k == "" {
			continue
		}
		if _, ok := d.pending[k]; ok || len(d.pending) >= maxPending {
			continue
		}
		d.pending[k] = struct{}{}
		d.order = append(d.order, k)
		added = true
	}
	d.mu.Unlock()
	if added {
		select {
		case d.wake <- struct{}{}:
		default:
		}
	}
}

// Run sends purges until ctx ends, then sends what is pending once more
// (bounded by a short timeout) and returns.
func (d *Dispatcher) Run(ctx context.Context) {
	defer close(d.done)
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			d.flush(fctx, false)
			cancel()
			return
		case <-d.wake:
		}
		select {
		case <-ctx.Done():
		case <-time.After(d.Delay):
		}
		d.flush(ctx, true)
	}
}

// Wait returns once Run has returned.
func (d *Dispatcher) Wait() { <-d.done }

// flush sends every pending key, MaxKeys at a time.
func (d *Dispatcher) flush(ctx context.Context, retry bool) {
	d.mu.Lock()
	keys := d.order
	d.order, d.pending = nil, map[string]struct{}{}
	d.mu.Unlock()
	n := d.p.MaxKeys()
	for len(keys) > 0 {
		batch := keys[:min(n, len(keys))]
		keys = keys[len(batch):]
		d.send(ctx, batch, retry)
	}
}

func (d *Dispatcher) send(ctx context.Context, keys []string, retry bool) {
	wait := d.Backoff
	for attempt := 0; ; attempt++ {
		err := d.p.Purge(ctx, keys)
		if err == nil {
			d.log.Debug("cdn purge", "purger", d.p.Name(), "keys", len(keys))
			return
		}
		if !retry || attempt >= d.Retries || !retryable(err) || ctx.Err() != nil {
			// The error names the purger and status, never a token.
			d.log.Error("cdn purge failed", "purger", d.p.Name(), "keys", len(keys), "first", keys[0], "err", err)
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// TagHeader copies the Surrogate-Key header of every response to header
// (comma-separated), for CDNs that read their tags elsewhere: Cloudflare
// reads Cache-Tag.
func TagHeader(h http.Handler, header string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&tagWriter{ResponseWriter: w, header: header}, r)
	})
}

type tagWriter struct {
	http.ResponseWriter
	header string
	done   bool
}

func (t *tagWriter) WriteHeader(code int) {
	if !t.done {
		t.done = true
		h := t.Header()
		if sk := h.Get("Surrogate-Key"); sk != "" {
			h.Set(t.header, strings.Join(strings.Fields(sk), ","))
		}
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *tagWriter) Write(b []byte) (int, error) {
	if !t.done {
		t.WriteHeader(http.StatusOK)
	}
	return t.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (Flush).
func (t *tagWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }
