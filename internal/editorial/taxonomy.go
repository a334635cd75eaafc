package editorial

import (
	"context"

	"folio/internal/cache/key"
	"folio/internal/content"
)

const termsRight = "manage regions, themes, dossiers and tags"

// CreateAuthor validates and stores an author (editors).
func (e *Editor) CreateAuthor(ctx context.Context, a *content.Author) error {
	if err := e.authorWrite(); err != nil {
		return err
	}
	a.ID = 0
	if err := a.Validate(); err != nil {
		return err
	}
	if err := e.s.store.CreateAuthor(ctx, a); err != nil {
		return wrap(err, "create author")
	}
	e.changed(key.Change{Entity: key.EntityAuthor, ID: a.ID, Op: key.OpCreate}, key.Author(a.ID), key.All)
	return nil
}

// UpdateAuthor validates and stores every field of a (editors).
func (e *Editor) UpdateAuthor(ctx context.Context, a *content.Author) error {
	if err := e.authorWrite(); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	if err := e.s.store.UpdateAuthor(ctx, a); err != nil {
		return wrap(err, "update author %d", a.ID)
	}
	e.changed(key.Change{Entity: key.EntityAuthor, ID: a.ID, Op: key.OpUpdate}, key.Author(a.ID))
	return nil
}

// DeleteAuthor removes an author who is not the sole author of any article
// (editors).
func (e *Editor) DeleteAuthor(ctx context.Context, id int64) error {
	if err := e.authorWrite(); err != nil {
		return err
	}
	if err := e.s.store.DeleteAuthor(ctx, id); err != nil {
		return wrap(err, "delete author %d", id)
	}
	e.changed(key.Change{Entity: key.EntityAuthor, ID: id, Op: key.OpDelete}, key.Author(id), key.All)
	return nil
}

func (e *Editor) authorWrite() error {
	if err := e.require(content.ActManageAuthors, "manage authors"); err != nil {
		return err
	}
	return e.outsideBatch("an author")
}

// CreateTerm validates and stores a term (editors).
func (e *Editor) CreateTerm(ctx context.Context, t *content.Term) error {
	if err := e.termWrite(); err != nil {
		return err
	}
	t.ID = 0
	if err := t.Validate(); err != nil {
		return err
	}
	if err := e.s.store.CreateTerm(ctx, t); err != nil {
		return wrap(err, "create term")
	}
	e.changed(key.Change{Entity: key.EntityTerm, ID: t.ID, Op: key.OpCreate}, key.Term(t.ID), key.Terms, key.All)
	return nil
}

// UpdateTerm validates and stores every field of t (editors).
func (e *Editor) UpdateTerm(ctx context.Context, t *content.Term) error {
	if err := e.termWrite(); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	if err := e.s.store.UpdateTerm(ctx, t); err != nil {
		return wrap(err, "update term %d", t.ID)
	}
	e.changed(key.Change{Entity: key.EntityTerm, ID: t.ID, Op: key.OpUpdate}, key.Term(t.ID), key.Terms)
	return nil
}

// DeleteTerm removes a term from the site and from its articles (editors).
func (e *Editor) DeleteTerm(ctx context.Context, id int64) error {
	if err := e.termWrite(); err != nil {
		return err
	}
	if err := e.s.store.DeleteTerm(ctx, id); err != nil {
		return wrap(err, "delete term %d", id)
	}
	e.changed(key.Change{Entity: key.EntityTerm, ID: id, Op: key.OpDelete}, key.Term(id), key.Terms, key.All)
	return nil
}

func (e *Editor) termWrite() error {
	if err := e.require(content.ActManageTerms, termsRight); err != nil {
		return err
	}
	return e.outsideBatch("a term")
}
