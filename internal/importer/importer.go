package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/media"
	"folio/internal/store"
	"folio/internal/urls"
)

// Store is what the importers need beyond the editorial service.
type Store interface {
	store.Store
	store.ImportStore
}

// Options configure a WordPress or Ghost import.
type Options struct {
	Editorial *editorial.Service
	Store     Store
	Media     *media.Library // where featured images go
	Uploads   string         // local copy of wp-content/uploads (or Ghost's content/images); "" for none
	Mapping   *Mapping       // how WordPress categories and tags become terms; DefaultMapping when nil
	DryRun    bool           // read, check and report; write nothing
	Force     bool           // overwrite articles edited in Folio since the last import
	SkipPages bool           // leave pages out instead of importing them tagged "page"
	// Fetch, when set (--fetch-media), downloads images the uploads copy
	// lacks from the old site.
	Fetch    *Fetcher
	Progress Progress // may be nil

	batch int // articles per write transaction; wpBatch when 0 (tests make it small)
}

func (o Options) batchSize() int {
	if o.batch > 0 {
		return o.batch
	}
	return wpBatch
}

// Entity kinds in import records and report counts.
const (
	kindArticle  = "article"
	kindPage     = "page"
	kindAuthor   = "author"
	kindTerm     = "term"
	kindMedia    = "media"
	kindComment  = "comment"
	kindRedirect = "redirect"
)

// run is the state of one import: what it wrote, so a failure can undo it.
type run struct {
	opt    Options
	source string
	rep    *Report
	urls   urls.Builder
	lang   string

	// journal of writes, undone in reverse order on failure (journal.go).
	journal journal

	// ed writes as the import's system actor; cur is ed or, while a batch
	// is open, the batch's editor, through which article, redirect,
	// comment and import-record writes go. Undo steps of a batch wait in
	// pending until it commits: a rolled-back batch wrote nothing.
	ed      *editorial.Editor
	cur     *editorial.Editor
	inBatch bool
	pending []undoStep

	// dry, in a dry run, holds what the run would have written (dry.go).
	dry *dryState
	// uploads indexes the uploads copy by file name (bodymedia.go).
	uploads map[string][]string
	// mediaID, when set, names the source id an image address is
	// recorded under (a WordPress attachment's id), so one file used as a
	// featured image and in bodies is imported once.
	mediaID func(src string) string
}

func newRun(ctx context.Context, source string, opt Options) (*run, error) {
	if opt.Editorial == nil || opt.Store == nil {
		return nil, errors.New("importer: editorial service and store are required")
	}
	if opt.Mapping == nil {
		opt.Mapping = DefaultMapping()
	}
	st, err := opt.Store.Settings(ctx)
	if err != nil {
		return nil, fmt.Errorf("importer: read settings: %w", err)
	}
	ed := opt.Editorial.System("import " + source)
	r := &run{opt: opt, source: source, rep: newReport(source, opt.DryRun), urls: urls.New(st), lang: st.DefaultLanguage,
		ed: ed, cur: ed}
	if opt.DryRun {
		if r.dry, err = newDryState(opt.Media); err != nil {
			return nil, fmt.Errorf("importer: dry run: %w", err)
		}
	}
	return r, nil
}

// did records how to undo one write.
func (r *run) did(st undoStep) error {
	if r.dry != nil {
		return nil
	}
	if r.inBatch {
		r.pending = append(r.pending, st)
		return nil
	}
	return r.journal.add(st)
}

// inOneBatch runs fn with every write through r.cur in one transaction
// (the editorial service's batch option); its undo steps join the journal
// once that transaction committed. A dry run writes nothing and opens none.
func (r *run) inOneBatch(ctx context.Context, fn func() error) error {
	if r.dry != nil {
		return fn()
	}
	r.pending = r.pending[:0]
	err := r.ed.Batch(ctx, func(tx *editorial.Editor) error {
		r.cur, r.inBatch = tx, true
		defer func() { r.cur, r.inBatch = r.ed, false }()
		return fn()
	})
	if err == nil {
		err = r.journal.add(r.pending...)
	}
	clear(r.pending)
	r.pending = r.pending[:0]
	return err
}

// rollback undoes every journaled write, newest first, on a context that
// is not the (possibly cancelled) one that failed.
func (r *run) rollback() error {
	ctx := context.Background()
	errs := r.journal.replay(func(st undoStep) error { return r.undoOne(ctx, st) })
	r.journal.close()
	return errors.Join(errs...)
}

