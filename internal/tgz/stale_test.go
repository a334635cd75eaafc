package tgz_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"folio/internal/tgz"
)

func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-2 * time.Hour)
	stale := filepath.Join(dir, ".site.tar.gz.123")
	staleDir := filepath.Join(dir, ".site.tar.gz.456")
	fresh := filepath.Join(dir, ".site.tar.gz.789")
	other := filepath.Join(dir, "site.tar.gz")
	for _, p := range []string{stale, fresh, other} {
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(staleDir, "inner"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{stale, staleDir, other} {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	if n := tgz.RemoveStale(filepath.Join(dir, ".site.tar.gz.*"), time.Hour); n != 2 {
		t.Fatalf("removed %d, want the stale file and directory", n)
	}
	for p, want := range map[string]bool{stale: false, staleDir: false, fresh: true, other: true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s exists = %v, want %v", filepath.Base(p), err == nil, want)
		}
	}
}
