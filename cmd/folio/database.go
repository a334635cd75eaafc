package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"folio/internal/changes"
	"folio/internal/config"
	"folio/internal/jobs"
	"folio/internal/store"
	"folio/internal/store/postgres"
	"folio/internal/store/sqlite"
)

// siteStore is everything the commands use of a store; both the SQLite and
// the PostgreSQL store provide all of it.
type siteStore interface {
	store.Store
	store.Tx
	store.BatchStore
	store.UserStore
	store.SessionStore
	store.AuditStore
	store.RevisionStore
	store.ImportStore
	store.ArchiveStore
	store.TranslationStore
	store.MediaVariantStore
	store.EventStore
	store.CursorStore
	store.TOTPStepStore
	store.MemberStore
	store.CommentStore
	store.NewsletterStore
	store.ReplyNoticeStore
	store.RepublishStore
	store.SyndicationStore
	store.WebhookStore
	PoolStats() store.PoolStats
	Ping(ctx context.Context) error
	Migrate(ctx context.Context) error
	SchemaVersion(ctx context.Context) (int64, error)
}

var (
	_ siteStore = (*sqlite.DB)(nil)
	_ siteStore = (*postgres.DB)(nil)
)

// openStore opens the store cfg.Database selects, migrated to the current
// schema. SQLite is the embedded default and always migrates itself.
// PostgreSQL is shared by every node: an empty database is migrated, but
// an existing older schema only with --auto-migrate (or by `folio
// migrate`), so an upgrade of the schema is a step the operator takes once,
// not a race among nodes starting a new version.
func openStore(ctx context.Context, cfg config.Config) (siteStore, error) {
	kind, where, err := cfg.DatabaseKind()
	if err != nil {
		return nil, err
	}
	if kind == config.Postgres {
		return openPostgres(ctx, where, cfg.AutoMigrate)
	}
	if cfg.Database == "" || cfg.Database == config.SQLite {
		if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
			return nil, fmt.Errorf("data directory: %w", err)
		}
	}
	db, err := sqlite.Open(ctx, where)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return db, nil
}

func openPostgres(ctx context.Context, url string, migrate bool) (*postgres.DB, error) {
	db, err := postgres.Connect(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	pending, err := db.Pending(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	if pending && v > 0 && !migrate {
		db.Close()
		return nil, fmt.Errorf("open database: the PostgreSQL schema (version %d) is older than this Folio; run `folio migrate --database …` once, or start with --auto-migrate", v)
	}
	if pending {
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("open database: %w", err)
		}
	}
	return db, nil
}

// migrateStore opens the store and applies every pending migration, for
// `folio migrate`.
func migrateStore(ctx context.Context, cfg config.Config) (siteStore, error) {
	cfg.AutoMigrate = true
	return openStore(ctx, cfg)
}

// openJobs opens the job queue in the store's own database.
func openJobs(ctx context.Context, db siteStore, log *slog.Logger) (*jobs.Queue, error) {
	switch db := db.(type) {
	case *sqlite.DB:
		return jobs.Open(ctx, db.SQL(), log, jobs.Options{})
	case *postgres.DB:
		return jobs.OpenPostgres(ctx, db.Pool(), log, jobs.Options{})
	}
	return nil, fmt.Errorf("jobs: no queue for store %T", db)
}

// listenPoll is how often a node on PostgreSQL reads the change log
// without being told to: a safety net only, for announcements lost in a
// way a reconnection does not reveal.
const listenPoll = 10 * time.Second

// runRelay follows other processes' change events until ctx ends. On
// PostgreSQL the nodes announce their events with NOTIFY, so a write on one
// node reaches every node's page cache at once; after a lost connection the
// relay catches up from the change log. SQLite has no notifications, and
// its other processes (imports, translation runs) are polled for.
func runRelay(ctx context.Context, db siteStore, relay *changes.Relay, log *slog.Logger) error {
	if pg, ok := db.(*postgres.DB); ok {
		return relay.RunListening(ctx, func(ctx context.Context, announce func(int64)) error {
			return pg.ListenChanges(ctx, announce, func(err error) {
				log.Warn("change notifications interrupted; reconnecting", "err", err)
			})
		}, listenPoll)
	}
	return relay.Run(ctx, 500*time.Millisecond)
}

// describeDatabase names the database for messages, without secrets.
func describeDatabase(cfg config.Config) string {
	kind, where, err := cfg.DatabaseKind()
	if err != nil {
		return "(invalid database setting)"
	}
	if kind == config.Postgres {
		return config.RedactURL(where)
	}
	return where
}
