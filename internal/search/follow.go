package search

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"folio/internal/store"
)

// Follower keeps an Index in step with the store. It reads the change log
// (store.EventStore), in which every editorial write of every process
// sharing the database is recorded after it commits, and applies each
// event's keys: so the index has no write path of its own, and a change
// made while the server was down (an import, a translation run) is found
// on the next start.
//
// The log position travels with the documents in one atomic Apply, so a
// crash mid-update loses nothing: on start the index resumes from the
// position it holds. When it cannot (a new or rebuilt-from-scratch index,
// an interrupted rebuild, events pruned from the log), it is rebuilt from
// the store.
type Follower struct {
	Index  Index
	Store  store.Store
	Events store.EventStore
	Log    *slog.Logger
	Now    func() time.Time // time.Now when nil

	mu    sync.Mutex // one update at a time
	pos   int64
	nudge chan struct{}
	once  sync.Once
}

// batchSize is how many articles are loaded and indexed at once.
const batchSize = 500

func (f *Follower) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

func (f *Follower) log() *slog.Logger {
	if f.Log != nil {
		return f.Log
	}
	return slog.Default()
}

func (f *Follower) nudges() chan struct{} {
	f.once.Do(func() { f.nudge = make(chan struct{}, 1) })
	return f.nudge
}

// Repair brings the index up to date at start: it resumes from the stored
// position, or rebuilds when the position cannot be trusted. It returns
// whether it rebuilt.
func (f *Follower) Repair(ctx context.Context) (rebuilt bool, err error) {
	st, ok, err := f.Index.State()
	if err != nil {
		return false, err
	}
	last, err := f.Events.LastEventID(ctx)
	if err != nil {
		return false, fmt.Errorf("search: repair: %w", err)
	}
	reason := ""
	switch {
	case !ok:
		reason = "new index"
	case st.Rebuilding:
		reason = "an earlier rebuild was interrupted"
	case last < st.Event:
		reason = "the change log is older than the index"
	case last > st.Event:
		evs, err := f.Events.EventsAfter(ctx, st.Event, 1)
		if err != nil {
			return false, fmt.Errorf("search: repair: %w", err)
		}
		if len(evs) == 0 || evs[0].ID != st.Event+1 {
			reason = "changes were pruned from the log before the index saw them"
		}
	}
	if reason != "" {
		f.log().Info("rebuilding the search index", "reason", reason)
		return true, f.Rebuild(ctx, nil)
	}
	f.mu.Lock()
	f.pos = st.Event
	f.mu.Unlock()
	return false, f.Sync(ctx)
}

// Sync applies every event logged after the index's position.
func (f *Follower) Sync(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for {
		evs, err := f.Events.EventsAfter(ctx, f.pos, batchSize)
		if err != nil {
			return fmt.Errorf("search: read changes after %d: %w", f.pos, err)
		}
		if len(evs) == 0 {
			return nil
		}
		w := newWork()
		for _, e := range evs {
			w.add(e.Event)
		}
		last := evs[len(evs)-1].ID
		if err := f.apply(ctx, w, last); err != nil {
			return err
		}
		f.pos = last
		if len(evs) < batchSize {
			return nil
		}
	}
}

// Nudge asks Run to look at the log now; writers' change callbacks call it
// so a local write reaches the index without waiting for the next tick.
func (f *Follower) Nudge() {
	select {
	case f.nudges() <- struct{}{}:
	default:
	}
}

// Run syncs on every tick and nudge until ctx ends.
func (f *Follower) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-f.nudges():
			// The writer logs its event just after calling back; give it
			// a moment so this pass sees it.
			time.Sleep(20 * time.Millisecond)
		}
		if err := f.Sync(ctx); err != nil && ctx.Err() == nil {
			f.log().Error("update search index", "err", err)
		}
	}
}

