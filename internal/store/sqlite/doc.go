// Package sqlite implements store.Store on an embedded SQLite database through
// the pure-Go driver modernc.org/sqlite, so Folio ships as one binary with no
// C toolchain.
//
// It owns the SQLite schema (migrations/, applied with goose) and the mapping
// of driver errors to content.Error codes. It imports only content and store;
// nothing here knows about HTTP, rendering or services. The contract it must
// keep is tested by storetest.Run, shared with the PostgreSQL implementation.
package sqlite
