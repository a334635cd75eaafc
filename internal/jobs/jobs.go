package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// Defaults used when Options fields are zero.
const (
	// DefaultMaxWorkers keeps background work from crowding out page
	// rendering on a small machine.
	DefaultMaxWorkers = 2
	// DefaultPollInterval is how often idle workers look for new jobs.
	DefaultPollInterval = time.Second
	// DefaultJobTimeout bounds one attempt; image variants of a 50-megapixel
	// upload are the slowest job known today.
	DefaultJobTimeout = 5 * time.Minute
)

// Options configures a Queue. The zero value is usable.
type Options struct {
	// MaxWorkers is how many jobs run at once; DefaultMaxWorkers when 0.
	MaxWorkers int
	// PollInterval is how often the queue looks for available jobs;
	// DefaultPollInterval when 0.
	PollInterval time.Duration
	// JobTimeout bounds one attempt; DefaultJobTimeout when 0.
	JobTimeout time.Duration
	// RetryPolicy decides when a failed job runs again; River's default
	// (attempt⁴ seconds with jitter, 25 attempts) when nil.
	RetryPolicy river.ClientRetryPolicy
}

// Queue is a durable job queue stored in a SQLite database. Register every
// worker, then Enqueue and Start in any order. It is safe for concurrent use.
type Queue struct {
	db      *sql.DB
	log     *slog.Logger
	opts    Options
	workers *river.Workers

	mu      sync.Mutex
	kinds   int                    // workers registered
	client  *river.Client[*sql.Tx] // built on first Enqueue or Start
	started bool
}

// Open applies River's migrations to db and returns a queue that is not yet
// working. db must be a pool opened with the "sqlite" driver
// (modernc.org/sqlite) with busy_timeout and _txlock=immediate in its DSN,
// as the store's pool is (sqlite.DB.SQL): River runs several writers at once
// and relies on them waiting for the lock instead of failing.
func Open(ctx context.Context, db *sql.DB, log *slog.Logger, opts Options) (*Queue, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "jobs")
	if opts.MaxWorkers <= 0 {
		opts.MaxWorkers = DefaultMaxWorkers
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = DefaultPollInterval
	}
	if opts.JobTimeout <= 0 {
		opts.JobTimeout = DefaultJobTimeout
	}
	m, err := rivermigrate.New(riversqlite.New(db), &rivermigrate.Config{Logger: log})
	if err != nil {
		return nil, fmt.Errorf("jobs: migrate: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return nil, fmt.Errorf("jobs: migrate: %w", err)
	}
	return &Queue{db: db, log: log, opts: opts, workers: river.NewWorkers()}, nil
}

// Register adds the worker for jobs of kind T. It must be called before the
// queue's first Enqueue or Start, and once per kind; breaking either rule is
// a programming error and panics, as http.ServeMux does for duplicate
// patterns.
func Register[T river.JobArgs](q *Queue, w river.Worker[T]) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.client != nil {
		var args T
		panic(fmt.Sprintf("jobs: Register(%s) after the queue was used", args.Kind()))
	}
	if err := river.AddWorkerSafely(q.workers, w); err != nil {
		panic(fmt.Sprintf("jobs: register: %v", err))
	}
	q.kinds++
}

// clientLocked builds the River client on first use, so every worker is
// known to it (River validates kinds at insert and snapshots worker
// metadata when the client is made). q.mu must be held.
func (q *Queue) clientLocked() (*river.Client[*sql.Tx], error) {
	if q.client != nil {
		return q.client, nil
	}
	c, err := river.NewClient(riversqlite.New(q.db), &river.Config{
		Logger:            q.log,
		Workers:           q.workers,
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: q.opts.MaxWorkers}},
		FetchPollInterval: q.opts.PollInterval,
		FetchCooldown:     min(q.opts.PollInterval, 100*time.Millisecond),
		JobTimeout:        q.opts.JobTimeout,
		RetryPolicy:       q.opts.RetryPolicy,
		// The SQLite driver's listener polls a notification table every
		// 50 ms; polling for jobs directly costs one query per interval and
		// is plenty for background work.
		PollOnly: true,
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: new client: %w", err)
	}
	q.client = c
	return c, nil
}

// Start begins working jobs, including those left from before a restart.
// It returns at once; ctx bounds only the start-up. Starting a started
// queue, or one without workers (nothing could have been enqueued), does
// nothing.
func (q *Queue) Start(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.started || q.kinds == 0 {
		return nil
	}
	c, err := q.clientLocked()
	if err != nil {
		return err
	}
	// River ties the life of its fetch loops to the context given to Start;
	// Stop ends them, so the caller's ctx must not.
	if err := c.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	q.started = true
	return nil
}

// Stop stops fetching jobs and waits for running ones to finish until ctx
// ends; then it cancels them. A job cut short stays in the database and runs
// again later, so Stop loses nothing. Stopping a queue that never started
// does nothing.
func (q *Queue) Stop(ctx context.Context) error {
	q.mu.Lock()
	c, started := q.client, q.started
	q.started = false
	q.mu.Unlock()
	if !started {
		return nil
	}
	// Without the lock: a running job may itself enqueue follow-up work.
	err := c.Stop(ctx)
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// Give cancelled jobs a moment to return and record their attempt.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if cerr := c.StopAndCancel(cctx); cerr != nil {
			return fmt.Errorf("jobs: stop: %w", errors.Join(err, cerr))
		}
	}
	return fmt.Errorf("jobs: stop: %w", err)
}

// Enqueue stores a job for args; once it returns nil, the job will run
// even if the process stops first. opts may be nil. The kind of args must
// have a registered worker.
func (q *Queue) Enqueue(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	q.mu.Lock()
	c, err := q.clientLocked()
	q.mu.Unlock()
	if err != nil {
		return err
	}
	if _, err := c.Insert(ctx, args, opts); err != nil {
		return fmt.Errorf("jobs: enqueue %s: %w", args.Kind(), err)
	}
	return nil
}
