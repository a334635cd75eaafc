package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"folio/internal/content"
	"folio/internal/store"
)

var (
	_ store.ImportStore  = (*DB)(nil)
	_ store.ArchiveStore = (*DB)(nil)
)

// FindImportRecord returns the record for (kind, sourceID, entityKind), or not_found.
func (db *DB) FindImportRecord(ctx context.Context, kind, sourceID, entityKind string) (*store.ImportRecord, error) {
	var r *store.ImportRecord
	err := db.inRead(ctx, func(tx *Tx) (err error) {
		r, err = batch{tx}.FindImportRecord(ctx, kind, sourceID, entityKind)
		return err
	}, "find import record")
	return r, err
}

// PutImportRecord inserts r or replaces the record with the same key. A
// zero ImportedAt becomes the store's now.
func (db *DB) PutImportRecord(ctx context.Context, r *store.ImportRecord) error {
	return db.inWrite(ctx, func(tx *Tx) error { return batch{tx}.PutImportRecord(ctx, r) }, "put import record")
}

// DeleteImportRecord removes the record if it exists.
func (db *DB) DeleteImportRecord(ctx context.Context, kind, sourceID, entityKind string) error {
	return db.inWrite(ctx, func(tx *Tx) error { return batch{tx}.DeleteImportRecord(ctx, kind, sourceID, entityKind) }, "delete import record")
}

// PutComment inserts c, or replaces the article's comment with the same SourceID.
func (db *DB) PutComment(ctx context.Context, c *store.Comment) error {
	if c.ArticleID == 0 {
		return content.Errorf(content.EINVALID, "comment needs an article")
	}
	if c.Status == "" {
		c.Status = store.CommentApproved
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = db.now().UTC()
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "put comment")
	}
	defer tx.rollback()
	if err := putComment(ctx, tx, c, false); err != nil {
		return store.Wrap(mapError(err, nil), "put comment on article %d", c.ArticleID)
	}
	return store.Wrap(tx.Commit(), "put comment on article %d", c.ArticleID)
}

// putComment writes c; withID keeps c.ID (restores) instead of letting
// SQLite choose one.
func putComment(ctx context.Context, tx *Tx, c *store.Comment, withID bool) error {
	if c.SourceID != "" && !withID {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM comments WHERE article_id = ? AND source_id = ?`,
			c.ArticleID, c.SourceID).Scan(&id)
		switch {
		case err == nil:
			c.ID = id
			_, err = tx.ExecContext(ctx, `UPDATE comments SET parent_id = ?, author_name = ?, author_email = ?,
				author_url = ?, body_html = ?, status = ?, created_at = ? WHERE id = ?`,
				c.ParentID, c.AuthorName, c.AuthorEmail, c.AuthorURL, c.BodyHTML, c.Status, formatTime(c.CreatedAt), id)
			return err
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
	}
	var id any
	if withID {
		id = c.ID
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO comments (id, article_id, parent_id, author_name, author_email,
		author_url, body_html, status, created_at, source_id, member_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, c.ArticleID, c.ParentID, c.AuthorName, c.AuthorEmail, c.AuthorURL, c.BodyHTML, c.Status,
		formatTime(c.CreatedAt), c.SourceID, c.MemberID)
	if err != nil {
		return err
	}
	if !withID {
		c.ID, err = res.LastInsertId()
	}
	return err
}

// FindComments returns one article's comments (all when articleID is 0), oldest first.
func (db *DB) FindComments(ctx context.Context, articleID int64, limit, offset int) ([]*store.Comment, int, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, store.Wrap(err, "find comments")
	}
	defer tx.rollback()
	where, args := "1 = 1", []any{}
	if articleID != 0 {
		where, args = "article_id = ?", []any{articleID}
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM comments WHERE `+where, args...).Scan(&n); err != nil {
		return nil, 0, store.Wrap(err, "count comments")
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, article_id, parent_id, author_name, author_email, author_url,
		body_html, status, created_at, source_id FROM comments WHERE `+where+
		` ORDER BY created_at, id LIMIT ? OFFSET ?`, append(args, limitArg(limit), offset)...)
	if err != nil {
		return nil, 0, store.Wrap(err, "find comments")
	}
	defer rows.Close()
	var out []*store.Comment
	for rows.Next() {
		var c store.Comment
		if err := rows.Scan(&c.ID, &c.ArticleID, &c.ParentID, &c.AuthorName, &c.AuthorEmail, &c.AuthorURL,
			&c.BodyHTML, &c.Status, timeDst(&c.CreatedAt), &c.SourceID); err != nil {
			return nil, 0, store.Wrap(err, "scan comment")
		}
		out = append(out, &c)
	}
	return out, n, store.Wrap(rows.Err(), "find comments")
}

// FindArticleComments returns every comment of one article, oldest first.
func (db *DB) FindArticleComments(ctx context.Context, articleID int64) ([]*store.Comment, error) {
	cs, _, err := db.FindComments(ctx, articleID, 0, 0)
	return cs, err
}

// DeleteComment removes a comment, or not_found.
func (db *DB) DeleteComment(ctx context.Context, id int64) error {
	return db.inWrite(ctx, func(tx *Tx) error { return batch{tx}.DeleteComment(ctx, id) }, "delete comment")
}

// FindRedirects returns redirects ordered by path.
func (db *DB) FindRedirects(ctx context.Context, limit, offset int) ([]*content.Redirect, int, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, store.Wrap(err, "find redirects")
	}
	defer tx.rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM redirects`).Scan(&n); err != nil {
		return nil, 0, store.Wrap(err, "count redirects")
	}
	rows, err := tx.QueryContext(ctx, `SELECT from_path, to_path, status, created_at FROM redirects
		ORDER BY from_path LIMIT ? OFFSET ?`, limitArg(limit), offset)
	if err != nil {
		return nil, 0, store.Wrap(err, "find redirects")
	}
	defer rows.Close()
	var out []*content.Redirect
	for rows.Next() {
		var r content.Redirect
		if err := rows.Scan(&r.From, &r.To, &r.Status, timeDst(&r.CreatedAt)); err != nil {
			return nil, 0, store.Wrap(err, "scan redirect")
		}
		out = append(out, &r)
	}
	return out, n, store.Wrap(rows.Err(), "find redirects")
}

