package editorial

import (
	"context"
	"fmt"
	"time"

	"folio/internal/cache/key"
	"folio/internal/content"
)

// EntityCorrection names correction notes in change events.
const EntityCorrection = "correction"

// AddCorrection publishes a correction or update note on an article the
// actor may edit. The note is public at once: it drops the article's page,
// the listings whose cards say "Updated", its feeds and the corrections log.
func (e *Editor) AddCorrection(ctx context.Context, c *content.Correction) error {
	if err := e.outsideBatch("a correction"); err != nil {
		return err
	}
	a, err := e.s.store.FindArticleByID(ctx, c.ArticleID)
	if content.ErrorCode(err) == content.ENOTFOUND {
		return invalidField("article_id", "article %d does not exist", c.ArticleID)
	} else if err != nil {
		return fmt.Errorf("editorial: add correction: %w", err)
	}
	if !e.CanEdit(a) {
		return forbidden("you may not correct this article")
	}
	if e.u != nil {
		c.CreatedBy = e.u.ID
	}
	c.At = e.s.now().UTC().Truncate(time.Second)
	if err := e.s.store.AddCorrection(ctx, c); err != nil {
		return fmt.Errorf("editorial: add correction to article %d: %w", a.ID, err)
	}
	e.changed(key.Change{Entity: EntityCorrection, ID: c.ID, Op: key.OpCreate},
		append(key.ArticleKeys(a), key.Corrections)...)
	return nil
}

// DeleteCorrection withdraws a note (one made in error); the same pages
// as its addition drop.
func (e *Editor) DeleteCorrection(ctx context.Context, articleID, id int64) error {
	if err := e.outsideBatch("a correction"); err != nil {
		return err
	}
	a, err := e.s.store.FindArticleByID(ctx, articleID)
	if err != nil {
		return fmt.Errorf("editorial: delete correction %d: %w", id, err)
	}
	if !e.CanEdit(a) {
		return forbidden("you may not correct this article")
	}
	found := false
	for _, c := range a.Corrections {
		found = found || c.ID == id
	}
	if !found {
		return content.Errorf(content.ENOTFOUND, "article %d has no correction %d", articleID, id)
	}
	if err := e.s.store.DeleteCorrection(ctx, id); err != nil {
		return fmt.Errorf("editorial: delete correction %d: %w", id, err)
	}
	e.changed(key.Change{Entity: EntityCorrection, ID: id, Op: key.OpDelete},
		append(key.ArticleKeys(a), key.Corrections)...)
	return nil
}