// finish ends a run: on err everything is undone and err is returned with
// what the undo could not do.
func (r *run) finish(err error) (*Report, error) {
	r.dry.close()
	// Warnings of one item are given at staging and at writing, batches
	// apart; the report lists them by item.
	sort.SliceStable(r.rep.Warnings, func(i, j int) bool { return r.rep.Warnings[i].Item < r.rep.Warnings[j].Item })
	if err == nil {
		r.journal.close()
		return r.rep, nil
	}
	if uerr := r.rollback(); uerr != nil {
		return r.rep, fmt.Errorf("%w (and undoing the partial import failed: %v)", err, uerr)
	}
	return r.rep, err
}

// putRecord writes an import record and journals putting back the old one.
func (r *run) putRecord(ctx context.Context, rec *store.ImportRecord, old *store.ImportRecord) error {
	if err := r.writeRecord(ctx, rec); err != nil {
		return err
	}
	key := &store.ImportRecord{Kind: rec.Kind, SourceID: rec.SourceID, EntityKind: rec.EntityKind}
	return r.did(undoStep{Op: undoRecord, Key: key, Record: old})
}

// findRecord returns the import record or nil when there is none.
func (r *run) findRecord(ctx context.Context, sourceID, entity string) (*store.ImportRecord, error) {
	rec, err := r.readRecord(ctx, sourceID, entity)
	if content.ErrorCode(err) == content.ENOTFOUND {
		return nil, nil
	}
	return rec, err
}

// createArticle stores a new article through the editorial service and
// journals deleting it, including the 410 a deleted public article leaves.
func (r *run) createArticle(ctx context.Context, a *content.Article, pre *editorial.RenderedBody) error {
	if err := r.writeArticle(ctx, a, pre, true); err != nil {
		return err
	}
	return r.did(undoStep{Op: undoArticleNew, ID: a.ID, Path: r.urls.Article(a)})
}

// putRedirect adds a 301 from an old permalink and journals restoring
// whatever that path did before.
func (r *run) putRedirect(ctx context.Context, item int, id, from, to string) error {
	if from == "" || from == to || !strings.HasPrefix(from, "/") || urls.OldPath(to) == from {
		return nil
	}
	old, err := r.readRedirect(ctx, from)
	if err != nil && content.ErrorCode(err) != content.ENOTFOUND {
		return err
	}
	if old != nil && old.To == to && old.Status == 301 {
		r.rep.count(kindRedirect).Unchanged++
		return nil
	}
	if err := r.writeRedirect(ctx, &content.Redirect{From: from, To: to, Status: 301}); err != nil {
		if content.ErrorCode(err) == content.EINVALID {
			r.rep.warn(item, id, "old address %q not redirected: %v", from, err)
			return nil
		}
		return err
	}
	if old != nil {
		r.rep.count(kindRedirect).Updated++
	} else {
		r.rep.count(kindRedirect).Created++
	}
	return r.did(undoStep{Op: undoRedirect, Path: from, Redirect: old})
}

// dropRedirect removes the redirect at from when it leads to to (an earlier
// run made it for an item that is no longer public), journaling it.
func (r *run) dropRedirect(ctx context.Context, from, to string) error {
	old, err := r.readRedirect(ctx, from)
	if content.ErrorCode(err) == content.ENOTFOUND || (err == nil && old.To != to) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := r.removeRedirect(ctx, from); err != nil {
		return err
	}
	r.rep.count(kindRedirect).Skipped++
	return r.did(undoStep{Op: undoRedirect, Path: from, Redirect: old})
}

