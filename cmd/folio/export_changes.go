package main

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// writeChanges lists, in the file name, every file of the new export in dir
// that is new or differs from the previous export in prev, and every file of
// prev that is gone, as "changed\tPATH" and "removed\tPATH" lines (PATH
// relative to the export, with slashes, sorted). A CDN push or purge then
// sends only those. A page the exporter reused is a hard link to the
// previous file and is skipped without reading it.
func writeChanges(name, dir, prev string) error {
	var changed, removed []string
	seen := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		seen[rel] = true
		if !sameFile(p, filepath.Join(prev, rel)) {
			changed = append(changed, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("export-static: list changes: %w", err)
	}
	err = filepath.WalkDir(prev, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == prev && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll // first export: everything is new
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(prev, p)
		if err != nil {
			return err
		}
		if !seen[rel] {
			removed = append(removed, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("export-static: list changes: %w", err)
	}
	slices.Sort(changed)
	slices.Sort(removed)
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("export-static: %w", err)
	}
	w := bufio.NewWriter(f)
	for _, p := range changed {
		fmt.Fprintf(w, "changed\t%s\n", p)
	}
	for _, p := range removed {
		fmt.Fprintf(w, "removed\t%s\n", p)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("export-static: %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export-static: %s: %w", name, err)
	}
	return nil
}

// sameFile reports whether a and b are one file (a reused page's hard link)
// or hold the same bytes.
func sameFile(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	if err != nil || fa.Size() != fb.Size() {
		return false
	}
	if os.SameFile(fa, fb) {
		return true
	}
	body, err := os.ReadFile(a)
	return err == nil && sameBytes(b, body)
}
