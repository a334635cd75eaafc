package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"folio/internal/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

var _ store.Store = (*DB)(nil)

// DB is a Folio store backed by a PostgreSQL database. It is safe for
// concurrent use.
type DB struct {
	pool *pgxpool.Pool
	db   *sql.DB
	url  string
	now  func() time.Time
}

// Option configures Open.
type Option func(*DB)

// WithClock makes the store read the time from now, so tests can pin it.
func WithClock(now func() time.Time) Option {
	return func(db *DB) { db.now = now }
}

// Open connects to the database at url (postgres://…) and applies any
// pending migrations.
func Open(ctx context.Context, url string, opts ...Option) (*DB, error) {
	db, err := Connect(ctx, url, opts...)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Connect is Open without migrating, for commands that must first check
// the schema version (serve refuses an old schema unless told to migrate).
func Connect(ctx context.Context, url string, opts ...Option) (*DB, error) {
	db := &DB{url: url, now: time.Now}
	for _, o := range opts {
		o(db)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The URL may carry a password: name the problem, not the value.
		return nil, fmt.Errorf("store: open postgres: the database URL is not valid: %w", redact(err))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", redact(err))
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: open postgres %s: %w", cfg.ConnConfig.Host, err)
	}
	db.pool = pool
	db.db = stdlib.OpenDBFromPool(pool)
	return db, nil
}

// Close closes every connection.
func (db *DB) Close() error {
	err := db.db.Close()
	db.pool.Close()
	return err
}

// Pool returns the connection pool behind the store, for components that
// keep their own tables in the same database (the job queue) or need a
// connection of their own (LISTEN). Callers must not close it.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// SQL returns the pool as a database/sql handle, for the same components.
func (db *DB) SQL() *sql.DB { return db.db }

func (db *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	// Nodes starting together must not apply the same file twice: an
	// advisory lock held for the whole run makes them take turns.
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectPostgres, db.db, sub, goose.WithLogger(goose.NopLogger()),
		goose.WithSessionLocker(locker),
		// As in the SQLite store: features land in parallel, and each file
		// touches only its own tables.
		goose.WithAllowOutofOrder(true))
}

// Migrate applies every pending migration, once however many nodes start
// together (see provider).
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}

// MigrateTo applies the pending migrations up to and including version,
// for tests of upgrades from an older schema.
func (db *DB) MigrateTo(ctx context.Context, version int64) error {
	p, err := db.provider()
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		return fmt.Errorf("store: migrate to %d: %w", version, err)
	}
	return nil
}

// SchemaVersion returns the version of the newest applied migration.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	p, err := db.provider()
	if err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return v, nil
}

// Pending reports whether migrations remain to be applied.
func (db *DB) Pending(ctx context.Context) (bool, error) {
	p, err := db.provider()
	if err != nil {
		return false, fmt.Errorf("store: pending migrations: %w", err)
	}
	ok, err := p.HasPending(ctx)
	if err != nil {
		return false, fmt.Errorf("store: pending migrations: %w", err)
	}
	return ok, nil
}

// Tx is a transaction that remembers the time it began, so every row it
// writes carries the same timestamp, and that numbers ? placeholders.
type Tx struct {
	tx  *sql.Tx
	db  *DB
	now time.Time
}

// begin starts a read-committed write transaction. Methods that read a row
// and then write based on it lock the row (FOR UPDATE), where SQLite's
// single writer made that implicit.
func (db *DB) begin(ctx context.Context) (*Tx, error) {
	return db.beginTx(ctx, nil)
}

// beginRead starts a read-only repeatable-read transaction, so a count and
// the page it describes come from one snapshot.
func (db *DB) beginRead(ctx context.Context) (*Tx, error) {
	return db.beginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
}

func (db *DB) beginTx(ctx context.Context, opts *sql.TxOptions) (*Tx, error) {
	tx, err := db.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &Tx{tx: tx, db: db, now: dbTime(db.now())}, nil
}

// Commit commits the transaction.
func (tx *Tx) Commit() error { return tx.tx.Commit() }

// rollback is deferred by every method; after Commit it is a no-op.
func (tx *Tx) rollback() { _ = tx.tx.Rollback() }

// ExecContext runs query with ? placeholders numbered.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(ctx, rebind(query), args...)
}

// QueryContext is ExecContext for queries returning rows.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, rebind(query), args...)
}

// QueryRowContext is ExecContext for queries returning one row.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, rebind(query), args...)
}

// inWrite runs fn in a write transaction and commits, wrapping any error
// with what was being done.
func (db *DB) inWrite(ctx context.Context, fn func(tx *Tx) error, format string, args ...any) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, format, args...)
	}
	defer tx.rollback()
	if err := fn(tx); err != nil {
		return store.Wrap(err, format, args...)
	}
	return store.Wrap(tx.Commit(), format, args...)
}

// inRead runs fn in a read-only transaction.
func (db *DB) inRead(ctx context.Context, fn func(tx *Tx) error, format string, args ...any) error {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return store.Wrap(err, format, args...)
	}
	defer tx.rollback()
	return store.Wrap(fn(tx), format, args...)
}

// insertID runs an INSERT and returns the ID of the row it made.
func (tx *Tx) insertID(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// queryRow runs a one-row query outside any transaction.
func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return db.db.QueryRowContext(ctx, rebind(query), args...)
}

// exec runs a statement outside any transaction.
func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return db.db.ExecContext(ctx, rebind(query), args...)
}

// query runs a query outside any transaction.
func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.db.QueryContext(ctx, rebind(query), args...)
}

// readOne runs fn in a read transaction and returns its result: the
// one-call form of a read that a batch makes on its own transaction.
func readOne[T any](ctx context.Context, db *DB, fn func(tx *Tx) (T, error)) (T, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		var zero T
		return zero, store.Wrap(err, "begin read")
	}
	defer tx.rollback()
	return fn(tx)
}
