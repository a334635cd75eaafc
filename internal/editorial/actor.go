package editorial

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/media"
	"folio/internal/store"
)

// Editor is the Service acting for one signed-in staff user. Every write
// checks the user's role (content.Role.Can) before touching the store, so
// a handler that forgets a check still cannot exceed the user's rights.
// Article writes are attributed to the user and recorded as revisions.
//
// The Service's own methods stay unchecked: API tokens have full access and
// the demo seeder and importer run as the system.
type Editor struct {
	s *Service
	u *content.User
}

// As returns the service acting for u. A nil or disabled user may do nothing.
func (s *Service) As(u *content.User) *Editor { return &Editor{s: s, u: u} }

// User returns the acting user.
func (e *Editor) User() *content.User { return e.u }

// Can reports whether the user may perform act at all.
func (e *Editor) Can(act content.Action) bool {
	return e.u != nil && !e.u.Disabled && e.u.Role.Can(act)
}

func (e *Editor) require(act content.Action, what string) error {
	if e.Can(act) {
		return nil
	}
	return content.Errorf(content.EFORBIDDEN, "your role may not %s", what)
}

// Owns reports whether a is the user's: they created it, or their byline is on it.
func (e *Editor) Owns(a *content.Article) bool {
	if e.u == nil {
		return false
	}
	if a.CreatedBy != 0 && a.CreatedBy == e.u.ID {
		return true
	}
	return e.u.AuthorID != 0 && slices.ContainsFunc(a.Authors, func(au *content.Author) bool { return au != nil && au.ID == e.u.AuthorID })
}

// inWorkflow reports a piece readers have not seen and that is not queued
// to go live: a draft or one in review.
func inWorkflow(s content.Status) bool { return s == content.StatusDraft || s == content.StatusReview }

// CanEdit reports whether the user may change a: editors any piece; others
// their own drafts and pieces in review, and authors their own published ones.
func (e *Editor) CanEdit(a *content.Article) bool {
	if e.Can(content.ActEditAnyArticle) {
		return true
	}
	if !e.Owns(a) || !e.Can(content.ActEditOwnArticle) {
		return false
	}
	return inWorkflow(a.Status) || e.Can(content.ActPublishOwn)
}

// CanPublish reports whether the user may publish, schedule, unpublish or
// archive a.
func (e *Editor) CanPublish(a *content.Article) bool {
	return e.Can(content.ActPublishAny) || (e.Owns(a) && e.Can(content.ActPublishOwn))
}

// CanDelete reports whether the user may delete a.
func (e *Editor) CanDelete(a *content.Article) bool {
	if e.Can(content.ActDeleteAnyArticle) {
		return true
	}
	return e.Owns(a) && inWorkflow(a.Status) && e.Can(content.ActDeleteOwnDraft)
}

func forbidden(format string, args ...any) error {
	return content.Errorf(content.EFORBIDDEN, format, args...)
}

func (e *Editor) revisions() (store.RevisionStore, error) {
	rs, ok := e.s.store.(store.RevisionStore)
	if !ok {
		return nil, content.Errorf(content.EINTERNAL, "this store keeps no revisions")
	}
	return rs, nil
}

func (e *Editor) write(version int, note string) store.ArticleWrite {
	w := store.ArticleWrite{ExpectedVersion: version, Note: note}
	if e.u != nil {
		w.UserID = e.u.ID
	}
	return w
}

// CreateArticle stores a new article created by the user. Contributors may
// create drafts and submit them; publishing or scheduling needs ActPublishOwn.
func (e *Editor) CreateArticle(ctx context.Context, a *content.Article) error {
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
	rs, err := e.revisions()
	if err != nil {
		return err
	}
	a.ID = 0
	if err := e.s.prepare(ctx, a, a.Slug == ""); err != nil {
		return err
	}
	if err := rs.CreateArticleAs(ctx, a, e.write(0, "")); err != nil {
		return fmt.Errorf("editorial: create article: %w", err)
	}
	e.s.articleChanged(a)
	return nil
}

// SaveArticle stores every field of a, an edit of the stored article a.ID
// made from version (0: do not check). The status a carries is the one the
// user asks for, so the same call saves a draft, submits, publishes,
// schedules or unpublishes, each checked against the user's rights.
// A concurrent save since version fails with conflict.
func (e *Editor) SaveArticle(ctx context.Context, a *content.Article, version int) error {
	return e.save(ctx, a, version, "")
}

