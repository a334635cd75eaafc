package postgres

import (
	"context"

	"folio/internal/store"
)

// PoolStats reports the pgx connection pool, for metrics.
func (db *DB) PoolStats() store.PoolStats {
	s := db.pool.Stat()
	return store.PoolStats{MaxOpen: int(s.MaxConns()), Open: int(s.TotalConns()), InUse: int(s.AcquiredConns()),
		Idle: int(s.IdleConns()), WaitCount: s.EmptyAcquireCount(), WaitDuration: s.EmptyAcquireWaitTime()}
}

// Ping checks that the database answers a query, for readiness.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.db.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
}
