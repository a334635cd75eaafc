package store

import "time"

// PoolStats describes a store's connection pool, for metrics.
type PoolStats struct {
	MaxOpen      int           // the pool's limit
	Open         int           // connections open, in use or idle
	InUse        int           // connections lent out now
	Idle         int           // connections open and waiting
	WaitCount    int64         // acquisitions that had to wait, ever
	WaitDuration time.Duration // time spent waiting for a connection, ever
}
