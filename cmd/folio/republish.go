package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"folio/internal/auth"
	"folio/internal/config"
	"folio/internal/jobs"
	"folio/internal/republish"
	"folio/internal/store"
	"folio/internal/webhooks"
)

// newWebhooks registers the webhook delivery worker on q and returns the
// dispatcher that turns the change log into deliveries. serve runs it:
// it reads every process's writes (imports and other CLI commands too) from
// the log, from its saved position, and its jobs are unique, so several
// nodes never deliver an event twice.
func newWebhooks(db siteStore, q *jobs.Queue, log *slog.Logger) *webhooks.Dispatcher {
	jobs.Register(q, &webhooks.Worker{Store: db, Log: log})
	return &webhooks.Dispatcher{Store: db, Queue: q, Log: log}
}

// republishing is the republish handler with its view counter and the
// loop that flushes the counter.
type republishing struct {
	h       *republish.Handler
	counter *republish.Counter
	own     atomic.Value // string: this site's host, whose pages are not republications
	wg      sync.WaitGroup
}

// mountRepublish wires the republish pages, the tracking image and the
// partner feeds.
func mountRepublish(ctx context.Context, mux *http.ServeMux, a *app, cfg config.Config, log *slog.Logger) (*republishing, error) {
	proxies, err := cfg.TrustedProxyPrefixes()
	if err != nil {
		return nil, err
	}
	rp := &republishing{}
	rp.own.Store("")
	rp.counter = &republish.Counter{Own: func() string { return rp.own.Load().(string) }}
	rp.h, err = republish.New(republish.Config{Store: a.db, Counter: rp.counter, Logger: log,
		BaseURL: func() string { return cfg.BaseURL }, AssetURL: a.rnd.AssetURL,
		ClientIP: func(r *http.Request) string { return auth.RealIP(r, proxies) }})
	if err != nil {
		return nil, err
	}
	rp.counter.Record = rp.h.Record
	rp.reload(ctx)
	rp.h.Register(mux)
	return rp, nil
}

// reload reads the domain rules and the site's own host.
func (rp *republishing) reload(ctx context.Context) ([]*store.DomainRule, error) {
	if st, err := rp.h.Settings(ctx); err == nil {
		if u, err := url.Parse(st.BaseURL); err == nil {
			rp.own.Store(strings.ToLower(u.Host))
		}
	}
	rs, err := rp.h.Rules(ctx)
	if err == nil {
		rp.counter.SetRules(rs)
	}
	return rs, err
}

// run flushes the counter every interval until ctx ends.
func (rp *republishing) run(ctx context.Context, every time.Duration, log *slog.Logger) {
	rp.wg.Add(1)
	go func() {
		defer rp.wg.Done()
		rp.counter.Run(ctx, every, rp.reload, func(err error) { log.Error("flush republication counts", "err", err) })
	}()
}

// stop waits for the flush loop, then flushes what requests that were
// still running when it ended counted (serve calls it once the server has
// shut down and before the database closes).
func (rp *republishing) stop(log *slog.Logger) {
	rp.wg.Wait()
	if err := rp.counter.Flush(context.Background()); err != nil {
		log.Error("flush republication counts", "err", err)
	}
}
