package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime"
	"runtime/debug"
	"time"

	"folio/internal/backup"
	"folio/internal/config"
	"folio/internal/editorial"
	"folio/internal/media"
	"folio/internal/republish"
	"folio/internal/server"
	"folio/internal/urls"
)

// memoryHeadroom is what serve needs beside the page cache: SQLite's page
// caches, renders in flight, the job queue and the runtime.
const memoryHeadroom = 128 << 20

// setMemoryLimit gives the Go runtime a soft memory limit of the page
// cache's budget plus headroom, unless GOMEMLIMIT says otherwise. The cache
// is most of the heap and lives long; without a limit the collector lets the
// heap grow to twice it before collecting.
func setMemoryLimit(cfg config.Config, getenv func(string) string) {
	if getenv("GOMEMLIMIT") != "" || cfg.CacheBytes <= 0 {
		return
	}
	debug.SetMemoryLimit(cfg.CacheBytes + memoryHeadroom)
}

// cmdServe runs the site until ctx ends. ready, when set, receives the bound
// address once the server listens (tests use port 0).
func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready chan<- string) error {
	cfg, err := loadConfig("serve", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	setMemoryLimit(cfg, getenv)
	urls.SetMediaBase(cfg.MediaBaseURL)
	a, err := newApp(ctx, cfg, log, withSearch())
	if err != nil {
		return err
	}
	defer a.db.Close()
	// Deferred after Close, so it runs before it: the follower stops (ctx
	// is done by then) and the index is flushed while the database is open.
	defer a.closeSearch()
	a.startSearch(ctx, log)
	if d := withPurger(a, cfg, log); d != nil {
		go d.Run(ctx)
		// Deferred after Close, so it runs before it: pending purges go.
		defer d.Wait()
	}
	if err := a.jobs.Start(ctx); err != nil {
		return err
	}
	// Sends cut short by the last stop go on; nobody is mailed twice.
	if err := a.sends.Resume(ctx); err != nil {
		log.Error("resume newsletter sends", "err", err)
	}
	// Deferred after Close, so it runs before it: running jobs finish (or
	// are cut short and kept for the next start) while the database is open.
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
		defer cancel()
		if err := a.jobs.Stop(sctx); err != nil {
			log.Error("stop job queue", "err", err)
		}
	}()
	// Webhooks catch up on what was logged while no server ran (and, on
	// a site's first start, save their position) before requests write.
	if err := a.hooks.CatchUp(ctx); err != nil {
		log.Error("queue webhook deliveries", "err", err)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// Deferred after Close, so it runs before it: the last counts are
	// flushed while the database is open.
	flush := republish.DefaultFlushEvery
	if d, err := time.ParseDuration(getenv("FOLIO_REPUBLISH_FLUSH")); err == nil && d > 0 {
		flush = d
	}
	a.republish.run(ctx, flush, log)
	defer a.republish.stop(log)
	log.Info("folio serving", "addr", ln.Addr().String(), "data", cfg.DataDir, "database", describeDatabase(cfg), "version", versionString())
	fmt.Fprintf(stdout, "Folio is serving on http://%s/\n", displayAddr(ln.Addr()))
	if ready != nil {
		ready <- ln.Addr().String()
	}
	if cfg.MetricsAddr != "" {
		wait, err := serveOps(ctx, cfg, a, log)
		if err != nil {
			return err
		}
		defer wait()
	}
	go scheduler(ctx, a.svc, log)
	// Uploads, variant jobs, imports and backups killed mid-write leave
	// files behind; the walk over the media tree runs beside serving, not
	// before it.
	go sweepLeftovers(ctx, a, log)
	if a.refresh != nil {
		go a.refresh.Run(ctx, runtime.GOMAXPROCS(0))
	}
	go a.hooks.Run(ctx, time.Second)
	go func() {
		if err := runRelay(ctx, a.db, a.relay, log); err != nil {
			log.Error("change log", "err", err)
		}
	}()
	return server.Serve(ctx, ln, a.h, log, cfg.ShutdownTimeout)
}

// sweepLeftovers removes what writes killed mid-way left: upload and
// variant temp files, media files no record names (each once older than
// media.SweepAge) and backup snapshots in the temp dir (backup.StaleAfter).
func sweepLeftovers(ctx context.Context, a *app, log *slog.Logger) {
	if n := a.lib.SweepTemp(media.SweepAge); n > 0 {
		log.Info("removed temp files of interrupted uploads", "files", n)
	}
	n, err := a.lib.SweepOrphans(ctx, a.db.FindMediaPaths, media.SweepAge)
	if err != nil && ctx.Err() == nil {
		log.Warn("sweep media files of interrupted uploads", "err", err)
	}
	if n > 0 {
		log.Info("removed media files of interrupted uploads that no record names", "files", n)
	}
	if n := backup.RemoveStaleTemp(); n > 0 {
		log.Info("removed temp files of interrupted backups", "files", n)
	}
}

func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// scheduler publishes scheduled articles when their time comes. The state
// is in the database, so a restart loses nothing.
func scheduler(ctx context.Context, svc *editorial.Service, log *slog.Logger) {
	sched := svc.System("scheduler")
	t := time.NewTicker(time.Second)
	defer t.Stop()
	// Members-first articles open by time alone; pages cached before
	// then still show the call to join. A restart drops the cache, so
	// counting from the start is enough.
	opened := time.Now()
	var bannerUp *bool
	var pruned time.Time   // suppressions past their retention, once a day
	var digested time.Time // digests due, once a minute
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			now := time.Now()
			if ids, err := sched.OpenDue(ctx, opened, now); err != nil {
				if ctx.Err() == nil {
					log.Error("open members-first articles", "err", err)
				}
			} else {
				opened = now
				if len(ids) > 0 {
					log.Info("members-first articles opened to everyone", "ids", ids)
				}
			}
			// A banner with a start or end time appears or goes when that
			// time passes: saving the unchanged settings drops the cached
			// pages, which every one shows the banner on.
			if st, err := svc.Store().Settings(ctx); err == nil && st.Banner != nil {
				up := st.Banner.ShowsAt(time.Now())
				if bannerUp != nil && *bannerUp != up {
					if err := sched.UpdateSettings(ctx, st); err != nil && ctx.Err() == nil {
						log.Error("refresh pages for the banner", "err", err)
					}
				}
				bannerUp = &up
			}
			if time.Since(digested) > time.Minute && svc.KeepsReaders() {
				digested = time.Now()
				if sends, err := sched.SendDigests(ctx, digested); err != nil && ctx.Err() == nil {
					log.Error("send digests", "err", err)
				} else if len(sends) > 0 {
					log.Info("digests sent", "sends", len(sends))
				}
			}
			if time.Since(pruned) > 24*time.Hour {
				pruned = time.Now()
				if n, err := sched.PruneSuppressions(ctx); err != nil && ctx.Err() == nil && svc.KeepsReaders() {
					log.Error("prune mail suppressions", "err", err)
				} else if n > 0 {
					log.Info("mail suppressions past their retention deleted", "count", n)
				}
			}
			ids, err := sched.PublishDue(ctx)
			if err != nil {
				if ctx.Err() == nil {
					log.Error("publish scheduled articles", "err", err)
				}
				continue
			}
			if len(ids) > 0 {
				log.Info("published scheduled articles", "ids", ids)
			}
		}
	}
}