// Backup writes a consistent copy of the database to path with VACUUM INTO:
// it reads one snapshot, so writers on other connections carry on (WAL)
// and the copy holds exactly the transactions committed before it began.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Lstat(path); err == nil {
		return content.Errorf(content.ECONFLICT, "backup target %s already exists", path)
	}
	_, err := db.db.ExecContext(ctx, `VACUUM INTO ?`, path)
	return store.Wrap(err, "backup to %s", path)
}

// Restore runs fn inside one write transaction; see store.ArchiveStore.
func (db *DB) Restore(ctx context.Context, fn func(r store.Restorer) error) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "restore")
	}
	defer tx.rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM articles) + (SELECT COUNT(*) FROM authors)
		+ (SELECT COUNT(*) FROM terms) + (SELECT COUNT(*) FROM media)`).Scan(&n); err != nil {
		return store.Wrap(err, "restore: check empty")
	}
	if n > 0 {
		return content.Errorf(content.ECONFLICT, "the site already holds content: restore into an empty data directory")
	}
	if err := fn(restorer{tx}); err != nil {
		return err
	}
	return store.Wrap(tx.Commit(), "restore")
}

// restorer writes rows with their own IDs and times.
type restorer struct{ tx *Tx }

func (r restorer) RestoreAuthor(ctx context.Context, a *content.Author) error {
	links, err := linksJSON(a.Links)
	if err != nil {
		return err
	}
	trans, err := authorTextsJSON(a.Translations)
	if err != nil {
		return err
	}
	_, err = r.tx.ExecContext(ctx, `INSERT INTO authors (id, name, slug, bio, photo_url, email, links, translations, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, a.Name, a.Slug, a.Bio, a.PhotoURL, a.Email, links, trans,
		formatTime(a.CreatedAt), formatTime(a.UpdatedAt))
	return store.Wrap(mapError(err, nil), "restore author %d", a.ID)
}