// apply does w and records position pos with the last batch.
func (f *Follower) apply(ctx context.Context, w *work, pos int64) error {
	ids := map[int64]bool{}
	for id := range w.articles {
		ids[id] = true
	}
	for id := range w.authors {
		if err := f.carrying(ctx, ids, store.ArticleFilter{AuthorID: id}, FacetAuthor, id); err != nil {
			return err
		}
	}
	for id := range w.terms {
		if err := f.carrying(ctx, ids, store.ArticleFilter{TermID: id}, "", id); err != nil {
			return err
		}
	}
	list := make([]int64, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	slices.Sort(list)
	state := &State{Event: pos}
	if len(list) == 0 {
		return f.Index.Apply(ctx, Update{State: state})
	}
	for start := 0; start < len(list); start += batchSize {
		chunk := list[start:min(start+batchSize, len(list))]
		arts, _, err := f.Store.FindArticles(ctx, store.ArticleFilter{IDs: chunk, NoTotal: true})
		if err != nil {
			return fmt.Errorf("search: load %d articles: %w", len(chunk), err)
		}
		u := Update{}
		found := map[int64]bool{}
		now := f.now()
		loc := f.location(ctx)
		for _, a := range arts {
			found[a.ID] = true
			if Eligible(a, now) {
				u.Upsert = append(u.Upsert, DocOf(a, loc, now))
			} else {
				u.Delete = append(u.Delete, a.ID)
			}
		}
		for _, id := range chunk {
			if !found[id] {
				u.Delete = append(u.Delete, id)
			}
		}
		if start+batchSize >= len(list) {
			u.State = state
		}
		if err := f.Index.Apply(ctx, u); err != nil {
			return err
		}
	}
	return nil
}

// carrying adds to ids the articles that carry an author or term now (from
// the store) or did when indexed (from the index, for deleted ones).
// facet "" means any term facet.
func (f *Follower) carrying(ctx context.Context, ids map[int64]bool, flt store.ArticleFilter, facet string, id int64) error {
	flt.NoTotal = true
	arts, _, err := f.Store.FindArticles(ctx, flt)
	if err != nil {
		return fmt.Errorf("search: articles of %s %d: %w", facetOr(facet), id, err)
	}
	for _, a := range arts {
		ids[a.ID] = true
	}
	facets := []string{facet}
	if facet == "" {
		facets = []string{FacetRegion, FacetTheme, FacetDossier, "tag"}
	}
	for _, fc := range facets {
		got, err := f.Index.DocsWith(ctx, fc, strconv.FormatInt(id, 10))
		if err != nil {
			return err
		}
		for _, d := range got {
			ids[d] = true
		}
	}
	return nil
}

func facetOr(f string) string {
	if f == "" {
		return "term"
	}
	return f
}

// Rebuild indexes every eligible article afresh and drops every other
// document, then catches up with the changes made meanwhile. progress,
// when set, is told how many of the public articles are done.
func (f *Follower) Rebuild(ctx context.Context, progress func(done, total int)) error {
	if err := f.rebuild(ctx, progress); err != nil {
		return err
	}
	return f.Sync(ctx)
}

func (f *Follower) rebuild(ctx context.Context, progress func(done, total int)) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	last, err := f.Events.LastEventID(ctx)
	if err != nil {
		return fmt.Errorf("search: rebuild: %w", err)
	}
	// Marked first, so a crash from here on rebuilds again at start.
	if err := f.Index.Apply(ctx, Update{State: &State{Event: f.pos, Rebuilding: true}}); err != nil {
		return err
	}
	now := f.now()
	loc := f.location(ctx)
	// Unreviewed machine translations are never indexed (Eligible), so
	// the scan and its progress leave them out.
	flt := store.ArticleFilter{Public: true, Reviewed: true, Now: now, Limit: batchSize}
	seen := map[int64]bool{}
	done, total := 0, -1
	for {
		arts, n, err := f.Store.FindArticles(ctx, flt)
		if err != nil {
			return fmt.Errorf("search: rebuild: load articles: %w", err)
		}
		if total < 0 {
			total = n
			flt.NoTotal = true
		}
		u := Update{}
		for _, a := range arts {
			seen[a.ID] = true
			if Eligible(a, now) {
				u.Upsert = append(u.Upsert, DocOf(a, loc, now))
			}
		}
		if err := f.Index.Apply(ctx, u); err != nil {
			return err
		}
		done += len(arts)
		if progress != nil {
			progress(done, total)
		}
		if len(arts) < batchSize {
			break
		}
		c := store.CursorOf(arts[len(arts)-1])
		flt.After = &c
	}
	ids, err := f.Index.IDs()
	if err != nil {
		return err
	}
	var stale []int64
	for _, id := range ids {
		if !seen[id] {
			stale = append(stale, id)
		}
	}
	if err := f.Index.Apply(ctx, Update{Delete: stale, State: &State{Event: last}}); err != nil {
		return err
	}
	f.pos = last
	return nil
}

// location is the site's time zone, in which the year facet counts.
func (f *Follower) location(ctx context.Context) *time.Location {
	st, err := f.Store.Settings(ctx)
	if err != nil || st.TimeZone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(st.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}
