package sqlite

import "database/sql"

// SQL returns the connection pool behind the store. It exists for
// components that keep their own tables in the same file, such as the job
// queue: they share the pool, and with it the DSN pragmas (busy timeout,
// WAL, BEGIN IMMEDIATE) that keep concurrent writers from failing. Callers
// must not close it; Close on the store does.
func (db *DB) SQL() *sql.DB { return db.db }
