package editorial

import (
	"context"
	"fmt"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/store"
)

// Redirects, comments and import records are written by imports and by
// editors. A redirect answers only where no page is (non-200 responses are
// never cached), and import records are on no page, so neither drops a
// cached page; a comment is shown on its article's page.

// PutRedirect adds or replaces the redirect for r.From (editors).
func (e *Editor) PutRedirect(ctx context.Context, r *content.Redirect) error {
	if err := e.require(content.ActEditAnyArticle, "manage redirects"); err != nil {
		return err
	}
	if err := e.tx.PutRedirect(ctx, r); err != nil {
		return wrap(err, "put redirect %q", r.From)
	}
	e.changed(key.Change{Entity: key.EntityRedirect, Ref: r.From, Op: key.OpUpdate})
	return nil
}

// DeleteRedirect removes the redirect for path (editors); not_found when
// there is none.
func (e *Editor) DeleteRedirect(ctx context.Context, path string) error {
	if err := e.require(content.ActEditAnyArticle, "manage redirects"); err != nil {
		return err
	}
	if err := e.tx.DeleteRedirect(ctx, path); err != nil {
		return wrap(err, "delete redirect %q", path)
	}
	e.changed(key.Change{Entity: key.EntityRedirect, Ref: path, Op: key.OpDelete})
	return nil
}

// PutRedirects adds or replaces many redirects in one transaction
// (editors): every one is checked before the first is written, and either
// all are kept or none, with one change event naming them all.
func (e *Editor) PutRedirects(ctx context.Context, rs []*content.Redirect) error {
	if err := e.require(content.ActEditAnyArticle, "manage redirects"); err != nil {
		return err
	}
	for i, r := range rs {
		if err := store.ValidateRedirect(r); err != nil {
			return fmt.Errorf("editorial: redirect %d (%s): %w", i+1, r.From, err)
		}
	}
	return e.Batch(ctx, func(tx *Editor) error {
		for _, r := range rs {
			if err := tx.PutRedirect(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// PutImportRecord records which Folio entity an imported item became
// (imports run as the system; editors may too).
func (e *Editor) PutImportRecord(ctx context.Context, r *store.ImportRecord) error {
	if err := e.require(content.ActEditAnyArticle, "import content"); err != nil {
		return err
	}
	if err := e.tx.PutImportRecord(ctx, r); err != nil {
		return wrap(err, "put import record")
	}
	e.changed(key.Change{Entity: key.EntityImport, Ref: r.Kind + "/" + r.EntityKind + "/" + r.SourceID, Op: key.OpUpdate})
	return nil
}

// DeleteImportRecord removes an import record; a missing one is not an error.
func (e *Editor) DeleteImportRecord(ctx context.Context, kind, sourceID, entityKind string) error {
	if err := e.require(content.ActEditAnyArticle, "import content"); err != nil {
		return err
	}
	if err := e.tx.DeleteImportRecord(ctx, kind, sourceID, entityKind); err != nil {
		return wrap(err, "delete import record")
	}
	e.changed(key.Change{Entity: key.EntityImport, Ref: kind + "/" + entityKind + "/" + sourceID, Op: key.OpDelete})
	return nil
}

// PutComment stores a comment whose body the caller sanitized (imports and
// moderators); it drops its article's page.
func (e *Editor) PutComment(ctx context.Context, c *store.Comment) error {
	if err := e.require(content.ActEditAnyArticle, "manage comments"); err != nil {
		return err
	}
	if err := e.tx.PutComment(ctx, c); err != nil {
		return wrap(err, "put comment on article %d", c.ArticleID)
	}
	e.changed(key.Change{Entity: key.EntityComment, ID: c.ID, Op: key.OpUpdate}, key.Article(c.ArticleID))
	return nil
}

// DeleteComment removes comment id of article articleID; not_found when
// there is none. It drops the article's page.
func (e *Editor) DeleteComment(ctx context.Context, articleID, id int64) error {
	if err := e.require(content.ActEditAnyArticle, "manage comments"); err != nil {
		return err
	}
	if err := e.tx.DeleteComment(ctx, id); err != nil {
		return wrap(err, "delete comment %d", id)
	}
	e.changed(key.Change{Entity: key.EntityComment, ID: id, Op: key.OpDelete}, key.Article(articleID))
	return nil
}

// Restore writes a whole site from an archive into an empty store, in one
// transaction (admins; `folio import folio` runs as the system). Every page
// changes, so the event names the settings key that every page reads.
func (e *Editor) Restore(ctx context.Context, fn func(r store.Restorer) error) error {
	if err := e.require(content.ActManageSettings, "restore an archive"); err != nil {
		return err
	}
	if err := e.outsideBatch("an archive restore"); err != nil {
		return err
	}
	if err := e.s.store.Restore(ctx, fn); err != nil {
		return err
	}
	e.changed(key.Change{Entity: key.EntitySettings, Op: key.OpCreate}, key.Settings)
	return nil
}
