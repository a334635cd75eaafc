package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/render/markdown"
	"folio/internal/urls"
)

// ImportWordPress imports a WXR export. src is read twice: once to check
// it all and learn what posts refer to, once to import.
func ImportWordPress(ctx context.Context, src io.ReadSeeker, opt Options) (*Report, error) {
	r, err := newRun(ctx, "wordpress", opt)
	if err != nil {
		return nil, err
	}
	return importWordPress(ctx, src, r)
}

func importWordPress(ctx context.Context, src io.ReadSeeker, r *run) (*Report, error) {
	opt := r.opt
	ix, err := index(src)
	if err != nil {
		return r.rep, err
	}
	if ix.zone == nil {
		r.rep.warn(0, "", "time zone not found in the export (no post has both post_date and post_date_gmt); dates without GMT are read as UTC")
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return r.rep, fmt.Errorf("importer: rewind export: %w", err)
	}
	r.mediaID = func(src string) string {
		if id, ok := ix.byURL[mediaKey(src)]; ok {
			return id
		}
		if id, ok := ix.byURL[mediaKey(sizeSuffix.ReplaceAllString(src, "$1"))]; ok {
			return id
		}
		return "url:" + mediaKey(src)
	}
	w := &wpRun{run: r, ix: ix, terms: map[string]*content.Term{}, authors: map[string]*content.Author{}, media: map[string]*content.Media{},
		posted: map[string]string{}}
	if opt.Progress != nil {
		opt.Progress.Start(ix.items, "importing")
		defer opt.Progress.Done()
	}
	err = w.pipeline(ctx, src)
	if err == nil {
		err = w.inOneBatch(ctx, func() error {
			if err := w.pageParents(ctx); err != nil {
				return err
			}
			return w.archives(ctx)
		})
	}
	return r.finish(err)
}

// wpBatch is how many items share one write transaction: large enough that
// the commit is noise, small enough that the undo steps of a batch and
// the items waiting for it stay a few megabytes whatever the export's size.
const wpBatch = 256

// wpJob is one item on its way through the pipeline: decoded by the
// parser, made ready by a renderer, written by the writer, in file order.
type wpJob struct {
	n    int
	it   *wxrItem
	prep wpPrepared
	done chan struct{}
}

// wpPrepared is what an item turns into without looking at the store:
// the CPU-heavy part of an import, done on every core.
type wpPrepared struct {
	body     string
	dropped  []string
	excerpt  string
	srcHash  string
	rendered *editorial.RenderedBody
	comments []string // sanitized comment bodies, by index in it.Comments
}

func prepareWP(it *wxrItem) wpPrepared {
	if it.PostType != "post" && it.PostType != "page" {
		return wpPrepared{}
	}
	var p wpPrepared
	p.body, p.dropped = cleanWordPress(it.encoded(false))
	p.excerpt = truncateUTF8(markdown.PlainText(it.encoded(true)), content.MaxExcerpt)
	p.srcHash = sourceHash(it.Title, it.encoded(false), it.encoded(true), it.PostName, it.Status,
		it.PostDateGMT, it.PostDate, it.IsSticky, it.Creator, fmt.Sprint(it.Terms), it.meta("_thumbnail_id"))
	p.rendered = editorial.RenderBody(p.body)
	p.comments = make([]string, len(it.Comments))
	for i, wc := range it.Comments {
		p.comments[i] = markdown.Sanitize(autop(wc.Content))
	}
	return p
}

