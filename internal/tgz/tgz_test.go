package tgz_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"folio/internal/tgz"
)

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "photo.jpg")
	if err := os.WriteFile(src, []byte("jpeg bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := tgz.NewWriter(&buf)
	mod := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	if err := w.AddBytes("manifest.json", []byte(`{"format":"x"}`), mod); err != nil {
		t.Fatal(err)
	}
	if err := w.AddFile("media/2026/12/photo.jpg", src, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := w.AddFile("media/gone.jpg", filepath.Join(dir, "gone.jpg"), mod); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: %v, want fs.ErrNotExist", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	r, err := tgz.NewReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	var names []string
	for {
		name, body, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
		if _, err := tgz.CreateFile(out, name, body); err != nil {
			t.Fatal(err)
		}
	}
	if len(names) != 2 || names[0] != "manifest.json" || names[1] != "media/2026/12/photo.jpg" {
		t.Fatalf("entries %v", names)
	}
	got, err := os.ReadFile(filepath.Join(out, "media", "2026", "12", "photo.jpg"))
	if err != nil || string(got) != "jpeg bytes" {
		t.Fatalf("unpacked %q, %v", got, err)
	}
	if _, err := tgz.CreateFile(out, "manifest.json", bytes.NewReader(nil)); err == nil {
		t.Fatal("an existing file was overwritten")
	}
}

func TestSafePath(t *testing.T) {
	for _, tt := range []struct {
		rel  string
		safe bool
	}{
		{"media/2026/12/a.jpg", true}, {"folio.db", true},
		{"../etc/passwd", false}, {"/abs", false}, {"media/../../x", false}, {"media/.upload-123", false},
		{`media\x.jpg`, false}, {".", false}, {"", false},
	} {
		if got := tgz.SafePath(tt.rel); got != tt.safe {
			t.Errorf("SafePath(%q) = %v, want %v", tt.rel, got, tt.safe)
		}
	}
	if _, err := tgz.CreateFile(t.TempDir(), "../escape", bytes.NewReader(nil)); err == nil {
		t.Fatal("an unsafe path was written")
	}
}

func TestNotGzip(t *testing.T) {
	if _, err := tgz.NewReader(bytes.NewReader([]byte("plain text"))); !errors.Is(err, tgz.ErrNotGzip) {
		t.Fatalf("err = %v, want ErrNotGzip", err)
	}
}
