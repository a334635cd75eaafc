package postgres

import (
	"context"
	"strings"

	"folio/internal/content"
	"folio/internal/store"
)

const tokenColumns = `id, name, hash, created_at, last_used_at`

// CreateToken inserts t and sets its ID and CreatedAt; conflict when the hash
// is already stored.
func (db *DB) CreateToken(ctx context.Context, t *content.Token) error {
	p := content.Problems{}
	if strings.TrimSpace(t.Name) == "" {
		p.Add("name", "is required")
	}
	if t.Hash == "" {
		p.Add("hash", "is required")
	}
	if err := p.Err("token"); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "create token")
	}
	defer tx.rollback()
	if err := createToken(ctx, tx, t); err != nil {
		return store.Wrap(err, "create token %q", t.Name)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "create token %q", t.Name)
	}
	return nil
}

// FindTokenByHash returns the token with hash, or not_found, and records
// that it was used now.
func (db *DB) FindTokenByHash(ctx context.Context, hash string) (*content.Token, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, store.Wrap(err, "find token")
	}
	defer tx.rollback()
	t, err := useToken(ctx, tx, hash)
	if err != nil {
		// The hash is a credential: keep it out of messages and logs.
		return nil, store.Wrap(mapError(err, func() error {
			return content.Errorf(content.ENOTFOUND, "token not found")
		}), "find token")
	}
	if err := tx.Commit(); err != nil {
		return nil, store.Wrap(err, "find token")
	}
	return t, nil
}

// FindTokens returns every token, oldest first.
func (db *DB) FindTokens(ctx context.Context) ([]*content.Token, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, store.Wrap(err, "find tokens")
	}
	defer tx.rollback()
	ts, err := findTokens(ctx, tx)
	if err != nil {
		return nil, store.Wrap(err, "find tokens")
	}
	return ts, nil
}

// DeleteToken removes the token, or returns not_found.
func (db *DB) DeleteToken(ctx context.Context, id int64) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "delete token %d", id)
	}
	defer tx.rollback()
	if err := deleteRow(ctx, tx, "tokens", "id", id, func() error { return store.NotFound("token", id) }); err != nil {
		return store.Wrap(err, "delete token %d", id)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "delete token %d", id)
	}
	return nil
}

func scanToken(sc scanner) (*content.Token, error) {
	var t content.Token
	if err := sc.Scan(&t.ID, &t.Name, &t.Hash, timeDst(&t.CreatedAt), timeDst(&t.LastUsedAt)); err != nil {
		return nil, err
	}
	return &t, nil
}

func createToken(ctx context.Context, tx *Tx, t *content.Token) error {
	id, err := tx.insertID(ctx, `INSERT INTO tokens (name, hash, created_at, last_used_at) VALUES (?, ?, ?, ?)`,
		t.Name, t.Hash, dbTime(tx.now), nullTime(t.LastUsedAt))
	if isUnique(err) {
		return conflict("hash", "a token with this secret already exists")
	} else if err != nil {
		return err
	}
	t.ID, t.CreatedAt = id, tx.now
	return nil
}

func useToken(ctx context.Context, tx *Tx, hash string) (*content.Token, error) {
	t, err := scanToken(tx.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE hash = ?`, hash))
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tokens SET last_used_at = ? WHERE id = ?`, dbTime(tx.now), t.ID); err != nil {
		return nil, err
	}
	t.LastUsedAt = tx.now
	return t, nil
}

func findTokens(ctx context.Context, tx *Tx) ([]*content.Token, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+tokenColumns+` FROM tokens ORDER BY created_at, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ts := []*content.Token{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}
