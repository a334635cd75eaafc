package media

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// SweepAge is how old a file in the media tree must be before a sweep may
// take it for the leftover of an interrupted write: no upload, variant job
// or import holds a file that long before recording it.
const SweepAge = time.Hour

// SweepTemp removes the temp files that uploads and variant jobs killed
// mid-write left in the media tree (".upload-*", ".variant-*") once they
// are older than age, so a younger one of a write in progress is kept. It
// returns how many it removed.
func (l *Library) SweepTemp(age time.Duration) int {
	n := 0
	_ = filepath.WalkDir(l.Root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		name := d.Name()
		if !strings.HasPrefix(name, ".upload-") && !strings.HasPrefix(name, ".variant-") {
			return nil
		}
		if fi, err := d.Info(); err == nil && time.Since(fi.ModTime()) >= age && os.Remove(p) == nil {
			n++
		}
		return nil
	})
	return n
}

// ingestLayout matches where Ingest stores files (YYYY/MM/name, variants
// beside them): only these can be an interrupted upload's. Files elsewhere
// in the tree (the demo's author photos in demo/, anything an operator put
// there and links to by URL) have no record by design and are never swept.
var ingestLayout = regexp.MustCompile(`^[0-9]{4}/[0-9]{2}/[^/]+$`)

// SweepOrphans removes the files of the media tree that no record names:
// an upload, variant job or import killed after its file was renamed into
// place but before its record was written leaves one. recorded returns
// every path the store names (store.MediaVariantStore.FindMediaPaths).
// Only files older than age are candidates, and the store is read after
// the walk, so a file whose record is being written now is kept; so is
// every file a record names, dot files (SweepTemp's) and files outside
// the YYYY/MM/ directories uploads are stored in. Nothing is done
// when the files live in a bucket. It returns how many it removed.
func (l *Library) SweepOrphans(ctx context.Context, recorded func(context.Context) ([]string, error), age time.Duration) (int, error) {
	if l.Objects != nil {
		return 0, nil
	}
	var old []string // slash paths relative to Root
	err := filepath.WalkDir(l.Root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == l.Root && os.IsNotExist(err) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") && p != l.Root {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		fi, err := d.Info()
		if err != nil || time.Since(fi.ModTime()) < age {
			return nil
		}
		rel, err := filepath.Rel(l.Root, p)
		if err == nil && ingestLayout.MatchString(filepath.ToSlash(rel)) {
			old = append(old, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("media: sweep orphans: %w", err)
	}
	if len(old) == 0 {
		return 0, nil
	}
	paths, err := recorded(ctx)
	if err != nil {
		return 0, fmt.Errorf("media: sweep orphans: %w", err)
	}
	named := make(map[string]bool, len(paths))
	for _, p := range paths {
		named[p] = true
	}
	n := 0
	for _, rel := range old {
		if named[rel] {
			continue
		}
		if os.Remove(filepath.Join(l.Root, filepath.FromSlash(rel))) == nil {
			n++
		}
	}
	return n, nil
}
