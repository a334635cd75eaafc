package store

import (
	"context"
	"time"

	"folio/internal/content"
)

// ImportRecord links an item of an outside export (a WordPress post, a Ghost
// tag ...) to the Folio entity it became. Importers look it up to update
// instead of duplicating on a second run, and compare ContentHash with the
// entity's current content to notice edits made in Folio since.
type ImportRecord struct {
	Kind        string    `json:"kind"`         // source system: "wordpress", "ghost"
	SourceID    string    `json:"source_id"`    // the item's identifier in the source system
	EntityKind  string    `json:"entity_kind"`  // "article", "author", "term", "media", "comment"
	EntityID    int64     `json:"entity_id"`    // the Folio ID
	ImportedAt  time.Time `json:"imported_at"`  // when the import last wrote the entity
	ContentHash string    `json:"content_hash"` // hash of what the import wrote (importer-defined)
}

// Comment is a reader comment: imported with an article, or written on the
// site by a member (see CommentStore).
type Comment struct {
	ID          int64     `json:"id"`
	ArticleID   int64     `json:"article_id"`
	ParentID    int64     `json:"parent_id"` // 0 for a top-level comment
	AuthorName  string    `json:"author_name"`
	AuthorEmail string    `json:"author_email"`
	AuthorURL   string    `json:"author_url"`
	BodyHTML    string    `json:"body_html"` // sanitized by the caller
	Status      string    `json:"status"`    // approved, pending, spam
	CreatedAt   time.Time `json:"created_at"`
	SourceID    string    `json:"source_id"`           // the comment's id in the export it came from
	MemberID    int64     `json:"member_id,omitempty"` // the member who wrote it on the site; 0 for imported and anonymous ones
}

// Comment statuses.
const (
	CommentApproved = "approved"
	CommentPending  = "pending"
	CommentSpam     = "spam"
)

// ImportStore persists import bookkeeping and comments.
type ImportStore interface {
	// FindImportRecord returns the record for (kind, sourceID, entityKind),
	// or not_found.
	FindImportRecord(ctx context.Context, kind, sourceID, entityKind string) (*ImportRecord, error)
	// PutImportRecord inserts r or replaces the record with the same key.
	PutImportRecord(ctx context.Context, r *ImportRecord) error
	// DeleteImportRecord removes the record; deleting a missing one is not an error.
	DeleteImportRecord(ctx context.Context, kind, sourceID, entityKind string) error
	// PutComment inserts c, or, when c.SourceID is set and the article
	// already has a comment with it, replaces that comment; it sets c.ID.
	// invalid when ArticleID names no article.
	PutComment(ctx context.Context, c *Comment) error
	// FindComments returns the comments of one article (every article when
	// articleID is 0), oldest first, and their total count.
	FindComments(ctx context.Context, articleID int64, limit, offset int) ([]*Comment, int, error)
	// DeleteComment removes a comment, or not_found.
	DeleteComment(ctx context.Context, id int64) error
	// FindImportRecords returns every import record, ordered by kind,
	// entity kind and source id, and their total count (for archives).
	FindImportRecords(ctx context.Context, limit, offset int) ([]*ImportRecord, int, error)
}

// Restorer writes what a Folio archive holds, inside the one transaction of
// ArchiveStore.Restore, with the IDs and times the archive carries.
type Restorer interface {
	RestoreAuthor(ctx context.Context, a *content.Author) error
	RestoreTerm(ctx context.Context, t *content.Term) error
	RestoreMedia(ctx context.Context, m *content.Media) error
	// RestoreArticle writes a with its ID, BodyHTML and times as given; its
	// authors and terms must already be restored.
	RestoreArticle(ctx context.Context, a *content.Article) error
	RestoreRedirect(ctx context.Context, r *content.Redirect) error
	RestoreComment(ctx context.Context, c *Comment) error
	// RestoreImportRecord writes an import record (after the entity it names).
	RestoreImportRecord(ctx context.Context, r *ImportRecord) error
	RestoreSettings(ctx context.Context, s *content.Settings) error
}

// ArchiveStore reads and writes a whole site for export, restore and backup.
type ArchiveStore interface {
	// FindRedirects returns redirects ordered by path, and their total count.
	FindRedirects(ctx context.Context, limit, offset int) ([]*content.Redirect, int, error)
	// Restore runs fn in one write transaction: every Restore call made
	// through r is kept when fn returns nil and none when it fails. The
	// store must hold no articles, authors, terms or media (conflict otherwise).
	Restore(ctx context.Context, fn func(r Restorer) error) error
	// Backup writes a consistent copy of the whole database to path, which
	// must not exist, while other connections keep reading and writing.
	Backup(ctx context.Context, path string) error
}
