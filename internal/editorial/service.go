package editorial

import (
	"context"
	"fmt"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/render/markdown"
	"folio/internal/store"
)

// Service applies editorial rules on top of a store.
type Service struct {
	store    store.Store
	now      func() time.Time
	onChange []func(deps ...string)
	// onUpdated runs after an existing article is edited.
	onUpdated []func(ctx context.Context, old, updated *content.Article)
	// sendQueue delivers newsletter sends (newsletters.go).
	sendQueue SendQueue
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock used for publish times.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// OnChange registers fn to be called after every successful write with the
// dependency keys (see package doc) of everything the write touched. The page
// cache uses it to drop exactly the pages that showed those entities.
func OnChange(fn func(deps ...string)) Option {
	return func(s *Service) { s.onChange = append(s.onChange, fn) }
}

// New returns a Service writing to st.
func New(st store.Store, opts ...Option) *Service {
	s := &Service{store: st, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// OnArticleUpdated registers fn to run after every successful edit of an
// existing article (UpdateArticle and Editor.SaveArticle), with the stored
// state before and after. Translation uses it to flag translations whose
// source text changed. Register before serving; fn runs in the writer's
// goroutine and its failures are its own to report.
func (s *Service) OnArticleUpdated(fn func(ctx context.Context, old, updated *content.Article)) {
	s.onUpdated = append(s.onUpdated, fn)
}

func (s *Service) articleUpdated(ctx context.Context, old, updated *content.Article) {
	for _, fn := range s.onUpdated {
		fn(ctx, old, updated)
	}
}

// Store returns the underlying store for reads.
func (s *Service) Store() store.Store { return s.store }

// excerptLen is the length of generated excerpts, in characters.
const excerptLen = 280

// prepare validates a, renders its body and fills derived fields.
func (s *Service) prepare(ctx context.Context, a *content.Article, autoSlug bool) error {
	return s.prepareWith(ctx, a, autoSlug, nil, s.store.SlugTaken)
}

// prepareWith is prepare with the body possibly rendered ahead (pre, used
// only when it was rendered from a.BodyMarkdown) and slugs checked by taken.
func (s *Service) prepareWith(ctx context.Context, a *content.Article, autoSlug bool, pre *RenderedBody,
	taken func(ctx context.Context, lang, slug string, exceptID int64) (bool, error)) error {
	a.Title = strings.TrimSpace(a.Title)
	a.Deck = strings.TrimSpace(a.Deck)
	if err := a.Validate(); err != nil {
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
			return taken(ctx, a.Language, c, a.ID)
		})
		if err != nil {
			return fmt.Errorf("editorial: pick slug: %w", err)
		}
		a.Slug = slug
	}
	return nil
}

// CreateArticle validates and stores a new article. A slug generated from the
// title gets a numeric suffix when taken; a slug given explicitly must be free.
func (s *Service) CreateArticle(ctx context.Context, a *content.Article) error {
	a.ID = 0
	autoSlug := a.Slug == ""
	if err := s.prepare(ctx, a, autoSlug); err != nil {
		return err
	}
	if err := s.store.CreateArticle(ctx, a); err != nil {
		return fmt.Errorf("editorial: create article: %w", err)
	}
	s.articleChanged(a)
	return nil
}

// UpdateArticle validates and stores every field of a. A public article
// keeps its first publish time unless one is given.
func (s *Service) UpdateArticle(ctx context.Context, a *content.Article) error {
	old, err := s.store.FindArticleByID(ctx, a.ID)
	if err != nil {
		return fmt.Errorf("editorial: update article %d: %w", a.ID, err)
	}
	keepStored(a, old)
	if err := s.prepare(ctx, a, a.Slug == ""); err != nil {
		return err
	}
	if err := s.store.UpdateArticle(ctx, a); err != nil {
		return fmt.Errorf("editorial: update article %d: %w", a.ID, err)
	}
	s.articleChanged(old, a)
	s.articleUpdated(ctx, old, a)
	return nil
}

// keepStored fills the fields of an edit that its sender does not own from
// the stored article: the language and translation group when left empty,
// where a translation came from (kept by the translation service; an edit
// form that does not carry it must not erase it), and the first publish
// time of a published piece.
func keepStored(a, old *content.Article) {
	if a.Language == "" {
		a.Language = old.Language
	}
	if a.TranslationGroup == 0 {
		a.TranslationGroup = old.TranslationGroup
	}
	if a.Translation == nil {
		a.Translation = old.Translation
	}
	if a.PublishedAt.IsZero() && a.Status == content.StatusPublished {
		a.PublishedAt = old.PublishedAt
	}
}

// Publish makes the article public at at, or now when at is zero or past.
// A future time schedules it instead.
func (s *Service) Publish(ctx context.Context, id int64, at time.Time) (*content.Article, error) {
	a, err := s.store.FindArticleByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("editorial: publish article %d: %w", id, err)
	}
	old := *a
	setPublished(a, at, s.now().UTC().Truncate(time.Second))
	if err := s.prepare(ctx, a, false); err != nil {
		return nil, err
	}
	if err := s.store.UpdateArticle(ctx, a); err != nil {
		return nil, fmt.Errorf("editorial: publish article %d: %w", id, err)
	}
	s.articleChanged(&old, a)
	return a, nil
}