func (e *Editor) save(ctx context.Context, a *content.Article, version int, note string) error {
	old, err := e.s.store.FindArticleByID(ctx, a.ID)
	if err != nil {
		return fmt.Errorf("editorial: save article %d: %w", a.ID, err)
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
	rs, err := e.revisions()
	if err != nil {
		return err
	}
	keepStored(a, old)
	a.CreatedBy = old.CreatedBy
	if err := e.s.prepare(ctx, a, a.Slug == ""); err != nil {
		return err
	}
	if err := rs.UpdateArticleAs(ctx, a, e.write(version, note)); err != nil {
		return fmt.Errorf("editorial: save article %d: %w", a.ID, err)
	}
	e.s.articleChanged(old, a)
	e.s.articleUpdated(ctx, old, a)
	return nil
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

// SubmitForReview moves the user's draft to the review queue.
func (e *Editor) SubmitForReview(ctx context.Context, id int64, version int) (*content.Article, error) {
	a, err := e.s.store.FindArticleByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("editorial: submit article %d: %w", id, err)
	}
	if a.Status != content.StatusDraft && a.Status != content.StatusReview {
		return nil, content.Errorf(content.EINVALID, "only drafts can be submitted for review")
	}
	a.Status = content.StatusReview
	return a, e.save(ctx, a, version, "submitted for review")
}

// Publish makes the article public at at (now when zero or past), or
// schedules it for a future at.
func (e *Editor) Publish(ctx context.Context, id int64, at time.Time, version int) (*content.Article, error) {
	a, err := e.s.store.FindArticleByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("editorial: publish article %d: %w", id, err)
	}
	if !e.CanPublish(a) {
		return nil, forbidden("you may not publish this article")
	}
	setPublished(a, at, e.s.now().UTC().Truncate(time.Second))
	return a, e.save(ctx, a, version, "")
}

// Unpublish takes the article off the public site and back to draft.
func (e *Editor) Unpublish(ctx context.Context, id int64, version int) (*content.Article, error) {
	a, err := e.s.store.FindArticleByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("editorial: unpublish article %d: %w", id, err)
	}
	if !e.CanPublish(a) {
		return nil, forbidden("you may not unpublish this article")
	}
	a.Status = content.StatusDraft
	return a, e.save(ctx, a, version, "unpublished")
}

// DeleteArticle removes the article if the user may.
func (e *Editor) DeleteArticle(ctx context.Context, id int64) error {
	a, err := e.s.store.FindArticleByID(ctx, id)
	if err != nil {
		return fmt.Errorf("editorial: delete article %d: %w", id, err)
	}
	if !e.CanDelete(a) {
		return forbidden("you may not delete this article")
	}
	return e.s.DeleteArticle(ctx, id)
}

// RestoreRevision brings back the text, byline, terms and other fields of
// a revision as a new version of its article. The article's status and
// publish time stay as they are: restoring is an edit, not a publication.
func (e *Editor) RestoreRevision(ctx context.Context, revisionID int64, version int) (*content.Article, error) {
	rs, err := e.revisions()
	if err != nil {
		return nil, err
	}
	r, err := rs.FindRevision(ctx, revisionID)
	if err != nil {
		return nil, fmt.Errorf("editorial: restore revision %d: %w", revisionID, err)
	}
	a, err := e.s.store.FindArticleByID(ctx, r.ArticleID)
	if err != nil {
		return nil, fmt.Errorf("editorial: restore revision %d: %w", revisionID, err)
	}
	a.Title, a.Deck, a.Slug, a.BodyMarkdown, a.Excerpt = r.Title, r.Deck, r.Slug, r.BodyMarkdown, r.Excerpt
	sn := r.Snapshot
	if sn.Language != "" {
		a.Language = sn.Language
	}
	a.Featured, a.Image, a.License, a.SourceURL, a.SourceName = sn.Featured, sn.Image, sn.License, sn.SourceURL, sn.SourceName
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
	return a, e.save(ctx, a, version, fmt.Sprintf("restored from version %d", r.Version))
}

// Autosave keeps the user's unsaved text of an article they may edit.
func (e *Editor) Autosave(ctx context.Context, s *store.Autosave) error {
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
	rs, err := e.revisions()
	if err != nil {
		return err
	}
	s.UserID = e.u.ID
	if err := rs.PutAutosave(ctx, s); err != nil {
		return fmt.Errorf("editorial: autosave article %d: %w", s.ArticleID, err)
	}
	return nil
}

// CreateAuthor stores an author (editors).
func (e *Editor) CreateAuthor(ctx context.Context, a *content.Author) error {
	if err := e.require(content.ActManageAuthors, "manage authors"); err != nil {
		return err
	}
	return e.s.CreateAuthor(ctx, a)
}

