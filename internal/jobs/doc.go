// Package jobs is the durable background job queue: email, image processing,
// translation and federation delivery go through it, so work that was
// accepted survives a restart and failed attempts are retried with backoff.
//
// It wraps River (github.com/riverqueue/river) with its SQLite driver (Open)
// or its pgx driver for PostgreSQL (OpenPostgres). The queue's tables live
// in the site's database beside the content, so a backup carries the
// pending work too, and an enqueue can never point at a database the
// content is not in. On PostgreSQL every node shares the queue: a job runs
// once cluster-wide, and one left by a dead node is rescued by another. River's own migrations (its
// river_* tables) are applied by Open; they do not interfere with the store's
// goose migrations.
//
// Feature packages define their job args and workers and register them
// here; this package knows none of them. It imports only River (and the pgx pool
// type River's PostgreSQL driver takes) and the standard library.
package jobs
