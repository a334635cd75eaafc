package sqlite

import (
	"context"

	"folio/internal/content"
	"folio/internal/store"
)

// FindRedirect returns the redirect or gone marker for path, or not_found.
func (db *DB) FindRedirect(ctx context.Context, path string) (*content.Redirect, error) {
	var r *content.Redirect
	err := db.inRead(ctx, func(tx *Tx) (err error) {
		r, err = batch{tx}.FindRedirect(ctx, path)
		return err
	}, "find redirect")
	return r, err
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
	return db.inWrite(ctx, func(tx *Tx) error { return batch{tx}.DeleteRedirect(ctx, path) }, "delete redirect")
}

// putRedirect upserts r, keeping its CreatedAt or stamping the tx time.
func putRedirect(ctx context.Context, tx *Tx, r *content.Redirect) error {
	if r.CreatedAt.IsZero() {
		r.CreatedAt = tx.now
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO redirects (from_path, to_path, status, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (from_path) DO UPDATE SET to_path = excluded.to_path, status = excluded.status,
		created_at = excluded.created_at`, r.From, r.To, r.Status, formatTime(r.CreatedAt))
	return err
}

// deleteRedirectFrom removes any redirect or gone marker for path; none is fine.
func deleteRedirectFrom(ctx context.Context, tx *Tx, path string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM redirects WHERE from_path = ?`, path)
	return err
}
