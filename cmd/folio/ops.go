package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"

	"folio/internal/config"
	"folio/internal/health"
	"folio/internal/metrics"
	"folio/internal/server"
)

// newMetrics returns the collectors of one serving process.
func newMetrics(a *app) *metrics.Metrics {
	src := metrics.Sources{QueueDepth: a.jobs.Depth, Pool: a.db.PoolStats}
	if a.cache != nil {
		src.Cache = a.cache.Stats
	}
	return metrics.New(src)
}

// readiness lists what a node needs to do its work: the database, the job
// queue's tables in it, and a media directory it can write.
func readiness(a *app) []health.Check {
	return []health.Check{
		{Name: "database", Fn: a.db.Ping},
		{Name: "jobs", Fn: func(ctx context.Context) error { _, err := a.jobs.Depth(ctx); return err }},
		{Name: "media", Fn: mediaCheck(a)},
	}
}

// serveOps starts the operator's listener on cfg.MetricsAddr: Prometheus
// metrics and the probes with their error details. It is apart from the
// site so that neither readers nor a CDN reach it; bind it to loopback or
// a private network. It stops when ctx ends; wait returns once it has.
func serveOps(ctx context.Context, cfg config.Config, a *app, log *slog.Logger) (wait func(), err error) {
	ln, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		return nil, fmt.Errorf("listen for metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.metrics.Handler())
	mux.Handle("GET /healthz", health.Live())
	mux.Handle("GET /readyz", health.Ready(true, readiness(a)...))
	log.Info("metrics serving", "addr", ln.Addr().String())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := server.Serve(ctx, ln, mux, log, cfg.ShutdownTimeout); err != nil {
			log.Error("metrics listener", "err", err)
		}
	}()
	return func() { <-done }, nil
}

// mediaCheck probes the media store: the shared bucket when media are in
// S3, the media directory otherwise.
func mediaCheck(a *app) func(context.Context) error {
	if a.lib != nil && a.lib.Objects != nil {
		return a.lib.Ping
	}
	return health.WritableDir(a.media)
}