// UpdateAuthor stores every field of a (editors).
func (e *Editor) UpdateAuthor(ctx context.Context, a *content.Author) error {
	if err := e.require(content.ActManageAuthors, "manage authors"); err != nil {
		return err
	}
	return e.s.UpdateAuthor(ctx, a)
}

// DeleteAuthor removes an author (editors).
func (e *Editor) DeleteAuthor(ctx context.Context, id int64) error {
	if err := e.require(content.ActManageAuthors, "manage authors"); err != nil {
		return err
	}
	return e.s.DeleteAuthor(ctx, id)
}

// CreateTerm stores a term (editors).
func (e *Editor) CreateTerm(ctx context.Context, t *content.Term) error {
	if err := e.require(content.ActManageTerms, "manage regions, themes, dossiers and tags"); err != nil {
		return err
	}
	return e.s.CreateTerm(ctx, t)
}

// UpdateTerm stores every field of t (editors).
func (e *Editor) UpdateTerm(ctx context.Context, t *content.Term) error {
	if err := e.require(content.ActManageTerms, "manage regions, themes, dossiers and tags"); err != nil {
		return err
	}
	return e.s.UpdateTerm(ctx, t)
}

// DeleteTerm removes a term (editors).
func (e *Editor) DeleteTerm(ctx context.Context, id int64) error {
	if err := e.require(content.ActManageTerms, "manage regions, themes, dossiers and tags"); err != nil {
		return err
	}
	return e.s.DeleteTerm(ctx, id)
}

// UpdateSettings stores the site settings (admins).
func (e *Editor) UpdateSettings(ctx context.Context, st *content.Settings) error {
	if err := e.require(content.ActManageSettings, "change the site settings"); err != nil {
		return err
	}
	return e.s.UpdateSettings(ctx, st)
}

// CreateToken stores an API token whose secret the caller hashed (admins).
func (e *Editor) CreateToken(ctx context.Context, t *content.Token) error {
	if err := e.require(content.ActManageTokens, "manage API tokens"); err != nil {
		return err
	}
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" || len(t.Name) > 200 {
		return &content.Error{Code: content.EINVALID, Message: "token is invalid",
			Fields: map[string]string{"name": "is required (at most 200 bytes)"}}
	}
	return wrap(e.s.store.CreateToken(ctx, t), "create token")
}

// DeleteToken revokes an API token (admins).
func (e *Editor) DeleteToken(ctx context.Context, id int64) error {
	if err := e.require(content.ActManageTokens, "manage API tokens"); err != nil {
		return err
	}
	return wrap(e.s.store.DeleteToken(ctx, id), "delete token %d", id)
}

// UpdateUser stores a changed staff account (admins). Admins cannot demote
// or disable themselves, so a site never loses its last way in by accident.
func (e *Editor) UpdateUser(ctx context.Context, users store.UserStore, u *content.User) error {
	if err := e.require(content.ActManageUsers, "manage users"); err != nil {
		return err
	}
	if u.ID == e.u.ID && (u.Disabled || u.Role != e.u.Role) {
		return content.Errorf(content.EINVALID, "you cannot change your own role or disable yourself")
	}
	if err := u.Validate(); err != nil {
		return err
	}
	return wrap(users.UpdateUser(ctx, u), "update user %d", u.ID)
}

// SaveMedia stores an uploaded image with its metadata (any staff role).
func (e *Editor) SaveMedia(ctx context.Context, lib *media.Library, filename string, r io.Reader, meta media.Meta) (*content.Media, error) {
	if err := e.require(content.ActUploadMedia, "upload media"); err != nil {
		return nil, err
	}
	return lib.Save(ctx, filename, r, meta)
}

// UpdateMedia stores changed image metadata (editors).
func (e *Editor) UpdateMedia(ctx context.Context, m *content.Media) error {
	if err := e.require(content.ActManageMedia, "edit media"); err != nil {
		return err
	}
	if err := (media.Meta{Alt: m.Alt, Caption: m.Caption, Credit: m.Credit, CreditURL: m.CreditURL}).Validate(); err != nil {
		return err
	}
	return wrap(e.s.store.UpdateMedia(ctx, m), "update media %d", m.ID)
}

// DeleteMedia removes an image and its file (editors).
func (e *Editor) DeleteMedia(ctx context.Context, lib *media.Library, id int64) error {
	if err := e.require(content.ActManageMedia, "delete media"); err != nil {
		return err
	}
	return lib.Delete(ctx, id)
}
