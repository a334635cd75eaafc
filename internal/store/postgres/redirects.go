package postgres

import (
	"context"
	"fmt"

	"folio/internal/content"
	"folio/internal/store"
)

// FindRedirect returns the redirect or gone marker for path, or not_found.
func (db *DB) FindRedirect(ctx context.Context, path string) (*content.Redirect, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, store.Wrap(err, "find redirect %q", path)
	}
	defer tx.rollback()
	var r content.Redirect
	err = tx.QueryRowContext(ctx, `SELECT from_path, to_path, status, created_at FROM redirects WHERE from_path = ?`, path).
		Scan(&r.From, &r.To, &r.Status, timeDst(&r.CreatedAt))
	if err != nil {
		return nil, store.Wrap(mapError(err, func() error { return store.NotFound("redirect", fmt.Sprintf("%q", path)) }),
			"find redirect %q", path)
	}
	return &r, nil
}

// PutRedirect adds or replaces the redirect for r.From.
func (db *DB) PutRedirect(ctx context.Context, r *content.Redirect) error {
	if err := store.ValidateRedirect(r); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "put redirect %q", r.From)
	}
	defer tx.rollback()
	if err := putRedirect(ctx, tx, r); err != nil {
		return store.Wrap(err, "put redirect %q", r.From)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "put redirect %q", r.From)
	}
	return nil
}

// DeleteRedirect removes the redirect for path, or returns not_found.
func (db *DB) DeleteRedirect(ctx context.Context, path string) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "delete redirect %q", path)
	}
	defer tx.rollback()
	err = deleteRow(ctx, tx, "redirects", "from_path", path, func() error {
		return store.NotFound("redirect", fmt.Sprintf("%q", path))
	})
	if err != nil {
		return store.Wrap(err, "delete redirect %q", path)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "delete redirect %q", path)
	}
	return nil
}

// putRedirect upserts r, keeping its CreatedAt or stamping the tx time.
func putRedirect(ctx context.Context, tx *Tx, r *content.Redirect) error {
	if r.CreatedAt.IsZero() {
		r.CreatedAt = tx.now
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO redirects (from_path, to_path, status, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (from_path) DO UPDATE SET to_path = excluded.to_path, status = excluded.status,
		created_at = excluded.created_at`, r.From, r.To, r.Status, dbTime(r.CreatedAt))
	return err
}

// deleteRedirectFrom removes any redirect or gone marker for path; none is fine.
func deleteRedirectFrom(ctx context.Context, tx *Tx, path string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM redirects WHERE from_path = ?`, path)
	return err
}
