// Package metrics exposes Folio's Prometheus metrics: requests by route
// class and status, request and render durations, the page cache's
// counters, the job queue's depth and the database pool.
//
// It is the one package that imports github.com/prometheus/client_golang.
// It imports store (for PoolStats) and cache (for Stats); what it observes
// is reached through functions, so it knows nothing of the wiring.
package metrics