// pipeline is the second pass: one goroutine parses, GOMAXPROCS goroutines
// clean, render and sanitize, and this one writes, in file order, up to
// wpBatch articles per transaction. The channels bound what is in flight,
// so memory stays flat on any export size.
func (w *wpRun) pipeline(parent context.Context, src io.Reader) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	workers := max(1, runtime.GOMAXPROCS(0))
	work := make(chan *wpJob, 4*workers)
	order := make(chan *wpJob, wpBatch)
	var parseErr error
	var wg sync.WaitGroup
	wg.Add(1 + workers)
	go func() {
		defer wg.Done()
		defer close(work)
		defer close(order)
		parseErr = walkWXR(src, nil, func(n, line int, it *wxrItem) error {
			j := &wpJob{n: n, it: it, done: make(chan struct{})}
			select {
			case order <- j:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case work <- j:
			case <-ctx.Done():
				return ctx.Err()
			}
			return nil
		})
	}()
	for range workers {
		go func() {
			defer wg.Done()
			for j := range work {
				j.prep = prepareWP(j.it)
				close(j.done)
			}
		}()
	}
	err := w.write(ctx, order)
	cancel()
	for range order { // let the parser see the cancellation and stop
	}
	wg.Wait()
	if err != nil {
		return err
	}
	if parseErr != nil && !errors.Is(parseErr, context.Canceled) {
		return parseErr
	}
	return parent.Err()
}