// stateHash fingerprints the editable parts of an article as stored, so a
// later run can tell whether someone changed it in Folio. Status is left
// out: scheduled pieces go live on their own.
func stateHash(a *content.Article) string {
	h := sha256.New()
	img := ""
	if a.Image != nil {
		img = a.Image.URL + "\x00" + a.Image.Caption + "\x00" + a.Image.Credit
	}
	for _, s := range []string{a.Title, a.Deck, a.Slug, a.BodyMarkdown, a.Excerpt, img, fmt.Sprint(a.Featured)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	for _, au := range a.Authors {
		fmt.Fprint(h, au.ID, ",")
	}
	for _, t := range a.Terms {
		fmt.Fprint(h, t.ID, ",")
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// sourceHash fingerprints an item as the source export had it.
func sourceHash(parts ...string) string {
	h := sha256.New()
	for _, s := range parts {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// recordHash joins the two hashes kept in ImportRecord.ContentHash:
// "state:source".
func recordHash(state, source string) string { return state + ":" + source }

func splitHash(h string) (state, source string) {
	state, source, _ = strings.Cut(h, ":")
	return state, source
}

// upsertArticle is shared by the WordPress and Ghost importers: it creates
// the article the item becomes, or updates the one an earlier run created,
// unless that one was edited in Folio since (then only with Force).
// build fills the fields from the item onto the article it is given.
//
// pre, when not nil, is the body rendered ahead of time.
func (r *run) upsertArticle(ctx context.Context, item int, sourceID, kind, srcHash string, pre *editorial.RenderedBody,
	build func(a *content.Article)) (*content.Article, error) {
	rec, err := r.findRecord(ctx, sourceID, kindArticle)
	if err != nil {
		return nil, err
	}
	var existing *content.Article
	if rec != nil {
		existing, err = r.readArticle(ctx, rec.EntityID)
		switch {
		case content.ErrorCode(err) == content.ENOTFOUND:
			if !r.opt.Force {
				r.rep.warn(item, sourceID, "deleted in Folio after an earlier import; left out (use --force to import it again)")
				r.rep.count(kind).Skipped++
				return nil, nil
			}
			existing = nil
		case err != nil:
			return nil, err
		}
	}
	if existing == nil {
		a := &content.Article{Language: r.lang}
		build(a)
		if r.dry != nil && a.Slug == "" {
			a.Slug = content.Slugify(a.Title) // what the editorial service would pick
		}
		if err := r.freeSlug(ctx, item, sourceID, a); err != nil {
			return nil, err
		}
		if err := r.createArticle(ctx, a, pre); err != nil {
			return nil, fmt.Errorf("item %d (id %s): %w", item, sourceID, err)
		}
		r.rep.count(kind).Created++
		return a, r.putRecord(ctx, &store.ImportRecord{Kind: r.source, SourceID: sourceID, EntityKind: kindArticle,
			EntityID: a.ID, ContentHash: recordHash(stateHash(a), srcHash)}, rec)
	}
	state, src := splitHash(rec.ContentHash)
	if stateHash(existing) != state {
		if !r.opt.Force {
			r.rep.warn(item, sourceID, "article %d was edited in Folio after the last import; not overwritten (use --force)", existing.ID)
			r.rep.count(kind).Skipped++
			return existing, nil
		}
		r.rep.warn(item, sourceID, "article %d was edited in Folio after the last import; overwritten (--force)", existing.ID)
	} else if src == srcHash {
		r.rep.count(kind).Unchanged++
		return existing, nil
	}
	old := *existing
	a := *existing
	a.Authors, a.Terms, a.Image = nil, nil, nil
	a.Excerpt = ""
	build(&a)
	if a.Slug != old.Slug {
		if err := r.freeSlug(ctx, item, sourceID, &a); err != nil {
			return nil, err
		}
	}
	if err := r.writeArticle(ctx, &a, pre, false); err != nil {
		return nil, fmt.Errorf("item %d (id %s): %w", item, sourceID, err)
	}
	if err := r.did(undoStep{Op: undoArticleOld, Article: &old}); err != nil {
		return nil, err
	}
	r.rep.count(kind).Updated++
	return &a, r.putRecord(ctx, &store.ImportRecord{Kind: r.source, SourceID: sourceID, EntityKind: kindArticle,
		EntityID: a.ID, ContentHash: recordHash(stateHash(&a), srcHash)}, rec)
}

// freeSlug keeps the source's slug when it is free in Folio, and otherwise
// picks the next free one with a warning: an article that is not from this
// import must not be overwritten, and the old permalink redirect points to
// the new slug anyway.
func (r *run) freeSlug(ctx context.Context, item int, id string, a *content.Article) error {
	if a.Slug == "" {
		return nil
	}
	s, err := content.UniqueSlug(a.Slug, func(c string) (bool, error) {
		return r.slugTaken(ctx, a.Language, c, a.ID)
	})
	if err != nil {
		return err
	}
	if s != a.Slug {
		r.rep.warn(item, id, "slug %q is taken in Folio; using %q", a.Slug, s)
		a.Slug = s
	}
	return nil
}

// safeSlug turns a source slug into a valid Folio slug, keeping non-ASCII
// letters; "" when nothing usable is left (the title then gives one).
func safeSlug(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if content.CheckSlug(s) == nil {
		return s
	}
	out := content.Slugify(s)
	if out == "untitled" {
		return ""
	}
	return out
}
