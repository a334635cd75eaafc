package media_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/media"
	"folio/internal/store/sqlite"
	"folio/internal/store/sqlite/sqlitetest"
)

var fixedNow = time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)

// testLib is a library with the store and editorial service that write
// its records, as cmd/folio wires them.
type testLib struct {
	*media.Library
	Store   *sqlite.DB
	changed []string // keys of the change events published
	store   editorial.Store
}

func newLibrary(tb testing.TB) *testLib {
	tb.Helper()
	db := sqlitetest.New(tb)
	return &testLib{Library: &media.Library{Root: tb.TempDir(), Now: func() time.Time { return fixedNow }}, Store: db, store: db}
}

func (l *testLib) ed() *editorial.Editor {
	return editorial.New(l.store, editorial.OnChange(func(ev key.Event) { l.changed = append(l.changed, ev.Keys...) })).System("test")
}

// Save uploads through the editorial service.
func (l *testLib) Save(ctx context.Context, name string, r io.Reader, meta media.Meta) (*content.Media, error) {
	return l.ed().SaveMedia(ctx, l.Library, name, r, meta)
}

// Delete deletes through the editorial service.
func (l *testLib) Delete(ctx context.Context, id int64) error {
	return l.ed().DeleteMedia(ctx, l.Library, id)
}

func testImage(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, color.RGBA{uint8(x * 7), uint8(y * 13), 90, 255})
		}
	}
	return m
}

// PNG returns a real PNG of w×h pixels.
func PNG(tb testing.TB, w, h int) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, testImage(w, h)); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func jpegBytes(tb testing.TB, w, h int) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, testImage(w, h), nil); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func gifBytes(tb testing.TB, w, h int) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, testImage(w, h), nil); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// webpHeader returns a minimal lossless WebP: a RIFF container holding a
// VP8L chunk with only its 5-byte header (signature 0x2f, then 14 bits of
// width-1, 14 bits of height-1, alpha bit, 3-bit version). That is all
// image.DecodeConfig reads, and Save never decodes pixels.
func webpHeader(w, h int) []byte {
	bits := uint32(w-1) | uint32(h-1)<<14
	chunk := []byte{0x2f, 0, 0, 0, 0}
	binary.LittleEndian.PutUint32(chunk[1:], bits)
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(4+8+len(chunk)+1)) // +1 pad byte for the odd chunk
	b.WriteString("WEBPVP8L")
	binary.Write(&b, binary.LittleEndian, uint32(len(chunk)))
	b.Write(chunk)
	b.WriteByte(0)
	return b.Bytes()
}

// pngHeader returns a PNG signature and an IHDR chunk (with a correct CRC)
// claiming w×h pixels, and no image data.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8] = 8 // bit depth
	ihdr[9] = 2 // colour type: truecolour
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	typed := append([]byte("IHDR"), ihdr...)
	b.Write(typed)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(typed))
	return b.Bytes()
}

func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := content.ErrorCode(err); got != code {
		tb.Fatalf("code = %q (%v), want %q", got, err, code)
	}
}

