package media

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"strings"
	"time"
)

// Objects is a store of media files kept apart from the serving machine
// (an S3-compatible bucket; see package media/s3media), so that several
// nodes share one library. Keys are the slash-separated paths the store
// records ("2026/11/name-abc123.jpg"). With Library.Objects nil the files
// live under Library.Root on local disk.
type Objects interface {
	// Put stores the file at local under key, replacing any object there.
	Put(ctx context.Context, key, local, contentType string) error
	// Open opens key for reading; the file is seekable (io.ReadSeeker) and
	// a missing key is fs.ErrNotExist.
	Open(ctx context.Context, key string) (fs.File, error)
	// Exists reports whether an object is stored under key.
	Exists(ctx context.Context, key string) (bool, error)
	// Delete removes key; a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// List returns the keys that start with prefix.
	List(ctx context.Context, prefix string) ([]string, error)
	// Ping checks that the store answers (readiness).
	Ping(ctx context.Context) error
}

// objectTimeout bounds one call to the object store made where no request
// context exists (serving through fs.FS, cleanup after a failed write).
const objectTimeout = 30 * time.Second

// FS returns the library's files for serving: the directory Root, or the
// object store when Objects is set.
func (l *Library) FS() fs.FS {
	if l.Objects == nil {
		return os.DirFS(l.Root)
	}
	return objectFS{l.Objects}
}

// Ping checks the media store: Root is a directory, or the object store
// answers.
func (l *Library) Ping(ctx context.Context) error {
	if l.Objects != nil {
		if err := l.Objects.Ping(ctx); err != nil {
			return fmt.Errorf("media: object store: %w", err)
		}
		return nil
	}
	st, err := os.Stat(l.Root)
	if err != nil {
		return fmt.Errorf("media: %w", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("media: %s is not a directory", l.Root)
	}
	return nil
}

// objectFS serves an object store as an fs.FS for http.FileServerFS.
type objectFS struct{ o Objects }

func (f objectFS) Open(name string) (fs.File, error) {
	if !validKey(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	ctx, cancel := context.WithTimeout(context.Background(), objectTimeout)
	file, err := f.o.Open(ctx, name)
	if err != nil {
		cancel()
		return nil, err
	}
	return &cancelFile{File: file, cancel: cancel}, nil
}

// cancelFile releases the context of an open object when it is closed.
type cancelFile struct {
	fs.File
	cancel context.CancelFunc
}

func (c *cancelFile) Close() error {
	err := c.File.Close()
	c.cancel()
	return err
}

// Seek passes through to the object, which every Objects.Open returns
// seekable; http.ServeContent needs it for ranges and sizes.
func (c *cancelFile) Seek(off int64, whence int) (int64, error) {
	if s, ok := c.File.(interface {
		Seek(int64, int) (int64, error)
	}); ok {
		return s.Seek(off, whence)
	}
	return 0, errors.New("media: object is not seekable")
}

// validKey accepts what Library.Open accepts: clean relative paths with no
// hidden segment.
func validKey(rel string) bool {
	if !fs.ValidPath(rel) || rel == "." || strings.Contains(rel, `\`) {
		return false
	}
	for seg := range strings.SplitSeq(rel, "/") {
		if strings.HasPrefix(seg, ".") {
			return false
		}
	}
	return true
}

// variantName matches the variant files of an original, after its base
// name: ".w640.webp".
var variantName = regexp.MustCompile(`^\.w[0-9]+\.[a-z]+$`)

// removeObjects deletes an original's object and its variants' objects.
func (l *Library) removeObjects(ctx context.Context, rel string) error {
	if err := l.Objects.Delete(ctx, rel); err != nil {
		return fmt.Errorf("media: delete object %s: %w", rel, err)
	}
	base := strings.TrimSuffix(rel, path.Ext(rel))
	keys, err := l.Objects.List(ctx, base+".w")
	if err != nil {
		return fmt.Errorf("media: list variants of %s: %w", rel, err)
	}
	for _, k := range keys {
		if variantName.MatchString(strings.TrimPrefix(k, base)) {
			if err := l.Objects.Delete(ctx, k); err != nil {
				return fmt.Errorf("media: delete object %s: %w", k, err)
			}
		}
	}
	return nil
}

// contentTypeOf names the type of a stored file from its extension, which
// the library chose from the bytes.
func contentTypeOf(rel string) string {
	switch strings.ToLower(path.Ext(rel)) {
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".png":
		return "image/png"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".svg":
		return kindSVG.contentType
	case ".pdf":
		return kindPDF.contentType
	case ".mp3":
		return kindMP3.contentType
	case ".ogg":
		return kindOGG.contentType
	case ".m4a":
		return kindM4A.contentType
	}
	return "application/octet-stream"
}
