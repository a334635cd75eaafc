// Package jobs is the durable background job queue: email, image processing,
// translation and federation delivery go through it, so work that was
// accepted survives a restart and failed attempts are retried with backoff.
//
// It wraps River (github.com/riverqueue/river) with its SQLite driver. The
// queue's tables live in the main database file beside the content, so a
// backup of folio.db carries the pending work too, and an enqueue can never
// point at a database the content is not in. River's own migrations (its
// river_* tables) are applied by Open; they do not interfere with the store's
// goose migrations.
//
// Feature packages define their job args and workers and register them
// here; this package knows none of them. It imports only River and the
// standard library.
package jobs
