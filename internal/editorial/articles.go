package editorial

import (
	"context"
	"fmt"
	"time"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/store"
)

// WriteOption adjusts one article write.
type WriteOption func(*writeOpts)

type writeOpts struct {
	version int
	note    string
	pre     *RenderedBody
}

// Version makes the write fail with conflict unless the stored article is
// still at version v (the version the editor was opened on); 0 does not check.
func Version(v int) WriteOption { return func(o *writeOpts) { o.version = v } }

// Note is kept on the revision the write records.
func Note(n string) WriteOption { return func(o *writeOpts) { o.note = n } }

// Prerendered supplies the body rendered ahead (RenderBody); it is used only
// when it was rendered from the article's BodyMarkdown.
func Prerendered(pre *RenderedBody) WriteOption { return func(o *writeOpts) { o.pre = pre } }

func options(opts []WriteOption) writeOpts {
	var o writeOpts
	for _, fn := range opts {
		fn(&o)
	}
	return o
}

func (e *Editor) write(o writeOpts) store.ArticleWrite {
	w := store.ArticleWrite{ExpectedVersion: o.version, Note: o.note}
	if e.u != nil {
		w.UserID = e.u.ID
	}
	return w
}

// articleChanged reports a committed article write: the article's entity and
// the keys of its old and new states.
func (e *Editor) articleChanged(op string, states ...*content.Article) {
	var keys []string
	for _, a := range states {
		keys = append(keys, key.ArticleKeys(a)...)
	}
	e.changed(key.Change{Entity: key.EntityArticle, ID: states[len(states)-1].ID, Op: op}, keys...)
}

// opOf names the operation that took an article from old (nil: new) to a.
func opOf(old, a *content.Article) string {
	switch {
	case a.Status == content.StatusPublished && (old == nil || old.Status != content.StatusPublished):
		return key.OpPublish
	case a.Status == content.StatusScheduled && (old == nil || old.Status != content.StatusScheduled):
		return key.OpSchedule
	case old != nil && old.Status == content.StatusPublished && a.Status != content.StatusPublished:
		return key.OpUnpublish
	case old == nil:
		return key.OpCreate
	}
	return key.OpUpdate
}

// CreateArticle validates and stores a new article created by the actor.
// A slug generated from the title gets a numeric suffix when taken; a slug
// given explicitly must be free. Contributors may create drafts and submit
// them; publishing or scheduling needs ActPublishOwn.
func (e *Editor) CreateArticle(ctx context.Context, a *content.Article, opts ...WriteOption) error {
	if err := e.require(content.ActCreateArticle, "create articles"); err != nil {
		return err
	}
	if a.Status == "" {
		a.Status = content.StatusDraft
	}
	if a.Status == content.StatusReview && !e.Can(content.ActSubmitForReview) {
		return forbidden("your role may not submit articles for review")
	}
	if !inWorkflow(a.Status) && !e.Can(content.ActPublishOwn) {
		return forbidden("your role may not publish articles")
	}
	o := options(opts)
	a.ID = 0
	if err := e.s.prepare(ctx, a, a.Slug == "", o.pre, e.tx); err != nil {
		return err
	}
	if err := e.tx.CreateArticle(ctx, a, e.write(o)); err != nil {
		return fmt.Errorf("editorial: create article: %w", err)
	}
	e.articleChanged(opOf(nil, a), a)
	return nil
}

