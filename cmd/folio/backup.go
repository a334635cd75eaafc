package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"folio/internal/backup"
	"folio/internal/config"
)

// cmdBackup writes a consistent copy of the database and media of --data
// to FILE while a server may keep serving and writing.
func cmdBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, pos, err := parseInterspersed("backup", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("usage: folio backup [--data DIR] FILE.tar.gz")
	}
	if kind, _, err := cfg.DatabaseKind(); err != nil {
		return err
	} else if kind == config.Postgres {
		return errors.New("backup: a PostgreSQL site is backed up with pg_dump (or WAL archiving) and a copy of the media; see docs/production.md")
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, backup.DBName)); err != nil {
		return fmt.Errorf("backup: no database in %s: %w", cfg.DataDir, err)
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	return writeAtomically(pos[0], func(w io.Writer) error {
		m, err := backup.Write(ctx, db, filepath.Join(cfg.DataDir, "media"), w, "folio "+versionString())
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "backed up the database and %d media files to %s\n", m.MediaFiles, pos[0])
		return nil
	})
}

// cmdRestore unpacks a backup into a new data directory.
func cmdRestore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	_, pos, err := parseInterspersed("restore", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return errors.New("usage: folio restore FILE.tar.gz DIR")
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	m, err := backup.Restore(ctx, f, pos[1])
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored the backup of %s (%d media files) into %s; start it with: folio serve --data %s\n",
		m.CreatedAt.Format("2006-01-02 15:04 UTC"), m.MediaFiles, pos[1], pos[1])
	return nil
}
