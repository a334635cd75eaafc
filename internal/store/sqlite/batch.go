package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"folio/internal/content"
	"folio/internal/store"
)

var (
	_ store.BatchStore = (*DB)(nil)
	_ store.Tx         = (*DB)(nil)
	_ store.Tx         = batch{}
)

// Batch runs fn in one write transaction whose statements are prepared once
// and reused: a batch runs the same dozen queries for every article, and
// parsing them again each time cost more than executing them.
func (db *DB) Batch(ctx context.Context, fn func(b store.Tx) error) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "batch")
	}
	tx.stmts = map[string]*sql.Stmt{}
	defer func() {
		for _, st := range tx.stmts {
			st.Close()
		}
		tx.rollback()
	}()
	if err := fn(batch{tx}); err != nil {
		return err
	}
	return store.Wrap(tx.Commit(), "batch")
}

// stmt returns the cached prepared statement for query.
func (tx *Tx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := tx.stmts[query]; ok {
		return st, nil
	}
	st, err := tx.Tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	tx.stmts[query] = st
	return st, nil
}

// ExecContext runs query through the statement cache when the transaction
// has one, and as a one-off otherwise.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if tx.stmts == nil {
		if st := tx.shared(ctx, query); st != nil {
			return st.ExecContext(ctx, args...)
		}
		return tx.Tx.ExecContext(ctx, query, args...)
	}
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// QueryContext is ExecContext for queries returning rows.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if tx.stmts == nil {
		if st := tx.shared(ctx, query); st != nil {
			return st.QueryContext(ctx, args...)
		}
		return tx.Tx.QueryContext(ctx, query, args...)
	}
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext is ExecContext for queries returning one row. A query
// that does not prepare runs as a one-off, whose Row carries the error.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if tx.stmts != nil {
		if st, err := tx.stmt(ctx, query); err == nil {
			return st.QueryRowContext(ctx, args...)
		}
	} else if st := tx.shared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// batch is store.Tx on one transaction, through the same helpers as
// the single-write methods.
type batch struct{ tx *Tx }

func (b batch) FindArticleByID(ctx context.Context, id int64) (*content.Article, error) {
	a, err := findArticle(ctx, b.tx, "a.id = ?", id)
	if err != nil {
		return nil, store.Wrap(mapError(err, func() error { return store.NotFound("article", id) }), "find article %d", id)
	}
	return a, nil
}

