package store

import (
	"context"
	"time"

	"folio/internal/content"
)

// Revision is an article as it was stored by one write. The text fields
// readers and editors compare are columns; the rest is in Snapshot.
type Revision struct {
	ID           int64
	ArticleID    int64
	Version      int   // the article's version this write produced
	UserID       int64 // 0 for the API, the scheduler or a deleted user
	At           time.Time
	Title        string
	Deck         string
	Slug         string
	BodyMarkdown string
	Excerpt      string
	Status       content.Status
	Snapshot     RevisionSnapshot
	Note         string // e.g. "restored from version 3"
}

// RevisionSnapshot holds the article fields a revision keeps beside its
// text columns, so a restore brings back the whole piece.
type RevisionSnapshot struct {
	Language    string         `json:"language"`
	Featured    bool           `json:"featured"`
	Image       *content.Image `json:"image,omitempty"`
	License     string         `json:"license,omitempty"`
	SourceURL   string         `json:"source_url,omitempty"`
	SourceName  string         `json:"source_name,omitempty"`
	Access      content.Access `json:"access,omitempty"`
	AccessTier  string         `json:"access_tier,omitempty"`
	FreeAt      time.Time      `json:"free_at,omitzero"`
	AuthorIDs   []int64        `json:"author_ids"`
	TermIDs     []int64        `json:"term_ids"`
	PublishedAt time.Time      `json:"published_at"`
}

// ArticleWrite says who writes an article and which version they started
// from. The zero value is an unattributed write that never conflicts (the
// API and the importer).
type ArticleWrite struct {
	UserID int64
	// ExpectedVersion, when not 0, must equal the stored version or the
	// write fails with conflict and changes nothing.
	ExpectedVersion int
	Note            string // kept on the revision
}

// Autosave is the unsaved text of one user's open editor for an article.
type Autosave struct {
	ArticleID    int64
	UserID       int64
	BaseVersion  int // the article version the editor was opened on
	At           time.Time
	Title        string
	BodyMarkdown string
}

// RevisionStore persists article history and editor autosaves. Every
// CreateArticle and UpdateArticle of the ArticleStore records a revision.
type RevisionStore interface {
	// FindRevisions returns the article's revisions, newest first; an
	// empty list when there are none (or no such article).
	FindRevisions(ctx context.Context, articleID int64) ([]*Revision, error)
	// FindRevision returns one revision, or not_found.
	FindRevision(ctx context.Context, id int64) (*Revision, error)
	// PutAutosave stores or replaces the user's autosave of the article;
	// invalid when the article or user does not exist.
	PutAutosave(ctx context.Context, s *Autosave) error
	// FindAutosave returns the user's autosave of the article, or not_found.
	FindAutosave(ctx context.Context, articleID, userID int64) (*Autosave, error)
	// DeleteAutosave removes it; a missing one is not an error.
	DeleteAutosave(ctx context.Context, articleID, userID int64) error
}