// UpdateArticle stores every field of a, an edit of the stored article a.ID.
// The status a carries is the one the actor asks for, so the same call saves
// a draft, submits, publishes, schedules or unpublishes, each checked
// against the actor's rights. With Version, a concurrent save since that
// version fails with conflict. A public article keeps its first publish
// time unless one is given.
func (e *Editor) UpdateArticle(ctx context.Context, a *content.Article, opts ...WriteOption) error {
	o := options(opts)
	old, err := e.tx.FindArticleByID(ctx, a.ID)
	if err != nil {
		return fmt.Errorf("editorial: update article %d: %w", a.ID, err)
	}
	if !e.CanEdit(old) {
		return forbidden("you may not edit this article")
	}
	if a.Status == "" {
		a.Status = old.Status
	}
	if a.Status != old.Status || !inWorkflow(a.Status) {
		if err := e.checkTransition(old, a.Status); err != nil {
			return err
		}
	}
	keepStored(a, old)
	a.CreatedBy = old.CreatedBy
	if err := e.s.prepare(ctx, a, a.Slug == "", o.pre, e.tx); err != nil {
		return err
	}
	if err := e.tx.UpdateArticle(ctx, a, e.write(o)); err != nil {
		return fmt.Errorf("editorial: update article %d: %w", a.ID, err)
	}
	e.articleChanged(opOf(old, a), old, a)
	e.updated(ctx, old, a)
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

// checkTransition allows moving old to status: into review for anyone who
// may submit, into or out of the public states only with publish rights.
func (e *Editor) checkTransition(old *content.Article, status content.Status) error {
	switch {
	case status == content.StatusReview && inWorkflow(old.Status):
		if !e.Can(content.ActSubmitForReview) {
			return forbidden("your role may not submit articles for review")
		}
	case status == content.StatusDraft && inWorkflow(old.Status):
	default:
		if !e.CanPublish(old) {
			return forbidden("you may not publish or unpublish this article")
		}
	}
	return nil
}

// SubmitForReview moves the actor's draft to the review queue.
func (e *Editor) SubmitForReview(ctx context.Context, id int64, opts ...WriteOption) (*content.Article, error) {
	a, err := e.tx.FindArticleByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("editorial: submit article %d: %w", id, err)
	}
	if a.Status != content.StatusDraft && a.Status != content.StatusReview {
		return nil, content.Errorf(content.EINVALID, "only drafts can be submitted for review")
	}
	a.Status = content.StatusReview
	return a, e.UpdateArticle(ctx, a, append(opts, Note("submitted for review"))...)
}

// Publish makes the article public at at (now when zero or past), or
// schedules it for a future at.
func (e *Editor) Publish(ctx context.Context, id int64, at time.Time, opts ...WriteOption) (*content.Article, error) {
	a, err := e.tx.FindArticleByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("editorial: publish article %d: %w", id, err)
	}
	if !e.CanPublish(a) {
		return nil, forbidden("you may not publish this article")
	}
	setPublished(a, at, e.s.now().UTC().Truncate(time.Second))
	return a, e.UpdateArticle(ctx, a, opts...)
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
func (e *Editor) Unpublish(ctx context.Context, id int64, opts ...WriteOption) (*content.Article, error) {
	a, err := e.tx.FindArticleByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("editorial: unpublish article %d: %w", id, err)
	}
	if !e.CanPublish(a) {
		return nil, forbidden("you may not unpublish this article")
	}
	a.Status = content.StatusDraft
	return a, e.UpdateArticle(ctx, a, append(opts, Note("unpublished"))...)
}

// DeleteArticle removes the article if the actor may; a public one leaves a
// 410 behind.
func (e *Editor) DeleteArticle(ctx context.Context, id int64) error {
	if err := e.outsideBatch("an article deletion"); err != nil {
		return err
	}
	a, err := e.s.store.FindArticleByID(ctx, id)
	if err != nil {
		return fmt.Errorf("editorial: delete article %d: %w", id, err)
	}
	if !e.CanDelete(a) {
		return forbidden("you may not delete this article")
	}
	if err := e.s.store.DeleteArticle(ctx, id); err != nil {
		return fmt.Errorf("editorial: delete article %d: %w", id, err)
	}
	e.articleChanged(key.OpDelete, a)
	return nil
}

