package store

import (
	"context"

	"folio/internal/content"
)

// BatchStore runs many writes in one transaction. Importers use it so that
// a thousand articles cost one commit, not thousands; everything else keeps
// the one-write-one-transaction methods of Store.
type BatchStore interface {
	// Batch runs fn in one write transaction: every write made through b
	// is kept when fn returns nil and the commit succeeds, and none
	// otherwise. b must not be used after fn returns. While fn runs the
	// write lock is held, so fn must not write through any other handle
	// to the same database (it would wait on itself).
	Batch(ctx context.Context, fn func(b BatchTx) error) error
}

// BatchTx is the part of Store and ImportStore an import writes through,
// bound to one transaction. Reads see the batch's own earlier writes.
// Methods behave like their namesakes on Store and ImportStore.
type BatchTx interface {
	FindArticleByID(ctx context.Context, id int64) (*content.Article, error)
	SlugTaken(ctx context.Context, lang, slug string, exceptID int64) (bool, error)
	// CreateArticle and UpdateArticle store a as given: the caller has
	// validated and rendered it (editorial.Batch does).
	CreateArticle(ctx context.Context, a *content.Article) error
	UpdateArticle(ctx context.Context, a *content.Article) error
	FindRedirect(ctx context.Context, path string) (*content.Redirect, error)
	PutRedirect(ctx context.Context, r *content.Redirect) error
	FindImportRecord(ctx context.Context, kind, sourceID, entityKind string) (*ImportRecord, error)
	PutImportRecord(ctx context.Context, r *ImportRecord) error
	// FindComments returns every comment of one article, oldest first.
	FindComments(ctx context.Context, articleID int64) ([]*Comment, error)
	PutComment(ctx context.Context, c *Comment) error
}
