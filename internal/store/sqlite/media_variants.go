package sqlite

import (
	"context"
	"strings"

	"folio/internal/content"
	"folio/internal/store"
)

var _ store.MediaVariantStore = (*DB)(nil)

// ReplaceMediaVariants sets the variants of media mediaID to vs in one
// transaction, so readers see the old set or the new one, never a mix.
func (db *DB) ReplaceMediaVariants(ctx context.Context, mediaID int64, vs []content.MediaVariant) error {
	if err := store.ValidateMediaVariants(vs); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "replace variants of media %d", mediaID)
	}
	defer tx.rollback()
	if err := replaceMediaVariants(ctx, tx, mediaID, vs); err != nil {
		return store.Wrap(err, "replace variants of media %d", mediaID)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "replace variants of media %d", mediaID)
	}
	for i := range vs {
		vs[i].MediaID = mediaID
	}
	return nil
}

// FindMediaVariants returns the variants of ids by media ID.
func (db *DB) FindMediaVariants(ctx context.Context, ids []int64) (map[int64][]content.MediaVariant, error) {
	out := map[int64][]content.MediaVariant{}
	if len(ids) == 0 {
		return out, nil
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, store.Wrap(err, "find media variants")
	}
	defer tx.rollback()
	// Listings ask for a page of cards at a time; chunking keeps each
	// statement well under SQLite's bound-parameter limit anyway.
	for chunk := range chunks(ids, 500) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := tx.QueryContext(ctx, `SELECT media_id, width, height, format, path FROM media_variants
			WHERE media_id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`) ORDER BY media_id, format, width`, args...)
		if err != nil {
			return nil, store.Wrap(err, "find media variants")
		}
		for rows.Next() {
			var v content.MediaVariant
			if err := rows.Scan(&v.MediaID, &v.Width, &v.Height, &v.Format, &v.Path); err != nil {
				rows.Close()
				return nil, store.Wrap(err, "find media variants")
			}
			out[v.MediaID] = append(out[v.MediaID], v)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, store.Wrap(err, "find media variants")
		}
	}
	return out, nil
}

// FindMediaPaths returns the paths of every media record and variant.
func (db *DB) FindMediaPaths(ctx context.Context) ([]string, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, store.Wrap(err, "find media paths")
	}
	defer tx.rollback()
	rows, err := tx.QueryContext(ctx, `SELECT path FROM media UNION ALL SELECT path FROM media_variants`)
	if err != nil {
		return nil, store.Wrap(err, "find media paths")
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, store.Wrap(err, "find media paths")
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, store.Wrap(err, "find media paths")
	}
	return out, nil
}

func chunks(ids []int64, n int) func(func([]int64) bool) {
	return func(yield func([]int64) bool) {
		for len(ids) > 0 {
			k := min(n, len(ids))
			if !yield(ids[:k]) {
				return
			}
			ids = ids[k:]
		}
	}
}

func replaceMediaVariants(ctx context.Context, tx *Tx, mediaID int64, vs []content.MediaVariant) error {
	var exists int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM media WHERE id = ?`, mediaID).Scan(&exists)
	if err != nil {
		return mapError(err, func() error { return store.NotFound("media", mediaID) })
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM media_variants WHERE media_id = ?`, mediaID); err != nil {
		return err
	}
	for _, v := range vs {
		_, err := tx.ExecContext(ctx, `INSERT INTO media_variants (media_id, width, height, format, path)
			VALUES (?, ?, ?, ?, ?)`, mediaID, v.Width, v.Height, v.Format, v.Path)
		if isUnique(err) {
			return conflict("path", "media variant %s %dw or path %q is already recorded", v.Format, v.Width, v.Path)
		} else if err != nil {
			return err
		}
	}
	return nil
}
