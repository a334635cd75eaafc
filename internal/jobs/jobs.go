package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
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
	// RescueAfter is how long a running job may go without finishing
	// before it is taken to belong to a dead node and run again; JobTimeout
	// plus a minute when 0.
	RescueAfter time.Duration
	// RetryPolicy decides when a failed job runs again; River's default
	// (attempt⁴ seconds with jitter, 25 attempts) when nil.
	RetryPolicy river.ClientRetryPolicy
}

// Queue is a durable job queue stored in the site's database (SQLite or
// PostgreSQL). Register every worker, then Enqueue and Start in any order.
// It is safe for concurrent use.
type Queue struct {
	log     *slog.Logger
	opts    Options
	workers *river.Workers
	// newClient builds the River client of the queue's driver; depth
	// counts waiting jobs with the driver's connection.
	newClient func(*river.Config) (client, error)
	depth     func(ctx context.Context) (int, error)

	mu      sync.Mutex
	kinds   int    // workers registered
	client  client // built on first Enqueue or Start
	started bool
}

// client is what the queue uses of a River client, whatever its driver's
// transaction type.
type client interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// depthQuery counts the jobs waiting to run, in either database.
const depthQuery = `SELECT COUNT(*) FROM river_job WHERE state IN ('available', 'scheduled', 'retryable')`

// Open applies River's migrations to db and returns a queue that is not yet
// working. db must be a pool opened with the "sqlite" driver
// (modernc.org/sqlite) with busy_timeout and _txlock=immediate in its DSN,
// as the store's pool is (sqlite.DB.SQL): River runs several writers at once
// and relies on them waiting for the lock instead of failing.
func Open(ctx context.Context, db *sql.DB, log *slog.Logger, opts Options) (*Queue, error) {
	q, err := newQueue(ctx, riversqlite.New(db), log, opts)
	if err != nil {
		return nil, err
	}
	q.newClient = func(cfg *river.Config) (client, error) {
		// The SQLite driver's listener polls a notification table every
		// 50 ms; polling for jobs directly costs one query per interval and
		// is plenty for background work.
		cfg.PollOnly = true
		return river.NewClient(riversqlite.New(db), cfg)
	}
	q.depth = func(ctx context.Context) (n int, err error) {
		return n, db.QueryRowContext(ctx, depthQuery).Scan(&n)
	}
	return q, nil
}

// OpenPostgres is Open for a PostgreSQL database, through River's pgx
// driver. Every node of a site opens the queue on the same database: River
// locks each job for the node that fetches it (FOR UPDATE SKIP LOCKED), so
// a job runs once cluster-wide, and a job whose node died is rescued and
// run again elsewhere after JobTimeout.
func OpenPostgres(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger, opts Options) (*Queue, error) {
	q, err := newQueue(ctx, riverpgxv5.New(pool), log, opts)
	if err != nil {
		return nil, err
	}
	q.newClient = func(cfg *river.Config) (client, error) {
		// LISTEN/NOTIFY wakes a node as soon as a job is inserted anywhere.
		return river.NewClient(riverpgxv5.New(pool), cfg)
	}
	q.depth = func(ctx context.Context) (n int, err error) {
		return n, pool.QueryRow(ctx, depthQuery).Scan(&n)
	}
	return q, nil
}

// newQueue applies River's migrations through driver and returns a queue
// without a client.
func newQueue[TTx any](ctx context.Context, driver riverMigrateDriver[TTx], log *slog.Logger, opts Options) (*Queue, error) {
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
	if opts.RescueAfter <= 0 {
		opts.RescueAfter = opts.JobTimeout + time.Minute
	}
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: log})
	if err != nil {
		return nil, fmt.Errorf("jobs: migrate: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return nil, fmt.Errorf("jobs: migrate: %w", err)
	}
	return &Queue{log: log, opts: opts, workers: river.NewWorkers()}, nil
}

// riverMigrateDriver is what rivermigrate.New takes.
type riverMigrateDriver[TTx any] = riverdriver.Driver[TTx]

// Depth returns the number of jobs waiting to run (available, scheduled or
// to be retried), for metrics and readiness.
func (q *Queue) Depth(ctx context.Context) (int, error) {
	n, err := q.depth(ctx)
	if err != nil {
		return 0, fmt.Errorf("jobs: depth: %w", err)
	}
	return n, nil
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
func (q *Queue) clientLocked() (client, error) {
	if q.client != nil {
		return q.client, nil
	}
	c, err := q.newClient(&river.Config{
		Logger:            q.log,
		Workers:           q.workers,
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: q.opts.MaxWorkers}},
		FetchPollInterval: q.opts.PollInterval,
		FetchCooldown:     min(q.opts.PollInterval, 100*time.Millisecond),
		JobTimeout:        q.opts.JobTimeout,
		RetryPolicy:       q.opts.RetryPolicy,
		// A job still running this long after it started belongs to a
		// node that died; another node takes it over.
		RescueStuckJobsAfter: q.opts.RescueAfter,
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
