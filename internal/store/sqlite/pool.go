package sqlite

import (
	"context"

	"folio/internal/store"
)

// PoolStats reports the connection pool, for metrics.
func (db *DB) PoolStats() store.PoolStats {
	s := db.db.Stats()
	return store.PoolStats{MaxOpen: s.MaxOpenConnections, Open: s.OpenConnections, InUse: s.InUse, Idle: s.Idle,
		WaitCount: s.WaitCount, WaitDuration: s.WaitDuration}
}

// Ping checks that the database answers a query, for readiness.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.db.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
}
