package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"folio/internal/content"
	"folio/internal/jobs"
	"folio/internal/store"
	"folio/internal/store/sqlite"
	"folio/internal/store/sqlite/sqlitetest"
)

// pingArgs is a test job carrying a number.
type pingArgs struct {
	N int `json:"n"`
}

func (pingArgs) Kind() string { return "test_ping" }

// pingWorker reports every job it works on done, after calling fail (when
// set) to decide whether the attempt errors.
type pingWorker struct {
	river.WorkerDefaults[pingArgs]
	done chan<- *river.Job[pingArgs]
	fail func(*river.Job[pingArgs]) error
}

func (w *pingWorker) Work(ctx context.Context, j *river.Job[pingArgs]) error {
	if w.fail != nil {
		if err := w.fail(j); err != nil {
			return err
		}
	}
	w.done <- j
	return nil
}

// fastOpts polls often so tests do not wait for the production interval.
var fastOpts = jobs.Options{PollInterval: 50 * time.Millisecond}

func openQueue(t *testing.T, db *sqlite.DB, w river.Worker[pingArgs]) *jobs.Queue {
	t.Helper()
	q, err := jobs.Open(context.Background(), db.SQL(), testLogger(t), fastOpts)
	if err != nil {
		t.Fatalf("open queue: %v", err)
	}
	jobs.Register(q, w)
	return q
}

func stop(t *testing.T, q *jobs.Queue) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := q.Stop(ctx); err != nil {
		t.Errorf("stop queue: %v", err)
	}
}

func start(t *testing.T, q *jobs.Queue) {
	t.Helper()
	if err := q.Start(context.Background()); err != nil {
		t.Fatalf("start queue: %v", err)
	}
	t.Cleanup(func() { stop(t, q) })
}

func wait(t *testing.T, done <-chan *river.Job[pingArgs]) *river.Job[pingArgs] {
	t.Helper()
	select {
	case j := <-done:
		return j
	case <-time.After(20 * time.Second):
		t.Fatal("job did not run within 20s")
		return nil
	}
}

func TestQueue_Runs(t *testing.T) {
	db := sqlitetest.New(t)
	done := make(chan *river.Job[pingArgs], 1)
	q := openQueue(t, db, &pingWorker{done: done})
	start(t, q)
	if err := q.Enqueue(context.Background(), pingArgs{N: 7}, nil); err != nil {
		t.Fatal(err)
	}
	if j := wait(t, done); j.Args.N != 7 || j.Attempt != 1 {
		t.Fatalf("job args %+v attempt %d, want N=7 attempt 1", j.Args, j.Attempt)
	}
}

// TestQueue_SurvivesRestart enqueues on a queue that never works the job,
// closes the database, reopens it and checks the job runs then.
func TestQueue_SurvivesRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "folio.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan *river.Job[pingArgs], 2)
	q := openQueue(t, db, &pingWorker{done: done})
	// One job accepted before the queue ever started, one after it stopped.
	if err := q.Enqueue(ctx, pingArgs{N: 1}, nil); err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	stop(t, q)
	// The first job may have run in the short window; drain it if so.
	ran := map[int]bool{}
	for len(done) > 0 {
		ran[(<-done).Args.N] = true
	}
	if err := q.Enqueue(ctx, pingArgs{N: 2}, nil); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case j := <-done:
		t.Fatalf("job %d ran on a stopped queue", j.Args.N)
	default:
	}

	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	q = openQueue(t, db, &pingWorker{done: done})
	start(t, q)
	for !ran[1] || !ran[2] {
		ran[wait(t, done).Args.N] = true
	}
}

