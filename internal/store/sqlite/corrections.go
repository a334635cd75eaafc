package sqlite

import (
	"context"
	"fmt"

	"folio/internal/content"
	"folio/internal/store"
)

// AddCorrection stores a valid note on an existing article.
func (db *DB) AddCorrection(ctx context.Context, c *content.Correction) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return db.inWrite(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles WHERE id = ?`, c.ArticleID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &content.Error{Code: content.EINVALID, Message: "correction is invalid",
				Fields: map[string]string{"article_id": fmt.Sprintf("article %d does not exist", c.ArticleID)}}
		}
		if c.At.IsZero() {
			c.At = tx.now
		}
		return tx.QueryRowContext(ctx, `INSERT INTO corrections (article_id, kind, text, position, at, created_by)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, c.ArticleID, c.Kind, c.Text, c.Position, formatTime(c.At), c.CreatedBy).Scan(&c.ID)
	}, "add correction to article %d", c.ArticleID)
}

// DeleteCorrection removes a note, or returns not_found.
func (db *DB) DeleteCorrection(ctx context.Context, id int64) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM corrections WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.NotFound("correction", id)
		}
		return nil
	}, "delete correction %d", id)
}

// FindCorrections returns notes newest first, and how many match f.
func (db *DB) FindCorrections(ctx context.Context, f store.CorrectionFilter) ([]*content.Correction, int, error) {
	var out []*content.Correction
	total := 0
	err := db.inRead(ctx, func(tx *Tx) error {
		where, args := "", []any{}
		if f.ArticleID != 0 {
			where, args = " WHERE article_id = ?", append(args, f.ArticleID)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM corrections`+where, args...).Scan(&total); err != nil {
			return err
		}
		args = append(args, limitArg(f.Limit), max(f.Offset, 0))
		rows, err := tx.QueryContext(ctx, `SELECT `+correctionColumns+` FROM corrections`+where+
			` ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanCorrection(rows)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	}, "find corrections")
	return out, total, err
}

const correctionColumns = `id, article_id, kind, text, position, at, created_by`

func scanCorrection(sc scanner) (*content.Correction, error) {
	var c content.Correction
	if err := sc.Scan(&c.ID, &c.ArticleID, &c.Kind, &c.Text, &c.Position, timeDst(&c.At), &c.CreatedBy); err != nil {
		return nil, err
	}
	return &c, nil
}

// attachCorrections loads the notes of the articles of byID, oldest first.
func attachCorrections(ctx context.Context, tx *Tx, byID map[int64]*content.Article, arg any) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+correctionColumns+` FROM corrections
		WHERE article_id IN (SELECT value FROM json_each(?)) ORDER BY article_id, at, id`, arg)
	if err != nil {
		return fmt.Errorf("load corrections: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCorrection(rows)
		if err != nil {
			return fmt.Errorf("load corrections: %w", err)
		}
		if a := byID[c.ArticleID]; a != nil {
			a.Corrections = append(a.Corrections, c)
		}
	}
	return rows.Err()
}
