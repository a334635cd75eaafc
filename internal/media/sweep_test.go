package media_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/media"
)

// TestLibrary_SweepOrphans leaves in the media tree what an upload killed
// after its rename but before its record leaves (an old file no record
// names), beside recorded originals and variants, a young unrecorded file
// (an upload in progress) and temp files, and sweeps with the real store.
func TestLibrary_SweepOrphans(t *testing.T) {
	ctx := context.Background()
	l := newLibrary(t)
	m, err := l.Save(ctx, "harbour.png", bytes.NewReader(PNG(t, 4, 2)), media.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(filepath.Join(l.Root, filepath.FromSlash(m.Path)))
	variant := filepath.ToSlash(filepath.Join(filepath.Dir(m.Path), "harbour-v.w320.webp"))
	if err := l.Store.ReplaceMediaVariants(ctx, m.ID, []content.MediaVariant{{Width: 320, Height: 160, Format: "webp", Path: variant}}); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * time.Hour)
	write := func(rel string, at time.Time) string {
		p := filepath.Join(l.Root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(p); err != nil {
			if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
		return p
	}
	rel := func(name string) string { return filepath.ToSlash(filepath.Join(filepath.Dir(m.Path), name)) }
	keep := map[string]string{
		"original": write(m.Path, old),
		"variant":  write(variant, old),
		"young":    write(rel("uploading-abc123.png"), time.Now()),
		"temp":     write(rel(".upload-77"), time.Now()),
		// Outside the upload layout: linked to by URL, never recorded.
		"demoPhoto": write("demo/portrait.jpg", old),
		"nested":    write("2026/11/extra/notes.txt", old),
	}
	gone := map[string]string{
		"orphan":        write(rel("killed-def456.png"), old),
		"orphanVariant": write(rel("killed-def456.w640.webp"), old),
		"otherMonth":    write("2025/01/imported-0a0b0c.jpg", old),
	}
	n, err := l.SweepOrphans(ctx, l.Store.FindMediaPaths, media.SweepAge)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(gone) {
		t.Errorf("removed %d, want %d", n, len(gone))
	}
	for what, p := range keep {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s %s removed: %v", what, p, err)
		}
	}
	for what, p := range gone {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s %s kept", what, p)
		}
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatal(err)
	}

	t.Run("ErrStoreUnreadable", func(t *testing.T) {
		orphan := write(rel("killed-999999.png"), old)
		boom := errors.New("database is locked")
		_, err := l.SweepOrphans(ctx, func(context.Context) ([]string, error) { return nil, boom }, media.SweepAge)
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want the store's", err)
		}
		// Without the list nothing can be told apart, so nothing goes.
		if _, err := os.Stat(orphan); err != nil {
			t.Fatalf("file removed when the store could not be read: %v", err)
		}
		if _, err := os.Stat(keep["original"]); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("NoRoot", func(t *testing.T) {
		empty := &media.Library{Root: filepath.Join(t.TempDir(), "absent")}
		if n, err := empty.SweepOrphans(ctx, l.Store.FindMediaPaths, media.SweepAge); n != 0 || err != nil {
			t.Fatalf("absent root: %d, %v", n, err)
		}
	})
}
