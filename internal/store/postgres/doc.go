// Package postgres implements store.Store on PostgreSQL through
// github.com/jackc/pgx/v5, for sites that run several Folio nodes on one
// database.
//
// It owns the PostgreSQL schema (migrations/, applied with goose, numbered
// like sqlite's so both lists stay in step) and the mapping of driver errors
// to content.Error codes by SQLSTATE. The SQL is written with ? placeholders,
// as in the SQLite store, and numbered ($1, $2 …) by the transaction wrapper;
// queries whose meaning differs (ID lists, case folding, sequences, locks)
// are PostgreSQL's own. It imports only content and store. The contract it
// keeps is tested by storetest, shared with the SQLite implementation.
package postgres
