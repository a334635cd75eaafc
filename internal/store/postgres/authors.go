package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"folio/internal/content"
	"folio/internal/store"
)

const authorColumns = `au.id, au.name, au.slug, au.bio, au.photo_url, au.email, au.links, au.translations, au.created_at, au.updated_at`

// FindAuthorByID returns the author, or not_found.
func (db *DB) FindAuthorByID(ctx context.Context, id int64) (*content.Author, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, store.Wrap(err, "find author %d", id)
	}
	defer tx.rollback()
	au, err := findAuthor(ctx, tx, "au.id = ?", id)
	if err != nil {
		return nil, store.Wrap(mapError(err, func() error { return store.NotFound("author", id) }), "find author %d", id)
	}
	return au, nil
}

// FindAuthorBySlug returns the author, or not_found.
func (db *DB) FindAuthorBySlug(ctx context.Context, slug string) (*content.Author, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, store.Wrap(err, "find author %q", slug)
	}
	defer tx.rollback()
	au, err := findAuthor(ctx, tx, "au.slug = ?", slug)
	if err != nil {
		return nil, store.Wrap(mapError(err, func() error { return store.NotFound("author", fmt.Sprintf("%q", slug)) }), "find author %q", slug)
	}
	return au, nil
}

// FindAuthors returns authors ordered by name and the total matching f.
func (db *DB) FindAuthors(ctx context.Context, f store.AuthorFilter) ([]*content.Author, int, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, store.Wrap(err, "find authors")
	}
	defer tx.rollback()
	as, n, err := findAuthors(ctx, tx, f)
	if err != nil {
		return nil, 0, store.Wrap(err, "find authors")
	}
	return as, n, nil
}

// CreateAuthor validates and inserts a; conflict when the slug is taken.
func (db *DB) CreateAuthor(ctx context.Context, a *content.Author) error {
	if err := a.Validate(); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "create author")
	}
	defer tx.rollback()
	if err := createAuthor(ctx, tx, a); err != nil {
		return store.Wrap(err, "create author %q", a.Slug)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "create author %q", a.Slug)
	}
	return nil
}

// UpdateAuthor replaces the stored author a.ID.
func (db *DB) UpdateAuthor(ctx context.Context, a *content.Author) error {
	if err := a.Validate(); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "update author %d", a.ID)
	}
	defer tx.rollback()
	if err := updateAuthor(ctx, tx, a); err != nil {
		return store.Wrap(err, "update author %d", a.ID)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "update author %d", a.ID)
	}
	return nil
}

// DeleteAuthor removes the author and their bylines; conflict when an article
// would be left without any author.
func (db *DB) DeleteAuthor(ctx context.Context, id int64) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "delete author %d", id)
	}
	defer tx.rollback()
	if err := deleteAuthor(ctx, tx, id); err != nil {
		return store.Wrap(err, "delete author %d", id)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "delete author %d", id)
	}
	return nil
}

// scanAuthor scans an author row; prefix receives leading columns such as
// the article ID of a byline query.
func scanAuthor(sc scanner, prefix ...any) (*content.Author, error) {
	var a content.Author
	var links, trans string
	dest := append(prefix, &a.ID, &a.Name, &a.Slug, &a.Bio, &a.PhotoURL, &a.Email, &links, &trans,
		timeDst(&a.CreatedAt), timeDst(&a.UpdatedAt))
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(links), &a.Links); err != nil {
		return nil, fmt.Errorf("author %d: links: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(trans), &a.Translations); err != nil {
		return nil, fmt.Errorf("author %d: translations: %w", a.ID, err)
	}
	return &a, nil
}

func findAuthor(ctx context.Context, tx *Tx, where string, args ...any) (*content.Author, error) {
	return scanAuthor(tx.QueryRowContext(ctx, `SELECT `+authorColumns+` FROM authors au WHERE `+where, args...))
}

func findAuthors(ctx context.Context, tx *Tx, f store.AuthorFilter) ([]*content.Author, int, error) {
	where, args := "", []any{}
	if len(f.IDs) > 0 {
		where, args = ` WHERE au.id = ANY(?)`, append(args, f.IDs)
	}
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM authors au`+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+authorColumns+` FROM authors au`+where+
		` ORDER BY lower(au.name), au.id LIMIT ? OFFSET ?`, append(args, limitArg(f.Limit), max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	as := []*content.Author{}
	for rows.Next() {
		a, err := scanAuthor(rows)
		if err != nil {
			return nil, 0, err
		}
		as = append(as, a)
	}
	return as, total, rows.Err()
}

func linksJSON(links []content.Link) (string, error) {
	if links == nil {
		links = []content.Link{}
	}
	b, err := json.Marshal(links)
	return string(b), err
}

func authorTextsJSON(m map[string]content.AuthorText) (string, error) {
	if m == nil {
		return "{}", nil
	}
	b, err := json.Marshal(m)
	return string(b), err
}

func authorConflict(a *content.Author) error {
	return conflict("slug", "author slug %q is already used", a.Slug)
}

func createAuthor(ctx context.Context, tx *Tx, a *content.Author) error {
	links, err := linksJSON(a.Links)
	if err != nil {
		return err
	}
	trans, err := authorTextsJSON(a.Translations)
	if err != nil {
		return err
	}
	id, err := tx.insertID(ctx, `INSERT INTO authors (name, slug, bio, photo_url, email, links, translations, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.Name, a.Slug, a.Bio, a.PhotoURL, a.Email, links, trans,
		dbTime(tx.now), dbTime(tx.now))
	if isUnique(err) {
		return authorConflict(a)
	} else if err != nil {
		return err
	}
	a.ID, a.CreatedAt, a.UpdatedAt = id, tx.now, tx.now
	return nil
}

func updateAuthor(ctx context.Context, tx *Tx, a *content.Author) error {
	old, err := findAuthor(ctx, tx, "au.id = ?", a.ID)
	if err != nil {
		return mapError(err, func() error { return store.NotFound("author", a.ID) })
	}
	links, err := linksJSON(a.Links)
	if err != nil {
		return err
	}
	trans, err := authorTextsJSON(a.Translations)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE authors SET name = ?, slug = ?, bio = ?, photo_url = ?, email = ?,
		links = ?, translations = ?, updated_at = ? WHERE id = ?`, a.Name, a.Slug, a.Bio, a.PhotoURL, a.Email, links, trans,
		dbTime(tx.now), a.ID)
	if isUnique(err) {
		return authorConflict(a)
	} else if err != nil {
		return err
	}
	a.CreatedAt, a.UpdatedAt = old.CreatedAt, tx.now
	return nil
}

func deleteAuthor(ctx context.Context, tx *Tx, id int64) error {
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM authors WHERE id = ?)`, id).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		return store.NotFound("author", id)
	}
	var articleID int64
	err := tx.QueryRowContext(ctx, `SELECT x.article_id FROM article_authors x
		WHERE x.author_id = ? AND NOT EXISTS (
			SELECT 1 FROM article_authors o WHERE o.article_id = x.article_id AND o.author_id <> x.author_id)
		ORDER BY x.article_id LIMIT 1`, id).Scan(&articleID)
	if err == nil {
		return conflict("authors", "author %d is the only author of article %d", id, articleID)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM article_authors WHERE author_id = ?`, id); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM authors WHERE id = ?`, id)
	return err
}

// limitArg turns "0 means no limit" into NULL, which LIMIT reads as none.
func limitArg(n int) any {
	if n > 0 {
		return n
	}
	return nil
}
