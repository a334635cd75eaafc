// Package api serves Folio's JSON API v1 under /api/v1/: articles, authors,
// terms, settings and media, authenticated with bearer tokens, described by
// an OpenAPI 3.1 document built from the same route table that Register uses.
//
// Handlers return errors; one adapter (errors.go) turns them into statuses
// and JSON bodies. It imports content, store, editorial, media and urls; it
// never touches SQL or renders HTML.
package api
