package store

import (
	"context"

	"folio/internal/content"
)

// BatchStore runs many writes in one transaction. Importers use it, through
// the editorial service's batch option, so that a thousand articles cost one
// commit, not thousands.
type BatchStore interface {
	// Batch runs fn in one write transaction: every write made through tx
	// is kept when fn returns nil and the commit succeeds, and none
	// otherwise. tx must not be used after fn returns. While fn runs the
	// write lock is held, so fn must not write through any other handle
	// to the same database (it would wait on itself).
	Batch(ctx context.Context, fn func(tx Tx) error) error
}

// TxReader is what a writer reads inside its transaction: reads see the
// transaction's own earlier writes.
type TxReader interface {
	FindArticleByID(ctx context.Context, id int64) (*content.Article, error)
	SlugTaken(ctx context.Context, lang, slug string, exceptID int64) (bool, error)
	FindRedirect(ctx context.Context, path string) (*content.Redirect, error)
	FindImportRecord(ctx context.Context, kind, sourceID, entityKind string) (*ImportRecord, error)
	// FindArticleComments returns every comment of one article, oldest first.
	FindArticleComments(ctx context.Context, articleID int64) ([]*Comment, error)
}

// Tx is the part of the store that articles and their bookkeeping are
// written through: the Store itself (each call its own transaction) or one
// transaction of BatchStore.Batch. Methods behave like their namesakes on
// Store and ImportStore. Only the editorial service writes through it.
type Tx interface {
	TxReader
	// CreateArticle and UpdateArticle store a as given: the caller has
	// validated and rendered it (the editorial service does).
	CreateArticle(ctx context.Context, a *content.Article, w ArticleWrite) error
	UpdateArticle(ctx context.Context, a *content.Article, w ArticleWrite) error
	PutRedirect(ctx context.Context, r *content.Redirect) error
	DeleteRedirect(ctx context.Context, path string) error
	PutImportRecord(ctx context.Context, r *ImportRecord) error
	DeleteImportRecord(ctx context.Context, kind, sourceID, entityKind string) error
	PutComment(ctx context.Context, c *Comment) error
	DeleteComment(ctx context.Context, id int64) error
}