func (b batch) SlugTaken(ctx context.Context, lang, slug string, exceptID int64) (bool, error) {
	var taken bool
	err := b.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM articles WHERE language = ? AND slug = ? AND id <> ?)`,
		lang, slug, exceptID).Scan(&taken)
	if err != nil {
		return false, store.Wrap(err, "check slug %q", slug)
	}
	return taken, nil
}

func (b batch) CreateArticle(ctx context.Context, a *content.Article, w store.ArticleWrite) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return store.Wrap(createArticle(ctx, b.tx, a, w), "create article %q", a.Slug)
}

func (b batch) UpdateArticle(ctx context.Context, a *content.Article, w store.ArticleWrite) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return store.Wrap(updateArticle(ctx, b.tx, a, w), "update article %d", a.ID)
}

func (b batch) DeleteRedirect(ctx context.Context, path string) error {
	err := deleteRow(ctx, b.tx, "redirects", "from_path", path, func() error {
		return store.NotFound("redirect", fmt.Sprintf("%q", path))
	})
	return store.Wrap(err, "delete redirect %q", path)
}

func (b batch) DeleteImportRecord(ctx context.Context, kind, sourceID, entityKind string) error {
	_, err := b.tx.ExecContext(ctx, `DELETE FROM import_sources WHERE kind = ? AND source_id = ? AND entity_kind = ?`,
		kind, sourceID, entityKind)
	return store.Wrap(err, "delete import record %s/%s/%s", kind, entityKind, sourceID)
}

func (b batch) DeleteComment(ctx context.Context, id int64) error {
	err := deleteRow(ctx, b.tx, "comments", "id", id, func() error { return store.NotFound("comment", id) })
	return store.Wrap(err, "delete comment %d", id)
}

func (b batch) FindRedirect(ctx context.Context, path string) (*content.Redirect, error) {
	var r content.Redirect
	err := b.tx.QueryRowContext(ctx, `SELECT from_path, to_path, status, created_at FROM redirects WHERE from_path = ?`, path).
		Scan(&r.From, &r.To, &r.Status, timeDst(&r.CreatedAt))
	if err != nil {
		return nil, store.Wrap(mapError(err, func() error { return store.NotFound("redirect", fmt.Sprintf("%q", path)) }),
			"find redirect %q", path)
	}
	return &r, nil
}

func (b batch) PutRedirect(ctx context.Context, r *content.Redirect) error {
	if err := store.ValidateRedirect(r); err != nil {
		return err
	}
	return store.Wrap(putRedirect(ctx, b.tx, r), "put redirect %q", r.From)
}

func (b batch) FindImportRecord(ctx context.Context, kind, sourceID, entityKind string) (*store.ImportRecord, error) {
	var r store.ImportRecord
	err := b.tx.QueryRowContext(ctx, `SELECT kind, source_id, entity_kind, entity_id, imported_at, content_hash
		FROM import_sources WHERE kind = ? AND source_id = ? AND entity_kind = ?`, kind, sourceID, entityKind).
		Scan(&r.Kind, &r.SourceID, &r.EntityKind, &r.EntityID, timeDst(&r.ImportedAt), &r.ContentHash)
	if err != nil {
		return nil, store.Wrap(mapError(err, func() error {
			return store.NotFound("import record", kind+"/"+entityKind+"/"+sourceID)
		}), "find import record %s/%s/%s", kind, entityKind, sourceID)
	}
	return &r, nil
}

func (b batch) PutImportRecord(ctx context.Context, r *store.ImportRecord) error {
	if r.Kind == "" || r.SourceID == "" || r.EntityKind == "" || r.EntityID == 0 {
		return content.Errorf(content.EINVALID, "import record needs kind, source id, entity kind and entity id")
	}
	if r.ImportedAt.IsZero() {
		r.ImportedAt = b.tx.now
	}
	_, err := b.tx.ExecContext(ctx, `INSERT INTO import_sources (kind, source_id, entity_kind, entity_id, imported_at, content_hash)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, source_id, entity_kind) DO UPDATE SET
		entity_id = excluded.entity_id, imported_at = excluded.imported_at, content_hash = excluded.content_hash`,
		r.Kind, r.SourceID, r.EntityKind, r.EntityID, formatTime(r.ImportedAt), r.ContentHash)
	return store.Wrap(err, "put import record %s/%s/%s", r.Kind, r.EntityKind, r.SourceID)
}

func (b batch) FindArticleComments(ctx context.Context, articleID int64) ([]*store.Comment, error) {
	rows, err := b.tx.QueryContext(ctx, `SELECT id, article_id, parent_id, author_name, author_email, author_url,
		body_html, status, created_at, source_id FROM comments WHERE article_id = ? ORDER BY created_at, id`, articleID)
	if err != nil {
		return nil, store.Wrap(err, "find comments of article %d", articleID)
	}
	defer rows.Close()
	var out []*store.Comment
	for rows.Next() {
		var c store.Comment
		if err := rows.Scan(&c.ID, &c.ArticleID, &c.ParentID, &c.AuthorName, &c.AuthorEmail, &c.AuthorURL,
			&c.BodyHTML, &c.Status, timeDst(&c.CreatedAt), &c.SourceID); err != nil {
			return nil, store.Wrap(err, "scan comment")
		}
		out = append(out, &c)
	}
	return out, store.Wrap(rows.Err(), "find comments of article %d", articleID)
}

func (b batch) PutComment(ctx context.Context, c *store.Comment) error {
	if c.ArticleID == 0 {
		return content.Errorf(content.EINVALID, "comment needs an article")
	}
	if c.Status == "" {
		c.Status = store.CommentApproved
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = b.tx.now
	}
	return store.Wrap(mapError(putComment(ctx, b.tx, c, false), nil), "put comment on article %d", c.ArticleID)
}
