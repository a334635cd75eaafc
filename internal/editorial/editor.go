package editorial

import (
	"context"
	"slices"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/store"
)

// Editor is the Service acting for one actor: a signed-in staff user (As)
// or the system (System). Every write checks the actor's role
// (content.Role.Can) before touching the store, so a handler that forgets a
// check still cannot exceed the user's rights, and publishes its change
// event after the commit.
type Editor struct {
	s      *Service
	u      *content.User // nil for the system
	system string        // the system actor's name; "" for a user
	tx     store.Tx      // the store, or the open batch's transaction
	batch  *batch        // nil outside Batch
}

// As returns the service acting for u. A nil or disabled user may do nothing.
func (s *Service) As(u *content.User) *Editor { return &Editor{s: s, u: u, tx: s.store} }

// System returns the service acting for the system: API tokens (which have
// full access), imports, the scheduler, the demo seeder and the CLI. name
// says which, for logs. Every role check passes.
func (s *Service) System(name string) *Editor {
	if name == "" {
		name = "system"
	}
	return &Editor{s: s, system: name, tx: s.store}
}

// User returns the acting user; nil for the system.
func (e *Editor) User() *content.User { return e.u }

// Actor names the actor for logs: the user's email or the system's name.
func (e *Editor) Actor() string {
	if e.u != nil {
		return e.u.Email
	}
	return e.system
}

// Can reports whether the actor may perform act at all.
func (e *Editor) Can(act content.Action) bool {
	if e.system != "" {
		return true
	}
	return e.u != nil && !e.u.Disabled && e.u.Role.Can(act)
}

func (e *Editor) require(act content.Action, what string) error {
	if e.Can(act) {
		return nil
	}
	return content.Errorf(content.EFORBIDDEN, "your role may not %s", what)
}

func forbidden(format string, args ...any) error {
	return content.Errorf(content.EFORBIDDEN, format, args...)
}

// Owns reports whether a is the user's: they created it, or their byline is
// on it. The system owns everything.
func (e *Editor) Owns(a *content.Article) bool {
	if e.system != "" {
		return true
	}
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

// CanEdit reports whether the actor may change a: editors any piece; others
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

// CanPublish reports whether the actor may publish, schedule, unpublish or
// archive a.
func (e *Editor) CanPublish(a *content.Article) bool {
	return e.Can(content.ActPublishAny) || (e.Owns(a) && e.Can(content.ActPublishOwn))
}

// CanDelete reports whether the actor may delete a.
func (e *Editor) CanDelete(a *content.Article) bool {
	if e.Can(content.ActDeleteAnyArticle) {
		return true
	}
	return e.Owns(a) && inWorkflow(a.Status) && e.Can(content.ActDeleteOwnDraft)
}

// Reads is the actor's view of the store inside its transaction: outside a
// batch the store itself, inside one the batch's own writes included.
func (e *Editor) Reads() store.TxReader { return e.tx }

// batch collects what the writes of one Batch changed until it commits.
type batch struct {
	keys    key.Set
	changes []key.Change
	updated [][2]*content.Article // old, new: for OnArticleUpdated after the commit
}

// Batch runs fn with an Editor for the same actor whose article, redirect,
// comment and import-record writes go into one store transaction. Nothing
// is kept, and no event is published, unless fn returns nil and the commit
// succeeds; then one event names everything the batch changed. Authors,
// terms, media and settings are written outside batches (they are few, and
// a batch holds the database's write lock).
func (e *Editor) Batch(ctx context.Context, fn func(tx *Editor) error) error {
	if e.batch != nil {
		return fn(e)
	}
	var b *batch
	err := e.s.store.Batch(ctx, func(tx store.Tx) error {
		b = &batch{}
		return fn(&Editor{s: e.s, u: e.u, system: e.system, tx: tx, batch: b})
	})
	if err != nil {
		return err
	}
	e.s.publish(key.Event{Changes: b.changes, Keys: b.keys.Keys()})
	for _, u := range b.updated {
		e.s.articleUpdated(ctx, u[0], u[1])
	}
	return nil
}

// changed reports what one committed write changed: published at once
// outside a batch, collected for the batch's one event inside.
func (e *Editor) changed(c key.Change, keys ...string) {
	if e.batch != nil {
		e.batch.changes = append(e.batch.changes, c)
		e.batch.keys.Add(keys...)
		return
	}
	var ks key.Set
	ks.Add(keys...)
	e.s.publish(key.Event{Changes: []key.Change{c}, Keys: ks.Keys()})
}

// outsideBatch refuses writes that a batch cannot hold.
func (e *Editor) outsideBatch(what string) error {
	if e.batch != nil {
		return content.Errorf(content.EINTERNAL, "editorial: %s cannot be written inside a batch", what)
	}
	return nil
}

func (s *Service) articleUpdated(ctx context.Context, old, updated *content.Article) {
	for _, fn := range s.onUpdated {
		fn(ctx, old, updated)
	}
}

// updated runs the OnArticleUpdated hooks after the write committed: at
// once outside a batch, after the batch's commit inside one.
func (e *Editor) updated(ctx context.Context, old, a *content.Article) {
	if e.batch != nil {
		cp := *a
		e.batch.updated = append(e.batch.updated, [2]*content.Article{old, &cp})
		return
	}
	e.s.articleUpdated(ctx, old, a)
}
