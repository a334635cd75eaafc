// Package health answers the liveness and readiness probes of load
// balancers and orchestrators: /healthz says the process serves HTTP,
// /readyz that it can do its work (its database, job queue and media
// directory answer).
//
// It imports only the standard library; the checks are functions.
package health
