package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"folio/internal/content"
	"folio/internal/store"
)

const termColumns = `t.id, t.kind, t.name, t.slug, t.description, t.names, t.descriptions, t.active, t.created_at, t.updated_at`

// kindOrder sorts kinds as content.TermKinds lists them (the order pages
// show them), not alphabetically.
const kindOrder = `CASE t.kind WHEN 'region' THEN 0 WHEN 'theme' THEN 1 WHEN 'dossier' THEN 2 WHEN 'tag' THEN 3 ELSE 4 END`

// FindTermByID returns the term, or not_found.
func (db *DB) FindTermByID(ctx context.Context, id int64) (*content.Term, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, store.Wrap(err, "find term %d", id)
	}
	defer tx.rollback()
	t, err := findTerm(ctx, tx, "t.id = ?", id)
	if err != nil {
		return nil, store.Wrap(mapError(err, func() error { return store.NotFound("term", id) }), "find term %d", id)
	}
	return t, nil
}

// FindTermBySlug returns the term of kind with slug, or not_found.
func (db *DB) FindTermBySlug(ctx context.Context, kind content.TermKind, slug string) (*content.Term, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, store.Wrap(err, "find %s %q", kind, slug)
	}
	defer tx.rollback()
	t, err := findTerm(ctx, tx, "t.kind = ? AND t.slug = ?", string(kind), slug)
	if err != nil {
		return nil, store.Wrap(mapError(err, func() error { return store.NotFound(string(kind), fmt.Sprintf("%q", slug)) }),
			"find %s %q", kind, slug)
	}
	return t, nil
}

// FindTerms returns terms ordered by kind then name, and the total matching f.
func (db *DB) FindTerms(ctx context.Context, f store.TermFilter) ([]*content.Term, int, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, store.Wrap(err, "find terms")
	}
	defer tx.rollback()
	ts, n, err := findTerms(ctx, tx, f)
	if err != nil {
		return nil, 0, store.Wrap(err, "find terms")
	}
	return ts, n, nil
}

// CreateTerm validates and inserts t; conflict when kind and slug are taken.
func (db *DB) CreateTerm(ctx context.Context, t *content.Term) error {
	if err := t.Validate(); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "create term")
	}
	defer tx.rollback()
	if err := createTerm(ctx, tx, t); err != nil {
		return store.Wrap(err, "create %s %q", t.Kind, t.Slug)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "create %s %q", t.Kind, t.Slug)
	}
	return nil
}

// UpdateTerm replaces the stored term t.ID.
func (db *DB) UpdateTerm(ctx context.Context, t *content.Term) error {
	if err := t.Validate(); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "update term %d", t.ID)
	}
	defer tx.rollback()
	if err := updateTerm(ctx, tx, t); err != nil {
		return store.Wrap(err, "update term %d", t.ID)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "update term %d", t.ID)
	}
	return nil
}

// DeleteTerm removes the term and, by cascade, its links to articles.
func (db *DB) DeleteTerm(ctx context.Context, id int64) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "delete term %d", id)
	}
	defer tx.rollback()
	if err := deleteRow(ctx, tx, "terms", "id", id, func() error { return store.NotFound("term", id) }); err != nil {
		return store.Wrap(err, "delete term %d", id)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "delete term %d", id)
	}
	return nil
}

// scanTerm scans a term row; prefix receives leading columns.
func scanTerm(sc scanner, prefix ...any) (*content.Term, error) {
	var t content.Term
	var names, descs string
	dest := append(prefix, &t.ID, &t.Kind, &t.Name, &t.Slug, &t.Description, &names, &descs, &t.Active,
		timeDst(&t.CreatedAt), timeDst(&t.UpdatedAt))
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(names), &t.Names); err != nil {
		return nil, fmt.Errorf("term %d: names: %w", t.ID, err)
	}
	if err := json.Unmarshal([]byte(descs), &t.Descriptions); err != nil {
		return nil, fmt.Errorf("term %d: descriptions: %w", t.ID, err)
	}
	return &t, nil
}

func findTerm(ctx context.Context, tx *Tx, where string, args ...any) (*content.Term, error) {
	return scanTerm(tx.QueryRowContext(ctx, `SELECT `+termColumns+` FROM terms t WHERE `+where, args...))
}

func findTerms(ctx context.Context, tx *Tx, f store.TermFilter) ([]*content.Term, int, error) {
	where, args := " WHERE 1 = 1", []any{}
	if len(f.IDs) > 0 {
		where += ` AND t.id = ANY(?)`
		args = append(args, f.IDs)
	}
	if f.Kind != "" {
		where += ` AND t.kind = ?`
		args = append(args, string(f.Kind))
	}
	if f.Active != nil {
		where += ` AND t.active = ?`
		args = append(args, *f.Active)
	}
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM terms t`+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+termColumns+` FROM terms t`+where+
		` ORDER BY `+kindOrder+`, lower(t.name), t.id LIMIT ? OFFSET ?`,
		append(args, limitArg(f.Limit), max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	ts := []*content.Term{}
	for rows.Next() {
		t, err := scanTerm(rows)
		if err != nil {
			return nil, 0, err
		}
		ts = append(ts, t)
	}
	return ts, total, rows.Err()
}

func namesJSON(names map[string]string) (string, error) {
	if names == nil {
		return "{}", nil
	}
	b, err := json.Marshal(names)
	return string(b), err
}

func termConflict(t *content.Term) error {
	return conflict("slug", "%s slug %q is already used", t.Kind, t.Slug)
}

func createTerm(ctx context.Context, tx *Tx, t *content.Term) error {
	names, err := namesJSON(t.Names)
	if err != nil {
		return err
	}
	descs, err := namesJSON(t.Descriptions)
	if err != nil {
		return err
	}
	id, err := tx.insertID(ctx, `INSERT INTO terms (kind, name, slug, description, names, descriptions, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, string(t.Kind), t.Name, t.Slug, t.Description, names, descs, t.Active,
		dbTime(tx.now), dbTime(tx.now))
	if isUnique(err) {
		return termConflict(t)
	} else if err != nil {
		return err
	}
	t.ID, t.CreatedAt, t.UpdatedAt = id, tx.now, tx.now
	return nil
}

func updateTerm(ctx context.Context, tx *Tx, t *content.Term) error {
	old, err := findTerm(ctx, tx, "t.id = ?", t.ID)
	if err != nil {
		return mapError(err, func() error { return store.NotFound("term", t.ID) })
	}
	names, err := namesJSON(t.Names)
	if err != nil {
		return err
	}
	descs, err := namesJSON(t.Descriptions)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE terms SET kind = ?, name = ?, slug = ?, description = ?, names = ?,
		descriptions = ?, active = ?, updated_at = ? WHERE id = ?`, string(t.Kind), t.Name, t.Slug, t.Description, names, descs, t.Active,
		dbTime(tx.now), t.ID)
	if isUnique(err) {
		return termConflict(t)
	} else if err != nil {
		return err
	}
	t.CreatedAt, t.UpdatedAt = old.CreatedAt, tx.now
	return nil
}

// deleteRow deletes the row of table whose key column equals key, or returns
// notFound() when there is none.
func deleteRow(ctx context.Context, tx *Tx, table, column string, key any, notFound func() error) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE `+column+` = ?`, key)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound()
	}
	return nil
}
