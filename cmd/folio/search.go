package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"folio/internal/cache/key"
	"folio/internal/config"
	"folio/internal/importer"
	"folio/internal/search"
	"folio/internal/search/pgsearch"
	"folio/internal/store/postgres"
)

// appOptions are the parts of the app only some commands need.
type appOptions struct {
	search bool
	// static builds pages for export-static: no search form (a static
	// host has no /search/), unless searchSite names a live site for it.
	static     bool
	searchSite string
}

// forExport builds the pages a static host serves; see appOptions.static.
func forExport(searchSite string) appOption {
	return func(o *appOptions) { o.static, o.searchSite = true, searchSite }
}

type appOption func(*appOptions)

// withSearch opens the search index, which one process holds at a time:
// serve does, export-static and the benchmarks do not.
func withSearch() appOption { return func(o *appOptions) { o.search = true } }

// searchDir is the index directory of a data directory.
func searchDir(dataDir string) string { return filepath.Join(dataDir, search.DirName) }

// openSearch opens the index and the follower that keeps it in step with
// the change log; local writes nudge it so they are searchable at once.
func (a *app) openSearch(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	idx, err := openIndex(ctx, cfg, a.db)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	a.search = idx
	a.follow = &search.Follower{Index: idx, Store: a.db, Events: a.db, Log: log}
	a.relay.Subscribe(func(key.Event) { a.follow.Nudge() })
	return nil
}

// searchIndex returns the index for handlers, or a nil interface.
func (a *app) searchIndex() search.Index {
	if a.search == nil {
		return nil
	}
	return a.search
}

// startSearch repairs the index (catching up with changes made while the
// server was down, or rebuilding it) and then follows the change log, in
// the background: searches meanwhile answer from the index as it is.
func (a *app) startSearch(ctx context.Context, log *slog.Logger) {
	if a.follow == nil {
		return
	}
	ctx, a.stopFollow = context.WithCancel(ctx)
	a.followWG.Add(1)
	go func() {
		defer a.followWG.Done()
		start := time.Now()
		rebuilt, err := a.follow.Repair(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("repair search index", "err", err)
		case rebuilt:
			n, _ := a.search.Count()
			log.Info("search index rebuilt", "articles", n, "took", time.Since(start).Round(time.Millisecond).String())
		}
		a.follow.Run(ctx, time.Second)
	}()
}

// closeSearch stops the follower, waits for it and closes the index.
func (a *app) closeSearch() {
	if a.search == nil {
		return
	}
	if a.stopFollow != nil {
		a.stopFollow()
	}
	a.followWG.Wait()
	_ = a.search.Close()
}

func cmdSearch(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "reindex" {
		return errors.New("usage: folio search reindex [--data DIR]")
	}
	cfg, err := loadConfig("search reindex", args[1:], getenv, stderr, nil)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	idx, err := openIndex(ctx, cfg, db)
	if errors.Is(err, search.ErrLocked) {
		return fmt.Errorf("search reindex: %w; stop the server first (it repairs its index itself on start)", err)
	}
	if err != nil {
		return fmt.Errorf("search reindex: %w", err)
	}
	f := &search.Follower{Index: idx, Store: db, Events: db, Log: newLogger(cfg, stderr)}
	bar := importer.NewProgress(stderr)
	prev := -1
	start := time.Now()
	err = f.Rebuild(ctx, func(done, total int) {
		if bar == nil {
			return
		}
		if prev < 0 {
			bar.Start(total, "indexing")
			prev = 0
		}
		bar.Add(done - prev)
		prev = done
	})
	if bar != nil && prev >= 0 {
		bar.Done()
	}
	n, cerr := idx.Count()
	if err == nil {
		err = cerr
	}
	if cerr := idx.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("search reindex: %w", err)
	}
	where := searchDir(cfg.DataDir)
	if cfg.SearchOnPostgres() {
		where = "in PostgreSQL"
	}
	fmt.Fprintf(stdout, "search index %s: %d articles in %s\n", where, n, time.Since(start).Round(time.Millisecond))
	return nil
}

// openIndex opens the search index cfg selects: PostgreSQL full-text
// search in the shared database (every node reads and follows the same
// index), or the embedded bleve index in the data directory.
func openIndex(ctx context.Context, cfg config.Config, db siteStore) (search.Index, error) {
	if cfg.SearchOnPostgres() {
		pg, ok := db.(*postgres.DB)
		if !ok {
			return nil, errors.New("search-backend postgres needs the PostgreSQL store")
		}
		return pgsearch.Open(ctx, pg.Pool())
	}
	return search.Open(searchDir(cfg.DataDir))
}