// setPublished makes a public at at, or now when at is zero or past; a
// future time schedules it instead.
func setPublished(a *content.Article, at, now time.Time) {
	switch {
	case !at.IsZero() && at.After(now):
		a.Status = content.StatusScheduled
		a.PublishedAt = at.UTC()
	default:
		a.Status = content.StatusPublished
		if !at.IsZero() {
			a.PublishedAt = at.UTC()
		} else if a.PublishedAt.IsZero() || a.PublishedAt.After(now) {
			a.PublishedAt = now
		}
	}
}

// Unpublish takes the article off the public site and back to draft.
func (s *Service) Unpublish(ctx context.Context, id int64) (*content.Article, error) {
	a, err := s.store.FindArticleByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("editorial: unpublish article %d: %w", id, err)
	}
	old := *a
	a.Status = content.StatusDraft
	if err := s.store.UpdateArticle(ctx, a); err != nil {
		return nil, fmt.Errorf("editorial: unpublish article %d: %w", id, err)
	}
	s.articleChanged(&old, a)
	return a, nil
}

// DeleteArticle removes the article; a public one leaves a 410 behind.
func (s *Service) DeleteArticle(ctx context.Context, id int64) error {
	a, err := s.store.FindArticleByID(ctx, id)
	if err != nil {
		return fmt.Errorf("editorial: delete article %d: %w", id, err)
	}
	if err := s.store.DeleteArticle(ctx, id); err != nil {
		return fmt.Errorf("editorial: delete article %d: %w", id, err)
	}
	s.articleChanged(a)
	return nil
}

// PublishDue publishes scheduled articles whose time has come.
func (s *Service) PublishDue(ctx context.Context) ([]int64, error) {
	ids, err := s.store.PublishDue(ctx, s.now().UTC())
	if err != nil {
		return nil, fmt.Errorf("editorial: publish due: %w", err)
	}
	if len(ids) > 0 {
		arts, _, err := s.store.FindArticles(ctx, store.ArticleFilter{IDs: ids})
		if err != nil {
			// The articles are live; without their terms, drop every page.
			s.notify(DepSettings)
			return ids, fmt.Errorf("editorial: publish due: load published: %w", err)
		}
		var deps []string
		for _, a := range arts {
			deps = append(deps, ArticleDeps(a)...)
		}
		s.notify(deps...)
	}
	return ids, nil
}

// CreateAuthor validates and stores an author.
func (s *Service) CreateAuthor(ctx context.Context, a *content.Author) error {
	a.ID = 0
	if err := a.Validate(); err != nil {
		return err
	}
	if err := s.store.CreateAuthor(ctx, a); err != nil {
		return wrap(err, "create author")
	}
	s.notify(AuthorDep(a.ID), DepAll)
	return nil
}

// UpdateAuthor validates and stores every field of a.
func (s *Service) UpdateAuthor(ctx context.Context, a *content.Author) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if err := s.store.UpdateAuthor(ctx, a); err != nil {
		return wrap(err, "update author %d", a.ID)
	}
	s.notify(AuthorDep(a.ID))
	return nil
}

// DeleteAuthor removes an author who is not the sole author of any article.
func (s *Service) DeleteAuthor(ctx context.Context, id int64) error {
	if err := s.store.DeleteAuthor(ctx, id); err != nil {
		return wrap(err, "delete author %d", id)
	}
	s.notify(AuthorDep(id), DepAll)
	return nil
}

// CreateTerm validates and stores a term.
func (s *Service) CreateTerm(ctx context.Context, t *content.Term) error {
	t.ID = 0
	if err := t.Validate(); err != nil {
		return err
	}
	if err := s.store.CreateTerm(ctx, t); err != nil {
		return wrap(err, "create term")
	}
	s.notify(TermDep(t.ID), DepTerms, DepAll)
	return nil
}

// UpdateTerm validates and stores every field of t.
func (s *Service) UpdateTerm(ctx context.Context, t *content.Term) error {
	if err := t.Validate(); err != nil {
		return err
	}
	if err := s.store.UpdateTerm(ctx, t); err != nil {
		return wrap(err, "update term %d", t.ID)
	}
	s.notify(TermDep(t.ID), DepTerms)
	return nil
}

// DeleteTerm removes a term from the site and from its articles.
func (s *Service) DeleteTerm(ctx context.Context, id int64) error {
	if err := s.store.DeleteTerm(ctx, id); err != nil {
		return wrap(err, "delete term %d", id)
	}
	s.notify(TermDep(id), DepTerms, DepAll)
	return nil
}

// UpdateSettings validates and stores the site settings.
func (s *Service) UpdateSettings(ctx context.Context, st *content.Settings) error {
	if err := st.Validate(); err != nil {
		return err
	}
	for _, n := range []string{st.Notices.NoteToReaders, st.Notices.RepublishingPolicy, st.Notices.Disclaimer,
		st.Notices.FairUse, st.Notices.MediaContact, st.Notices.MembershipCall} {
		if _, err := markdown.ToHTML(n); err != nil {
			return content.Errorf(content.EINVALID, "notices: %v", err)
		}
	}
	if err := s.store.UpdateSettings(ctx, st); err != nil {
		return wrap(err, "update settings")
	}
	s.notify(DepSettings)
	return nil
}

func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("editorial: "+format+": %w", append(args, err)...)
}
