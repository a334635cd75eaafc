package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"

	"folio/internal/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

var _ store.Store = (*DB)(nil)

// DB is a Folio store backed by one SQLite file. It is safe for concurrent use.
type DB struct {
	db   *sql.DB
	prep *stmtCache
	path string
	now  func() time.Time
}

// Option configures Open.
type Option func(*DB)

// WithClock makes the store read the time from now, so tests can pin it.
func WithClock(now func() time.Time) Option {
	return func(db *DB) { db.now = now }
}

// maxOpenConns bounds the pool. WAL lets readers run beside the one writer;
// more writers would only queue on the busy timeout.
const maxOpenConns = 4

// Open opens the SQLite database at path, creating it if needed, and applies
// any pending migrations.
func Open(ctx context.Context, path string, opts ...Option) (*DB, error) {
	db := &DB{path: path, now: time.Now}
	for _, o := range opts {
		o(db)
	}
	sqldb, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	sqldb.SetMaxOpenConns(maxOpenConns)
	sqldb.SetMaxIdleConns(maxOpenConns)
	db.db = sqldb
	db.prep = newStmtCache(sqldb)
	if err := sqldb.PingContext(ctx); err != nil {
		db.prep.close()
		sqldb.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.prep.close()
		sqldb.Close()
		return nil, err
	}
	return db, nil
}

// dsn puts the pragmas in the connection string because database/sql pools
// connections: a PRAGMA run with Exec would reach only one of them.
// busy_timeout comes first so the journal_mode switch can wait for a lock.
func dsn(path string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// 16 MiB of page cache per connection (the default is 2 MiB) keeps the
	// listing indexes of a 100,000-article site in memory.
	q.Add("_pragma", "cache_size(-16384)")
	// Write transactions take the lock at BEGIN, so two writers never both
	// read and then fail to upgrade with SQLITE_BUSY mid-transaction.
	q.Set("_txlock", "immediate")
	// SQLite decodes the file: URI, so characters that mean something in
	// a URI must be escaped to name the file literally.
	return "file:" + uriPath.Replace(path) + "?" + q.Encode()
}

var uriPath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// Close closes the database.
func (db *DB) Close() error {
	db.prep.close()
	return db.db.Close()
}

// Path returns the database file path given to Open.
func (db *DB) Path() string { return db.path }

func (db *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectSQLite3, db.db, sub, goose.WithLogger(goose.NopLogger()),
		// Features land in parallel and a data directory may have applied a
		// later migration before an earlier-numbered one existed; each file
		// touches only its own tables, so applying the gap later is safe.
		goose.WithAllowOutofOrder(true))
}

// Migrate applies every pending migration. Running it on an up-to-date
// database does nothing.
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

// Tx is a transaction that remembers the time it began, so every row it
// writes carries the same timestamp.
type Tx struct {
	*sql.Tx
	db  *DB
	now time.Time
	// stmts, when not nil, caches prepared statements by query text for
	// transactions that run the same queries many times (batch.go).
	stmts map[string]*sql.Stmt
}

// begin starts a write transaction (BEGIN IMMEDIATE through the DSN).
func (db *DB) begin(ctx context.Context) (*Tx, error) {
	return db.beginTx(ctx, nil)
}

// beginRead starts a deferred transaction, so readers see one snapshot
// without taking the write lock.
func (db *DB) beginRead(ctx context.Context) (*Tx, error) {
	return db.beginTx(ctx, &sql.TxOptions{ReadOnly: true})
}

func (db *DB) beginTx(ctx context.Context, opts *sql.TxOptions) (*Tx, error) {
	tx, err := db.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &Tx{Tx: tx, db: db, now: db.now().UTC()}, nil
}

// rollback is deferred by every method. After Commit it returns
// sql.ErrTxDone, and after a failure the caller already has the error that
// matters, so its result is dropped.
func (tx *Tx) rollback() { _ = tx.Rollback() }

// folio_fold lowers text the Go way for Search: SQLite's own lower() and
// LIKE fold ASCII only, which would miss "Ω" against "ω" or "Б" against "б".
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("folio_fold", 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			switch v := args[0].(type) {
			case string:
				return strings.ToLower(v), nil
			case []byte:
				return strings.ToLower(string(v)), nil
			case nil:
				return nil, nil
			}
			return nil, fmt.Errorf("folio_fold: want text, got %T", args[0])
		})
}