func TestQueue_RetriesFailedAttempt(t *testing.T) {
	db := sqlitetest.New(t)
	done := make(chan *river.Job[pingArgs], 1)
	var attempts atomic.Int32
	q := openQueue(t, db, &pingWorker{done: done, fail: func(j *river.Job[pingArgs]) error {
		attempts.Add(1)
		if j.Attempt == 1 {
			return errors.New("transient failure")
		}
		return nil
	}})
	start(t, q)
	if err := q.Enqueue(context.Background(), pingArgs{N: 1}, nil); err != nil {
		t.Fatal(err)
	}
	j := wait(t, done)
	if j.Attempt != 2 || attempts.Load() != 2 {
		t.Fatalf("finished on attempt %d after %d calls, want 2 and 2", j.Attempt, attempts.Load())
	}
	if len(j.Errors) != 1 || j.Errors[0].Error != "transient failure" {
		t.Fatalf("recorded errors %+v, want the first attempt's", j.Errors)
	}
}

// TestQueue_ConcurrentWrites enqueues from several goroutines while others
// write articles through the store on the same pool: every job runs exactly
// once and no writer sees SQLITE_BUSY.
func TestQueue_ConcurrentWrites(t *testing.T) {
	const enqueuers, perEnqueuer, writers, perWriter = 4, 5, 2, 5
	db := sqlitetest.New(t)
	done := make(chan *river.Job[pingArgs], enqueuers*perEnqueuer)
	q := openQueue(t, db, &pingWorker{done: done})
	start(t, q)

	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, enqueuers*perEnqueuer+writers*perWriter)
	for g := range enqueuers {
		wg.Go(func() {
			for i := range perEnqueuer {
				if err := q.Enqueue(ctx, pingArgs{N: g*perEnqueuer + i}, nil); err != nil {
					errs <- err
				}
			}
		})
	}
	for g := range writers {
		wg.Go(func() {
			for i := range perWriter {
				a := &content.Article{Title: fmt.Sprintf("Writer %d article %d", g, i), Language: "en", Status: content.StatusDraft}
				a.Slug = content.Slugify(a.Title)
				if err := db.CreateArticle(ctx, a, store.ArticleWrite{}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	seen := map[int]int{}
	for range enqueuers * perEnqueuer {
		seen[wait(t, done).Args.N]++
	}
	for n := range enqueuers * perEnqueuer {
		if seen[n] != 1 {
			t.Errorf("job %d ran %d times, want once", n, seen[n])
		}
	}
}

func TestRegister_AfterUsePanics(t *testing.T) {
	db := sqlitetest.New(t)
	q := openQueue(t, db, &pingWorker{})
	if err := q.Enqueue(context.Background(), pingArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("Register after Enqueue did not panic")
		}
	}()
	jobs.Register(q, &pingWorker{})
}

func TestEnqueue_UnknownKind(t *testing.T) {
	db := sqlitetest.New(t)
	q := openQueue(t, db, &pingWorker{})
	if err := q.Enqueue(context.Background(), otherArgs{}, nil); err == nil {
		t.Fatal("Enqueue of a kind without a worker succeeded")
	}
}

type otherArgs struct{}

func (otherArgs) Kind() string { return "test_other" }

func TestOpen_Idempotent(t *testing.T) {
	db := sqlitetest.New(t)
	for range 2 {
		if _, err := jobs.Open(context.Background(), db.SQL(), nil, jobs.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	v, err := db.SchemaVersion(context.Background())
	if err != nil || v < 1 {
		t.Fatalf("store schema version %d, %v after River's migrations", v, err)
	}
}

// testLogger fails the test on any warning or error River logs, such as a
// SQLITE_BUSY that its own retry hid from the caller.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(&failHandler{t: t, Handler: slog.NewTextHandler(io.Discard, nil)})
}

type failHandler struct {
	slog.Handler
	t *testing.T
}

func (h *failHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

func (h *failHandler) Handle(_ context.Context, r slog.Record) error {
	msg := r.Message
	r.Attrs(func(a slog.Attr) bool { msg += " " + a.String(); return true })
	// The retry test's failing attempt is expected to be reported.
	if !strings.Contains(msg, "transient failure") {
		h.t.Errorf("queue logged %s: %s", r.Level, msg)
	}
	return nil
}

func (h *failHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &failHandler{Handler: h.Handler.WithAttrs(as), t: h.t}
}

func (h *failHandler) WithGroup(g string) slog.Handler {
	return &failHandler{Handler: h.Handler.WithGroup(g), t: h.t}
}
