// Package tgz writes and reads the gzip-compressed tar files that Folio's
// backups and archives are made of: regular files only, each with a name,
// mode 0644 and a modification time, read back entry by entry without
// trusting names.
//
// It imports nothing of Folio's.
package tgz

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// Writer adds entries to a .tar.gz stream.
type Writer struct {
	gz *gzip.Writer
	tw *tar.Writer
}

// NewWriter returns a Writer on w. Close it to finish the stream.
func NewWriter(w io.Writer) *Writer {
	gz := gzip.NewWriter(w)
	return &Writer{gz: gz, tw: tar.NewWriter(gz)}
}

// AddBytes adds an entry holding b.
func (w *Writer) AddBytes(name string, b []byte, mod time.Time) error {
	if err := w.tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(b)), ModTime: mod, Typeflag: tar.TypeReg}); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if _, err := w.tw.Write(b); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// AddFile adds an entry holding the file at src, with mod as its time (the
// file's own when mod is zero). A missing file is fs.ErrNotExist, unwrapped
// by errors.Is, and adds nothing.
func (w *Writer) AddFile(name, src string, mod time.Time) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if mod.IsZero() {
		mod = fi.ModTime()
	}
	if err := w.tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: fi.Size(), ModTime: mod, Typeflag: tar.TypeReg}); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if _, err := io.Copy(w.tw, f); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// Close finishes the tar and the gzip stream (not the underlying writer).
func (w *Writer) Close() error {
	if err := w.tw.Close(); err != nil {
		return err
	}
	return w.gz.Close()
}

// Reader reads the regular-file entries of a .tar.gz stream.
type Reader struct {
	tr *tar.Reader
}

// ErrNotGzip is returned by NewReader for a stream that is not gzip.
var ErrNotGzip = errors.New("not a gzip file")

// NewReader returns a Reader on r.
func NewReader(r io.Reader) (*Reader, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotGzip, err)
	}
	return &Reader{tr: tar.NewReader(gz)}, nil
}

// Next returns the next regular file's name and contents, skipping
// directories, links and other entries; io.EOF at the end. The contents are
// valid until the next call.
func (r *Reader) Next() (string, io.Reader, error) {
	for {
		h, err := r.tr.Next()
		if err != nil {
			return "", nil, err
		}
		if h.Typeflag == tar.TypeReg {
			return h.Name, r.tr, nil
		}
	}
}

// SafePath reports whether rel, a slash-separated entry name, names a file
// inside the directory it is unpacked into: clean, relative, no "..", and
// no hidden final element (upload temp files and dotfiles are never data).
func SafePath(rel string) bool {
	return fs.ValidPath(rel) && rel != "." && !strings.Contains(rel, `\`) && !strings.HasPrefix(path.Base(rel), ".")
}

// CreateFile writes contents to root/rel, creating directories, and fails
// when the file exists or rel is not SafePath. A failed write removes the
// partial file. It returns the file's path.
func CreateFile(root, rel string, contents io.Reader) (string, error) {
	if !SafePath(rel) {
		return "", fmt.Errorf("unsafe path %q", rel)
	}
	dst := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", err
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(f, contents); err != nil {
		f.Close()
		os.Remove(dst)
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(dst)
		return "", err
	}
	return dst, nil
}

// RemoveStale removes the files and directories matching the glob pattern
// whose modification time is older than age: the temp files of a write that
// was killed before it could clean up. A younger match may belong to a write
// in progress and is kept. It returns how many it removed.
func RemoveStale(pattern string, age time.Duration) int {
	matches, _ := filepath.Glob(pattern)
	n := 0
	for _, m := range matches {
		fi, err := os.Lstat(m)
		if err != nil || time.Since(fi.ModTime()) < age {
			continue
		}
		if os.RemoveAll(m) == nil {
			n++
		}
	}
	return n
}
