// Package search is the reader-facing full-text index of the archive.
//
// It owns three things: the Index interface (what handlers and the CLI
// call), its embedded implementation on bleve in <data>/search.bleve, and
// the Follower that keeps the index in step with the store by consuming the
// change log, never by being written to from a second path.
//
// Why an interface: one machine runs the embedded bleve index beside the
// SQLite database; several nodes sharing PostgreSQL cannot share a bleve
// directory (it is single-writer and lives on one disk). There the index
// will be PostgreSQL full-text search over the same documents (tsvector
// columns per language configuration, ts_headline for snippets, GROUP BY
// for facets, pg_trgm similarity for suggestions), or an external engine.
// Both fit Index as it stands: documents in (Upsert, Delete), a Query with
// filters, sort and page out, Results with hits, snippets, facet counts, a
// total and a suggestion. Nothing outside this package imports bleve.
//
// What readers may find is decided in one place, Eligible: published and
// live, and not an unreviewed machine translation. Everything else is
// dropped from the index when a change reaches it.
//
// It imports content and store; it must not import the HTTP packages.
package search
