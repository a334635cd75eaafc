package main

import (
	"context"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"path/filepath"

	"folio/internal/media"
)

// uploadDir copies the files under root/sub to the object store under the
// same keys (the demo's images, which the seed writes to disk).
func uploadDir(ctx context.Context, o media.Objects, root, sub string) error {
	return filepath.WalkDir(filepath.Join(root, sub), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if err := o.Put(ctx, key, p, mime.TypeByExtension(path.Ext(key))); err != nil {
			return fmt.Errorf("upload %s: %w", key, err)
		}
		return nil
	})
}
