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

// Settings returns the stored settings, or content.DefaultSettings() when none
// were saved.
func (db *DB) Settings(ctx context.Context) (*content.Settings, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, store.Wrap(err, "read settings")
	}
	defer tx.rollback()
	s, err := findSettings(ctx, tx)
	if err != nil {
		return nil, store.Wrap(err, "read settings")
	}
	return s, nil
}

// UpdateSettings validates and stores s.
func (db *DB) UpdateSettings(ctx context.Context, s *content.Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "update settings")
	}
	defer tx.rollback()
	if err := updateSettings(ctx, tx, s); err != nil {
		return store.Wrap(err, "update settings")
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "update settings")
	}
	return nil
}

func findSettings(ctx context.Context, tx *Tx) (*content.Settings, error) {
	var data string
	err := tx.QueryRowContext(ctx, `SELECT data FROM settings WHERE id = 1`).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		s := content.DefaultSettings()
		return &s, nil
	} else if err != nil {
		return nil, err
	}
	// Start from the defaults so fields added after the row was saved get
	// sensible values instead of zeros.
	s := content.DefaultSettings()
	if err := json.Unmarshal([]byte(data), &s); err != nil {
		return nil, fmt.Errorf("decode settings: %w", err)
	}
	return &s, nil
}

func updateSettings(ctx context.Context, tx *Tx, s *content.Settings) error {
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encode settings: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO settings (id, data, updated_at) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
		string(b), dbTime(tx.now))
	return err
}

// defaultLanguage is the language whose articles live at "/{slug}/".
func defaultLanguage(ctx context.Context, tx *Tx) (string, error) {
	s, err := findSettings(ctx, tx)
	if err != nil {
		return "", err
	}
	if s.DefaultLanguage == "" {
		return "en", nil
	}
	return s.DefaultLanguage, nil
}
