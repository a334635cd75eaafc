package jobs_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"folio/internal/jobs"
	"folio/internal/store/postgres"
	"folio/internal/store/postgres/postgrestest"
	"folio/internal/testutil"
)

func TestMain(m *testing.M) { os.Exit(testutil.PostgresMain(m)) }

func openPostgresQueue(t *testing.T, db *postgres.DB, opts jobs.Options, w river.Worker[pingArgs]) *jobs.Queue {
	t.Helper()
	q, err := jobs.OpenPostgres(context.Background(), db.Pool(), testLogger(t), opts)
	if err != nil {
		t.Fatalf("open queue: %v", err)
	}
	jobs.Register(q, w)
	return q
}

// TestPostgres_OnceClusterWide runs two nodes' queues on one database:
// every job runs exactly once, on one of them.
func TestPostgres_OnceClusterWide(t *testing.T) {
	url := postgrestest.URL(t)
	ctx := context.Background()
	const n = 30
	done := make(chan *river.Job[pingArgs], 2*n)
	var queues []*jobs.Queue
	for range 2 {
		db, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		q := openPostgresQueue(t, db, fastOpts, &pingWorker{done: done})
		start(t, q)
		queues = append(queues, q)
	}
	for i := range n {
		if err := queues[i%2].Enqueue(ctx, pingArgs{N: i}, nil); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[int]int{}
	for range n {
		seen[wait(t, done).Args.N]++
	}
	// Give a duplicate, if there were one, time to show up.
	time.Sleep(300 * time.Millisecond)
	for len(done) > 0 {
		seen[(<-done).Args.N]++
	}
	for i := range n {
		if seen[i] != 1 {
			t.Errorf("job %d ran %d times, want once", i, seen[i])
		}
	}
	if d, err := queues[0].Depth(ctx); err != nil || d != 0 {
		t.Errorf("depth after all ran = %d, %v; want 0", d, err)
	}
}

// TestPostgres_RescuesDeadNodesJob: node A takes a job and dies mid-way
// (its connections are gone, the job stays running in the table); node B
// runs it again once the rescue interval has passed.
func TestPostgres_RescuesDeadNodesJob(t *testing.T) {
	url := postgrestest.URL(t)
	ctx := context.Background()
	opts := fastOpts
	opts.JobTimeout, opts.RescueAfter = time.Second, time.Second

	dbA, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	started, release := make(chan struct{}), make(chan struct{})
	t.Cleanup(func() { close(release) })
	var once sync.Once
	// A dead node's complaints about its lost connections are no failure.
	qa, err := jobs.OpenPostgres(ctx, dbA.Pool(), nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	jobs.Register(qa, river.Worker[pingArgs](&pingWorker{fail: func(*river.Job[pingArgs]) error {
		once.Do(func() { close(started) })
		<-release // A is frozen until the test ends
		return nil
	}}))
	if err := qa.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := qa.Enqueue(ctx, pingArgs{N: 7}, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case <-started:
	case <-time.After(20 * time.Second):
		t.Fatal("node A never took the job")
	}
	// Node A dies: its database connections go away without a word. Its
	// goroutines stay blocked, as a frozen process's would.
	dbA.Close()

	dbB, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dbB.Close() })
	done := make(chan *river.Job[pingArgs], 1)
	qb := openPostgresQueue(t, dbB, opts, &pingWorker{done: done})
	start(t, qb)
	t0 := time.Now()
	var j *river.Job[pingArgs]
	select {
	case j = <-done:
	case <-time.After(120 * time.Second):
		t.Fatal("node B did not rescue the job within 120s")
	}
	t.Logf("rescued after %v", time.Since(t0))
	if j.Args.N != 7 || j.Attempt < 2 {
		t.Fatalf("node B ran job %d on attempt %d, want job 7 on a later attempt", j.Args.N, j.Attempt)
	}
}
