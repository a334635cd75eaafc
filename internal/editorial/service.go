package editorial

import (
	"context"
	"fmt"
	"strings"
	"time"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/render/markdown"
	"folio/internal/store"
)

// Store is what the service reads and writes. The constructor's signature is
// the one place its capabilities are checked: a store without revisions,
// batches, import bookkeeping, accounts or media variants is not one Folio
// can run on.
type Store interface {
	store.Store
	store.Tx
	store.BatchStore
	store.RevisionStore
	store.ImportStore
	store.ArchiveStore
	store.UserStore
	store.MediaVariantStore
}

// Service applies editorial rules on top of a store. Its writes are made
// through an Editor (As, System).
type Service struct {
	store    Store
	now      func() time.Time
	onChange []func(key.Event)
	// onUpdated runs after an existing article is edited.
	onUpdated []func(ctx context.Context, old, updated *content.Article)
	// sendQueue delivers newsletter sends (newsletters.go).
	sendQueue SendQueue
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock used for publish times and event times.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// OnChange registers fn to receive the change event of every committed
// write, once, after the commit and before the writer regains control. The
// page cache drops the pages of ev.Keys; the relay of internal/changes
// carries events to other processes.
func OnChange(fn func(ev key.Event)) Option {
	return func(s *Service) { s.onChange = append(s.onChange, fn) }
}

// New returns a Service writing to st.
func New(st Store, opts ...Option) *Service {
	s := &Service{store: st, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// OnArticleUpdated registers fn to run after every committed edit of an
// existing article, with the stored state before and after. Translation
// uses it to flag translations whose source text changed. Register before
// serving; fn runs in the writer's goroutine and its failures are its own
// to report.
func (s *Service) OnArticleUpdated(fn func(ctx context.Context, old, updated *content.Article)) {
	s.onUpdated = append(s.onUpdated, fn)
}

// Store returns the underlying store for reads.
func (s *Service) Store() store.Store { return s.store }

// publish hands ev to every subscriber. Empty events are dropped.
func (s *Service) publish(ev key.Event) {
	if len(ev.Changes) == 0 && len(ev.Keys) == 0 {
		return
	}
	if ev.At.IsZero() {
		ev.At = s.now().UTC()
	}
	for _, fn := range s.onChange {
		fn(ev)
	}
}

// excerptLen is the length of generated excerpts, in characters.
const excerptLen = 280

// prepare validates a, renders its body (or takes pre, when it was rendered
// from a.BodyMarkdown) and fills derived fields; a generated slug is made
// unique through taken.
func (s *Service) prepare(ctx context.Context, a *content.Article, autoSlug bool, pre *RenderedBody, tx store.TxReader) error {
	a.Title = strings.TrimSpace(a.Title)
	a.Deck = strings.TrimSpace(a.Deck)
	if err := a.Validate(); err != nil {
		return err
	}
	if err := checkParent(ctx, a, tx); err != nil {
		return err
	}
	if pre == nil || pre.markdown != a.BodyMarkdown {
		pre = RenderBody(a.BodyMarkdown)
	}
	if pre.err != nil {
		return &content.Error{Code: content.EINVALID, Message: "article is invalid",
			Fields: map[string]string{"body_markdown": pre.err.Error()}}
	}
	a.BodyHTML = pre.html
	if strings.TrimSpace(a.Excerpt) == "" {
		a.Excerpt = pre.excerpt
	}
	now := s.now().UTC().Truncate(time.Second)
	if a.Status == content.StatusPublished && a.PublishedAt.IsZero() {
		a.PublishedAt = now
	}
	// A piece marked published for a future time is scheduled: it goes live
	// through PublishDue, which tells the cache when it does.
	if a.Status == content.StatusPublished && a.PublishedAt.After(now) {
		a.Status = content.StatusScheduled
	}
	a.PublishedAt = a.PublishedAt.UTC()
	if autoSlug {
		slug, err := content.UniqueSlug(a.Slug, func(c string) (bool, error) {
			return tx.SlugTaken(ctx, a.Language, c, a.ID)
		})
		if err != nil {
			return fmt.Errorf("editorial: pick slug: %w", err)
		}
		a.Slug = slug
	}
	return nil
}

// RenderedBody is an article body rendered to sanitized HTML, with the
// excerpt it yields, ahead of the write that stores it. Rendering and
// sanitizing are CPU-bound and depend on nothing stored, so a bulk writer
// renders on every core while one goroutine writes.
type RenderedBody struct {
	markdown, html, excerpt string
	err                     error
}

// RenderBody renders md as CreateArticle and UpdateArticle would. It is
// safe to call from many goroutines.
func RenderBody(md string) *RenderedBody {
	h, err := markdown.ToHTML(md)
	if err != nil {
		return &RenderedBody{markdown: md, err: err}
	}
	return &RenderedBody{markdown: md, html: h, excerpt: markdown.Excerpt(h, excerptLen)}
}

func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("editorial: "+format+": %w", append(args, err)...)
}