// write takes the jobs in file order and writes them in batches.
func (w *wpRun) write(ctx context.Context, order <-chan *wpJob) error {
	var batch []*wpStaged
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := w.inOneBatch(ctx, func() error {
			for _, st := range batch {
				if err := w.writeItem(ctx, st); err != nil {
					return err
				}
			}
			return nil
		})
		if w.opt.Progress != nil {
			w.opt.Progress.Add(len(batch))
		}
		clear(batch)
		batch = batch[:0]
		return err
	}
	for j := range order {
		if err := ctx.Err(); err != nil {
			return err
		}
		select {
		case <-j.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		// Staging may create authors, terms and images, each in its own
		// transaction: no batch is open here, and the staged items
		// waiting for the next one do not refer to them.
		st, err := w.stage(ctx, j.n, j.it, &j.prep)
		if err != nil {
			return err
		}
		if st == nil {
			if w.opt.Progress != nil {
				w.opt.Progress.Add(1)
			}
			continue
		}
		batch = append(batch, st)
		if len(batch) >= w.opt.batchSize() {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

type wpRun struct {
	*run
	ix      *wxrIndex
	terms   map[string]*content.Term // by "taxonomy:slug"; nil value = left out
	authors map[string]*content.Author
	media   map[string]*content.Media
	posted  map[string]string // post id → new address of the published ones, for attachment pages
	parents [][3]string       // item number, page id, parent page id: set once every page is stored
}

func (w *wpRun) zone() *time.Location {
	if w.ix.zone != nil {
		return w.ix.zone
	}
	return time.UTC
}

// wpStaged is an item that becomes an article, with its relations resolved.
type wpStaged struct {
	n         int
	id, kind  string
	it        *wxrItem
	p         *wpPrepared
	title     string
	status    content.Status
	published time.Time
	authors   []*content.Author
	terms     []*content.Term
	image     *content.Image
}

// stage checks an item and resolves its authors, terms and featured image
// (creating those that are new); nil when the item is not imported.
func (w *wpRun) stage(ctx context.Context, n int, it *wxrItem, p *wpPrepared) (*wpStaged, error) {
	id := strings.TrimSpace(it.PostID)
	kind := kindArticle
	switch {
	case it.PostType == "post":
	case it.PostType == "page":
		kind = kindPage
		if w.opt.SkipPages {
			w.rep.count(kindPage).Skipped++
			return nil, nil
		}
	case ignoredTypes[it.PostType]:
		return nil, nil
	default:
		w.rep.warn(n, id, "post type %q is not imported", it.PostType)
		w.rep.count("other").Skipped++
		return nil, nil
	}
	var status content.Status
	switch it.Status {
	case "publish":
		status = content.StatusPublished
	case "future":
		status = content.StatusScheduled
	case "draft":
		status = content.StatusDraft
	case "pending":
		status = content.StatusReview
	case "private":
		status = content.StatusDraft
		w.rep.warn(n, id, "private post imported as a draft")
	default: // trash, auto-draft, inherit
		w.rep.count(kind).Skipped++
		return nil, nil
	}
	title, err := w.title(n, id, it.Title)
	if err != nil {
		return nil, err
	}
	switch {
	case it.Status == "private":
		w.rep.withhold(n, id, title, "private")
	case strings.TrimSpace(it.PostPassword) != "":
		// Folio has no per-post passwords: a protected post must not
		// become readable by everyone, so an editor decides.
		if status != content.StatusDraft && status != content.StatusReview {
			w.rep.warn(n, id, "password-protected post imported as a draft (Folio has no post passwords)")
			status = content.StatusDraft
		}
		w.rep.withhold(n, id, title, "password-protected")
	}
	published, err := w.date(n, id, it)
	if err != nil {
		return nil, err
	}
	if status == content.StatusScheduled && published.IsZero() {
		w.rep.warn(n, id, "scheduled post without a date imported as a draft")
		status = content.StatusDraft
	}
	for _, d := range p.dropped {
		w.rep.warn(n, id, "shortcode [%s] has no equivalent and was removed", d)
	}
	authors, terms, image, err := w.relations(ctx, n, id, it, kind)
	if err != nil {
		return nil, err
	}
	body, changed, err := w.bodyMedia(ctx, n, id, p.body, "wp-content/uploads/", func(ids string) []attachment {
		return w.galleryOf(id, ids)
	})
	if err != nil {
		return nil, err
	}
	if changed {
		p.body, p.rendered = body, editorial.RenderBody(body)
	}
	return &wpStaged{n: n, id: id, kind: kind, it: it, p: p, title: title, status: status, published: published,
		authors: authors, terms: terms, image: image}, nil
}

// writeItem writes a staged item's article, old addresses and comments
// through w.cur.
func (w *wpRun) writeItem(ctx context.Context, st *wpStaged) error {
	n, id, kind, it, p := st.n, st.id, st.kind, st.it, st.p
	a, err := w.upsertArticle(ctx, n, id, kind, p.srcHash, p.rendered, func(a *content.Article) {
		a.Title, a.Slug, a.BodyMarkdown, a.Excerpt = st.title, safeSlug(decodeSlug(it.PostName)), p.body, p.excerpt
		a.Status, a.PublishedAt, a.Featured = st.status, st.published, strings.TrimSpace(it.IsSticky) == "1"
		a.Authors, a.Terms, a.Image = st.authors, st.terms, st.image
		if kind == kindPage {
			a.Type = content.TypePage
		}
	})
	if err != nil || a == nil {
		return err
	}
	if kind == kindPage {
		if parent := strings.TrimSpace(it.PostParent); parent != "" && parent != "0" {
			w.parents = append(w.parents, [3]string{strconv.Itoa(n), id, parent})
		}
	}
	to := w.urls.Article(a)
	var olds []string
	if u, err := url.Parse(strings.TrimSpace(it.Link)); err == nil && it.Link != "" {
		from := u.EscapedPath()
		if p := u.Query().Get("p"); p != "" || u.Query().Get("page_id") != "" {
			from = "" // a plain-permalink site: the ?p= form below covers it
		}
		if from != "" && from != "/" {
			olds = append(olds, urls.OldPath(from))
		}
	}
	param := "p"
	if kind == kindPage {
		param = "page_id"
	}
	olds = append(olds, "/?"+param+"="+id)
	if a.Status != content.StatusPublished {
		// A draft's old address must not answer (nor name its new slug):
		// it is a 404 until the piece is published and imported again.
		w.rep.warn(n, id, "not published: old addresses %s not redirected", strings.Join(olds, ", "))
		for _, from := range olds {
			if err := w.dropRedirect(ctx, from, to); err != nil {
				return err
			}
		}
	} else {
		w.posted[id] = to
		for _, from := range olds {
			if err := w.putRedirect(ctx, n, id, from, to); err != nil {
				return err
			}
		}
	}
	return w.comments(ctx, n, id, a, it.Comments, p.comments)
}