// PublishDue publishes scheduled articles whose time has come (the
// scheduler, acting as the system).
func (e *Editor) PublishDue(ctx context.Context) ([]int64, error) {
	if err := e.require(content.ActPublishAny, "publish scheduled articles"); err != nil {
		return nil, err
	}
	if err := e.outsideBatch("scheduled publishing"); err != nil {
		return nil, err
	}
	ids, err := e.s.store.PublishDue(ctx, e.s.now().UTC())
	if err != nil || len(ids) == 0 {
		return ids, wrap(err, "publish due")
	}
	changes := make([]key.Change, len(ids))
	for i, id := range ids {
		changes[i] = key.Change{Entity: key.EntityArticle, ID: id, Op: key.OpPublish}
	}
	arts, _, err := e.s.store.FindArticles(ctx, store.ArticleFilter{IDs: ids})
	if err != nil {
		// The articles are live; without their terms, drop every page.
		e.s.publish(key.Event{Changes: changes, Keys: []string{key.Settings}})
		return ids, fmt.Errorf("editorial: publish due: load published: %w", err)
	}
	var keys key.Set
	for _, a := range arts {
		keys.Add(key.ArticleKeys(a)...)
	}
	e.s.publish(key.Event{Changes: changes, Keys: keys.Keys()})
	return ids, nil
}

// RestoreRevision brings back the text, byline, terms and other fields of
// a revision as a new version of its article. The article's status and
// publish time stay as they are: restoring is an edit, not a publication.
func (e *Editor) RestoreRevision(ctx context.Context, revisionID int64, opts ...WriteOption) (*content.Article, error) {
	r, err := e.s.store.FindRevision(ctx, revisionID)
	if err != nil {
		return nil, fmt.Errorf("editorial: restore revision %d: %w", revisionID, err)
	}
	a, err := e.tx.FindArticleByID(ctx, r.ArticleID)
	if err != nil {
		return nil, fmt.Errorf("editorial: restore revision %d: %w", revisionID, err)
	}
	a.Title, a.Deck, a.Slug, a.BodyMarkdown, a.Excerpt = r.Title, r.Deck, r.Slug, r.BodyMarkdown, r.Excerpt
	sn := r.Snapshot
	if sn.Language != "" {
		a.Language = sn.Language
	}
	a.Featured, a.Image, a.License, a.SourceURL, a.SourceName = sn.Featured, sn.Image, sn.License, sn.SourceURL, sn.SourceName
	a.Access, a.AccessTier, a.FreeAt = sn.Access.OrPublic(), sn.AccessTier, sn.FreeAt
	// Authors or terms deleted since the revision cannot come back.
	a.Authors = a.Authors[:0]
	for _, id := range sn.AuthorIDs {
		if _, err := e.s.store.FindAuthorByID(ctx, id); err == nil {
			a.Authors = append(a.Authors, &content.Author{ID: id})
		}
	}
	a.Terms = a.Terms[:0]
	for _, id := range sn.TermIDs {
		if _, err := e.s.store.FindTermByID(ctx, id); err == nil {
			a.Terms = append(a.Terms, &content.Term{ID: id})
		}
	}
	return a, e.UpdateArticle(ctx, a, append(opts, Note(fmt.Sprintf("restored from version %d", r.Version)))...)
}

// Autosave keeps the user's unsaved text of an article they may edit. An
// autosave is private to its user and on no page: it changes nothing
// readers see and publishes no event.
func (e *Editor) Autosave(ctx context.Context, s *store.Autosave) error {
	if e.u == nil {
		return forbidden("only a signed-in user has autosaves")
	}
	a, err := e.s.store.FindArticleByID(ctx, s.ArticleID)
	if err != nil {
		return fmt.Errorf("editorial: autosave article %d: %w", s.ArticleID, err)
	}
	if !e.CanEdit(a) {
		return forbidden("you may not edit this article")
	}
	if len(s.BodyMarkdown) > content.MaxBody || len(s.Title) > content.MaxTitle {
		return content.Errorf(content.ETOOLARGE, "the autosaved text is too long")
	}
	s.UserID = e.u.ID
	if err := e.s.store.PutAutosave(ctx, s); err != nil {
		return fmt.Errorf("editorial: autosave article %d: %w", s.ArticleID, err)
	}
	return nil
}

// DiscardAutosave removes the user's autosave of an article, once its text
// was saved or thrown away.
func (e *Editor) DiscardAutosave(ctx context.Context, articleID int64) error {
	if e.u == nil {
		return nil
	}
	return wrap(e.s.store.DeleteAutosave(ctx, articleID, e.u.ID), "discard autosave of article %d", articleID)
}
