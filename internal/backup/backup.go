// Package backup takes a consistent copy of a running Folio site (the
// SQLite database and the media directory) into one .tar.gz, and restores
// it into a new data directory. It knows the store only through
// store.ArchiveStore's Backup and must not import HTTP or rendering code.
package backup

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"folio/internal/tgz"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver for the integrity check
)

// Format identifies a backup's manifest.
const Format = "folio-backup"

// StaleAfter is how old a temp file of a backup must be to be taken for
// the leftover of a killed one and removed; no backup takes this long.
const StaleAfter = 6 * time.Hour

// DBName is the database file inside a data directory and a backup.
const DBName = "folio.db"

// Manifest is manifest.json, the first entry of a backup.
type Manifest struct {
	Format     string    `json:"format"`
	Version    int       `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	MediaFiles int       `json:"media_files"`
	Generator  string    `json:"generator"`
}

// RemoveStaleTemp removes the snapshot directories ("folio-backup-*" in
// the temp dir) of backups killed mid-way once older than StaleAfter, and
// returns how many. Each is a whole database copy: a scheduled backup
// that keeps failing would fill the disk with them. Write calls it, and
// serve at start.
func RemoveStaleTemp() int {
	return tgz.RemoveStale(filepath.Join(os.TempDir(), "folio-backup-*"), StaleAfter)
}

// Snapshotter writes a consistent copy of the database to a new file while
// the site keeps running (sqlite.DB.Backup does it with VACUUM INTO).
type Snapshotter interface {
	Backup(ctx context.Context, path string) error
}

// Write snapshots the database, then copies the media directory, into w.
// The snapshot is taken first: media files are written before their
// records, so every record in the snapshot has its file by then. Files
// added later are carried too and are harmless; a file deleted between
// the snapshot and the copy is skipped.
func Write(ctx context.Context, db Snapshotter, mediaRoot string, w io.Writer, generator string) (*Manifest, error) {
	RemoveStaleTemp()
	tmp, err := os.MkdirTemp("", "folio-backup-*")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(tmp)
	snap := filepath.Join(tmp, DBName)
	if err := db.Backup(ctx, snap); err != nil {
		return nil, fmt.Errorf("backup: snapshot database: %w", err)
	}
	m := &Manifest{Format: Format, Version: 1, CreatedAt: time.Now().UTC().Truncate(time.Second), Generator: generator}
	var files []string
	err = filepath.WalkDir(mediaRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		// Upload temp files (".upload-*") are half-written by definition.
		if d.Type().IsRegular() && !strings.HasPrefix(d.Name(), ".") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("backup: list media: %w", err)
	}
	m.MediaFiles = len(files)

	tw := tgz.NewWriter(w)
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := tw.AddBytes("manifest.json", mb, m.CreatedAt); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := tw.AddFile(DBName, snap, time.Time{}); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	for _, p := range files {
		rel, err := filepath.Rel(mediaRoot, p)
		if err != nil {
			return nil, err
		}
		if err := tw.AddFile("media/"+filepath.ToSlash(rel), p, time.Time{}); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				m.MediaFiles--
				continue
			}
			return nil, fmt.Errorf("backup: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	return m, nil
}

// Restore unpacks a backup into dir, which must not exist or be empty, as
// a data directory (dir/folio.db, dir/media/...), then checks the
// database with PRAGMA integrity_check. On failure dir is left empty.
func Restore(ctx context.Context, r io.Reader, dir string) (*Manifest, error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("restore: %s is not empty; restore into a new directory", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	m, err := unpack(ctx, r, dir)
	if err == nil {
		err = IntegrityCheck(ctx, filepath.Join(dir, DBName))
	}
	if err != nil {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
		return nil, err
	}
	return m, nil
}

func unpack(ctx context.Context, r io.Reader, dir string) (*Manifest, error) {
	tr, err := tgz.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	var m *Manifest
	sawDB := false
	for {
		name, body, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("restore: damaged archive: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if m == nil {
			if name != "manifest.json" {
				return nil, fmt.Errorf("restore: first entry is %s, not manifest.json: not a Folio backup", name)
			}
			m = &Manifest{}
			if err := json.NewDecoder(io.LimitReader(body, 1<<20)).Decode(m); err != nil || m.Format != Format {
				return nil, fmt.Errorf("restore: not a Folio backup manifest")
			}
			continue
		}
		if name == DBName {
			sawDB = true
		} else if rel, ok := strings.CutPrefix(name, "media/"); !ok || !tgz.SafePath(rel) {
			return nil, fmt.Errorf("restore: unexpected entry %q", name)
		}
		if _, err := tgz.CreateFile(dir, name, body); err != nil {
			return nil, fmt.Errorf("restore: %s: %w", name, err)
		}
	}
	if m == nil || !sawDB {
		return nil, fmt.Errorf("restore: the backup holds no database")
	}
	if err := os.MkdirAll(filepath.Join(dir, "media"), 0o755); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	return m, nil
}

// uriPath escapes what a file: URI would otherwise read as syntax.
var uriPath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// IntegrityCheck runs PRAGMA integrity_check and foreign_key_check on the
// SQLite file at path.
func IntegrityCheck(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+uriPath.Replace(path)+"?mode=ro")
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("integrity check: %s", res)
	}
	rows, err := db.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("foreign key check: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		return errors.New("foreign key check: the database has dangling references")
	}
	return rows.Err()
}