// files lists the regular files under root, hidden ones included.
func files(tb testing.TB, root string) []string {
	tb.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func TestLibrary_Save(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, filename string
		data           []byte
		ctype, ext     string
		w, h           int
	}{
		{"PNG", "Harbour at Dawn.PNG", PNG(t, 40, 30), "image/png", ".png", 40, 30},
		{"JPEG", "C:\\fakepath\\market.jpeg", jpegBytes(t, 64, 48), "image/jpeg", ".jpg", 64, 48},
		{"GIF", "chart.gif", gifBytes(t, 10, 12), "image/gif", ".gif", 10, 12},
		{"WebP", "river.webp", webpHeader(3, 2), "image/webp", ".webp", 3, 2},
		{"NameLies", "photo.gif", PNG(t, 5, 5), "image/png", ".png", 5, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLibrary(t)
			meta := media.Meta{Alt: "A harbour", Caption: "Morning", Credit: "R. Amini", CreditURL: "https://example.org/ra"}
			m, err := l.Save(ctx, tt.filename, bytes.NewReader(tt.data), meta)
			if err != nil {
				t.Fatal(err)
			}
			re := regexp.MustCompile(`^2026/11/[a-z0-9-]+-[0-9a-f]{6}` + regexp.QuoteMeta(tt.ext) + `$`)
			if !re.MatchString(m.Path) {
				t.Fatalf("path %q does not match %s", m.Path, re)
			}
			if m.ID == 0 || m.ContentType != tt.ctype || m.Width != tt.w || m.Height != tt.h || m.Size != int64(len(tt.data)) {
				t.Fatalf("got %+v", m)
			}
			if m.Alt != meta.Alt || m.Credit != meta.Credit || m.CreditURL != meta.CreditURL || m.Caption != meta.Caption {
				t.Fatalf("meta not kept: %+v", m)
			}
			got, err := os.ReadFile(filepath.Join(l.Root, filepath.FromSlash(m.Path)))
			if err != nil || !bytes.Equal(got, tt.data) {
				t.Fatalf("stored file differs (%v)", err)
			}
			if n := len(files(t, l.Root)); n != 1 {
				t.Fatalf("%d files under root, want 1 (temp file left?)", n)
			}
			stored, err := l.Store.FindMediaByID(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			if stored.Path != m.Path || stored.Width != tt.w {
				t.Fatalf("stored %+v", stored)
			}
		})
	}

	t.Run("Slug", func(t *testing.T) {
		l := newLibrary(t)
		m, err := l.Save(ctx, "Harbour at Dawn.PNG", bytes.NewReader(PNG(t, 2, 2)), media.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(m.Path, "2026/11/harbour-at-dawn-") || m.Filename != "Harbour at Dawn.PNG" {
			t.Fatalf("path %q, filename %q", m.Path, m.Filename)
		}
	})

	t.Run("ErrNotImage", func(t *testing.T) {
		for name, data := range map[string][]byte{
			"text.jpg":   []byte("just some text pretending to be a photo\n"),
			"logo.svg":   []byte(`<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>`),
			"empty.jpg":  nil,
			"broken.png": PNG(t, 4, 4)[:20], // PNG signature, truncated header
			"page.gif":   []byte("<!DOCTYPE html><html><body>GIF89a</body></html>"),
		} {
			l := newLibrary(t)
			_, err := l.Save(ctx, name, bytes.NewReader(data), media.Meta{})
			wantCode(t, err, content.EINVALID)
			if msg := content.ErrorMessage(err); msg != "file is not a JPEG, PNG, GIF, WebP or SVG image, a PDF document or MP3, OGG or M4A audio" &&
				!strings.HasPrefix(msg, "the SVG file cannot be used") {
				t.Fatalf("%s: message %q", name, msg)
			}
			if f := files(t, l.Root); len(f) != 0 {
				t.Fatalf("%s: files left behind: %v", name, f)
			}
		}
	})

	t.Run("ErrTooLarge", func(t *testing.T) {
		l := newLibrary(t)
		l.MaxBytes = 100
		data := PNG(t, 200, 200)
		if len(data) <= 100 {
			t.Fatalf("test PNG only %d bytes", len(data))
		}
		r := &countingReader{r: io.MultiReader(bytes.NewReader(data), zeros{})}
		_, err := l.Save(ctx, "big.png", r, media.Meta{})
		wantCode(t, err, content.ETOOLARGE)
		if r.n != 101 {
			t.Fatalf("read %d bytes, want MaxBytes+1 = 101", r.n)
		}
		if f := files(t, l.Root); len(f) != 0 {
			t.Fatalf("files left behind: %v", f)
		}
	})

	t.Run("ErrTooManyPixels", func(t *testing.T) {
		l := newLibrary(t)
		_, err := l.Save(ctx, "bomb.png", bytes.NewReader(pngHeader(100000, 100000)), media.Meta{})
		wantCode(t, err, content.EINVALID)
		want := "image is 100000×100000 pixels, more than the 50-megapixel limit"
		if msg := content.ErrorMessage(err); msg != want {
			t.Fatalf("message %q, want %q", msg, want)
		}
		_, err = l.Save(ctx, "bomb.webp", bytes.NewReader(webpHeader(16384, 16384)), media.Meta{})
		wantCode(t, err, content.EINVALID)
		if msg := content.ErrorMessage(err); !strings.Contains(msg, "16384×16384") {
			t.Fatalf("message %q", msg)
		}
		l.MaxPixels = 100
		_, err = l.Save(ctx, "small.png", bytes.NewReader(PNG(t, 11, 10)), media.Meta{})
		if msg := content.ErrorMessage(err); msg != "image is 11×10 pixels, more than the 0.0001-megapixel limit" {
			t.Fatalf("message %q", msg)
		}
		if f := files(t, l.Root); len(f) != 0 {
			t.Fatalf("files left behind: %v", f)
		}
	})

	t.Run("ErrMeta", func(t *testing.T) {
		l := newLibrary(t)
		_, err := l.Save(ctx, "a.png", bytes.NewReader(PNG(t, 2, 2)), media.Meta{
			CreditURL: "javascript:alert(1)", Alt: strings.Repeat("a", media.MaxAlt+1)})
		wantCode(t, err, content.EINVALID)
		fields := content.ErrorFields(err)
		if fields["credit_url"] == "" || fields["alt"] == "" {
			t.Fatalf("fields %v", fields)
		}
	})

	t.Run("ErrInsertRemovesFile", func(t *testing.T) {
		l := newLibrary(t)
		l.store = failingStore{l.Store}
		_, err := l.Save(ctx, "a.png", bytes.NewReader(PNG(t, 2, 2)), media.Meta{})
		if err == nil || !errors.Is(err, errInsert) {
			t.Fatalf("err = %v", err)
		}
		if f := files(t, l.Root); len(f) != 0 {
			t.Fatalf("files left behind: %v", f)
		}
	})
}

var errInsert = errors.New("disk full")

// failingStore injects an insert failure on top of the real store.
type failingStore struct{ *sqlite.DB }

func (failingStore) CreateMedia(context.Context, *content.Media) error { return errInsert }

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestLibrary_Delete(t *testing.T) {
	ctx := context.Background()
	l := newLibrary(t)
	m, err := l.Save(ctx, "a.png", bytes.NewReader(PNG(t, 2, 2)), media.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Delete(ctx, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(l.Root, filepath.FromSlash(m.Path))); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("file still there: %v", err)
	}
	_, err = l.Store.FindMediaByID(ctx, m.ID)
	wantCode(t, err, content.ENOTFOUND)
	wantCode(t, l.Delete(ctx, m.ID), content.ENOTFOUND)
}

func TestLibrary_Open(t *testing.T) {
	ctx := context.Background()
	l := newLibrary(t)
	data := PNG(t, 3, 3)
	m, err := l.Save(ctx, "a.png", bytes.NewReader(data), media.Meta{})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		f, err := l.Open(m.Path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		got, err := io.ReadAll(f)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("read %d bytes, %v", len(got), err)
		}
	})

	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(l.Root, "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(l.Root, "2026", ".upload-123"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(l.Root, filepath.Join(outside, "secret.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{
		"", ".", "2026", "2026/11", "../secret.txt", "/etc/passwd", "2026/../../secret.txt",
		filepath.ToSlash(rel), "2026/11/../../" + filepath.ToSlash(rel), `2026\11\x.png`,
		"link.txt", "2026/.upload-123", "2026/11/missing.png", "2026//11/" + filepath.Base(m.Path),
	} {
		t.Run("Err"+bad, func(t *testing.T) {
			f, err := l.Open(bad)
			if err == nil {
				f.Close()
				t.Fatalf("Open(%q) succeeded", bad)
			}
			wantCode(t, err, content.ENOTFOUND)
		})
	}
}

func TestLibrary_SweepTemp(t *testing.T) {
	l := newLibrary(t)
	dir := filepath.Join(l.Root, "2026", "12")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * time.Hour)
	files := map[string]bool{".upload-1": false, ".variant-2": false, ".upload-3": true, "photo-abc123.png": true}
	for name := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if name != ".upload-3" {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := l.SweepTemp(time.Hour); n != 2 {
		t.Fatalf("removed %d, want the two old temp files", n)
	}
	for name, keep := range files {
		if _, err := os.Stat(filepath.Join(dir, name)); (err == nil) != keep {
			t.Errorf("%s kept = %v, want %v", name, err == nil, keep)
		}
	}
}
