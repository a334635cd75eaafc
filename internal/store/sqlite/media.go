package sqlite

import (
	"context"

	"folio/internal/content"
	"folio/internal/store"
)

const mediaColumns = `id, path, filename, content_type, size, width, height, alt, caption, credit, credit_url, created_at, republishable, credit_type`

// CreateMedia inserts m and sets its ID and CreatedAt; conflict when another
// record has the same path.
func (db *DB) CreateMedia(ctx context.Context, m *content.Media) error {
	if err := store.ValidateMedia(m); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "create media")
	}
	defer tx.rollback()
	if err := createMedia(ctx, tx, m); err != nil {
		return store.Wrap(err, "create media %q", m.Path)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "create media %q", m.Path)
	}
	return nil
}

// FindMediaByID returns the media record, or not_found.
func (db *DB) FindMediaByID(ctx context.Context, id int64) (*content.Media, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, store.Wrap(err, "find media %d", id)
	}
	defer tx.rollback()
	m, err := scanMedia(tx.QueryRowContext(ctx, `SELECT `+mediaColumns+` FROM media WHERE id = ?`, id))
	if err != nil {
		return nil, store.Wrap(mapError(err, func() error { return store.NotFound("media", id) }), "find media %d", id)
	}
	return m, nil
}

// FindMedia returns media newest first and the total count; limit 0 means all.
func (db *DB) FindMedia(ctx context.Context, limit, offset int) ([]*content.Media, int, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, store.Wrap(err, "find media")
	}
	defer tx.rollback()
	ms, n, err := findMedia(ctx, tx, limit, offset)
	if err != nil {
		return nil, 0, store.Wrap(err, "find media")
	}
	return ms, n, nil
}

// UpdateMedia replaces the stored record m.ID; CreatedAt is kept.
func (db *DB) UpdateMedia(ctx context.Context, m *content.Media) error {
	if err := store.ValidateMedia(m); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "update media %d", m.ID)
	}
	defer tx.rollback()
	if err := updateMedia(ctx, tx, m); err != nil {
		return store.Wrap(err, "update media %d", m.ID)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "update media %d", m.ID)
	}
	return nil
}

// DeleteMedia removes the record (not the file), or returns not_found.
func (db *DB) DeleteMedia(ctx context.Context, id int64) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "delete media %d", id)
	}
	defer tx.rollback()
	if err := deleteRow(ctx, tx, "media", "id", id, func() error { return store.NotFound("media", id) }); err != nil {
		return store.Wrap(err, "delete media %d", id)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "delete media %d", id)
	}
	return nil
}

func scanMedia(sc scanner) (*content.Media, error) {
	var m content.Media
	err := sc.Scan(&m.ID, &m.Path, &m.Filename, &m.ContentType, &m.Size, &m.Width, &m.Height, &m.Alt,
		&m.Caption, &m.Credit, &m.CreditURL, timeDst(&m.CreatedAt), &m.Republishable, &m.CreditType)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

func findMedia(ctx context.Context, tx *Tx, limit, offset int) ([]*content.Media, int, error) {
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM media`).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+mediaColumns+` FROM media ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
		limitArg(limit), max(offset, 0))
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	ms := []*content.Media{}
	for rows.Next() {
		m, err := scanMedia(rows)
		if err != nil {
			return nil, 0, err
		}
		ms = append(ms, m)
	}
	return ms, total, rows.Err()
}

func mediaConflict(m *content.Media) error {
	return conflict("path", "media path %q is already used", m.Path)
}

func createMedia(ctx context.Context, tx *Tx, m *content.Media) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO media (path, filename, content_type, size, width, height, alt,
		caption, credit, credit_url, created_at, republishable, credit_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.Path, m.Filename, m.ContentType, m.Size, m.Width, m.Height, m.Alt, m.Caption, m.Credit, m.CreditURL,
		formatTime(tx.now), m.Republishable, string(m.CreditType))
	if isUnique(err) {
		return mediaConflict(m)
	} else if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	m.ID, m.CreatedAt = id, tx.now
	return nil
}

func updateMedia(ctx context.Context, tx *Tx, m *content.Media) error {
	old, err := scanMedia(tx.QueryRowContext(ctx, `SELECT `+mediaColumns+` FROM media WHERE id = ?`, m.ID))
	if err != nil {
		return mapError(err, func() error { return store.NotFound("media", m.ID) })
	}
	_, err = tx.ExecContext(ctx, `UPDATE media SET path = ?, filename = ?, content_type = ?, size = ?, width = ?,
		height = ?, alt = ?, caption = ?, credit = ?, credit_url = ?, republishable = ?, credit_type = ? WHERE id = ?`,
		m.Path, m.Filename, m.ContentType, m.Size, m.Width, m.Height, m.Alt, m.Caption, m.Credit, m.CreditURL, m.Republishable, string(m.CreditType), m.ID)
	if isUnique(err) {
		return mediaConflict(m)
	} else if err != nil {
		return err
	}
	m.CreatedAt = old.CreatedAt
	return nil
}