func (r restorer) RestoreTerm(ctx context.Context, t *content.Term) error {
	names, err := namesJSON(t.Names)
	if err != nil {
		return err
	}
	descs, err := namesJSON(t.Descriptions)
	if err != nil {
		return err
	}
	_, err = r.tx.ExecContext(ctx, `INSERT INTO terms (id, kind, name, slug, description, names, descriptions, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, t.ID, string(t.Kind), t.Name, t.Slug, t.Description, names, descs, t.Active,
		formatTime(t.CreatedAt), formatTime(t.UpdatedAt))
	return store.Wrap(mapError(err, nil), "restore term %d", t.ID)
}

func (r restorer) RestoreMedia(ctx context.Context, m *content.Media) error {
	if err := store.ValidateMedia(m); err != nil {
		return err
	}
	_, err := r.tx.ExecContext(ctx, `INSERT INTO media (id, path, filename, content_type, size, width, height, alt,
		caption, credit, credit_url, created_at, republishable, credit_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.Path, m.Filename, m.ContentType, m.Size, m.Width, m.Height, m.Alt, m.Caption, m.Credit, m.CreditURL,
		formatTime(m.CreatedAt), m.Republishable, string(m.CreditType))
	return store.Wrap(mapError(err, nil), "restore media %d", m.ID)
}

func (r restorer) RestoreArticle(ctx context.Context, a *content.Article) error {
	if err := a.Validate(); err != nil {
		return err
	}
	args, err := articleArgs(a)
	if err != nil {
		return err
	}
	args = append([]any{a.ID}, args...)
	args = append(args, sortTime(a), formatTime(a.CreatedAt), formatTime(a.UpdatedAt))
	_, err = r.tx.ExecContext(ctx, `INSERT INTO articles (id, language, translation_group, title, deck, slug,
		body_markdown, body_html, excerpt, status, featured, image, license, source_url, source_name,
		published_at, access, access_tier, free_at, type, parent_id, template, seo, sort_time, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
	if err != nil {
		return store.Wrap(mapError(err, nil), "restore article %d", a.ID)
	}
	if err := setArticleRelations(ctx, r.tx, a); err != nil {
		return store.Wrap(err, "restore article %d", a.ID)
	}
	return nil
}

func (r restorer) RestoreRedirect(ctx context.Context, rd *content.Redirect) error {
	if err := store.ValidateRedirect(rd); err != nil {
		return err
	}
	return store.Wrap(putRedirect(ctx, r.tx, rd), "restore redirect %s", rd.From)
}

func (r restorer) RestoreComment(ctx context.Context, c *store.Comment) error {
	return store.Wrap(mapError(putComment(ctx, r.tx, c, true), nil), "restore comment %d", c.ID)
}

func (r restorer) RestoreSettings(ctx context.Context, s *content.Settings) error {
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("store: restore settings: %w", err)
	}
	_, err = r.tx.ExecContext(ctx, `INSERT INTO settings (id, data, updated_at) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
		string(b), formatTime(r.tx.now))
	return store.Wrap(err, "restore settings")
}

// FindImportRecords returns import records ordered by kind, entity kind and
// source id, and their total count (for archives).
func (db *DB) FindImportRecords(ctx context.Context, limit, offset int) ([]*store.ImportRecord, int, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, store.Wrap(err, "find import records")
	}
	defer tx.rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM import_sources`).Scan(&n); err != nil {
		return nil, 0, store.Wrap(err, "count import records")
	}
	rows, err := tx.QueryContext(ctx, `SELECT kind, source_id, entity_kind, entity_id, imported_at, content_hash
		FROM import_sources ORDER BY kind, entity_kind, source_id LIMIT ? OFFSET ?`, limitArg(limit), offset)
	if err != nil {
		return nil, 0, store.Wrap(err, "find import records")
	}
	defer rows.Close()
	var out []*store.ImportRecord
	for rows.Next() {
		var r store.ImportRecord
		if err := rows.Scan(&r.Kind, &r.SourceID, &r.EntityKind, &r.EntityID, timeDst(&r.ImportedAt), &r.ContentHash); err != nil {
			return nil, 0, store.Wrap(err, "scan import record")
		}
		out = append(out, &r)
	}
	return out, n, store.Wrap(rows.Err(), "find import records")
}

// RestoreImportRecord writes an import record as the archive holds it, so
// that importing the same export again after a restore updates instead of
// duplicating.
func (r restorer) RestoreImportRecord(ctx context.Context, rec *store.ImportRecord) error {
	return batch(r).PutImportRecord(ctx, rec)
}
