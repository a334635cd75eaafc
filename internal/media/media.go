package media

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // register GIF for image.DecodeConfig
	_ "image/jpeg" // register JPEG
	_ "image/png"  // register PNG
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"
	_ "golang.org/x/image/webp" // register WebP

	"folio/internal/content"
)

// Defaults used when Library fields are zero.
const (
	DefaultMaxBytes  = 20 << 20   // 20 MiB
	DefaultMaxPixels = 50_000_000 // 50 megapixels
)

// Limits on metadata, in bytes.
const (
	MaxAlt      = 1000
	MaxCaption  = 1000
	MaxCredit   = 300
	MaxURL      = 2000
	maxFilename = 255
	maxBaseName = 60 // slug part of stored file names
)

// kind is an accepted image type.
type kind struct {
	contentType string // as sniffed by http.DetectContentType
	format      string // as named by image.DecodeConfig
	ext         string
}

var kinds = []kind{
	{"image/jpeg", "jpeg", ".jpg"},
	{"image/png", "png", ".png"},
	{"image/gif", "gif", ".gif"},
	{"image/webp", "webp", ".webp"},
}

// errNotImage is the message for a file that claims a raster type and is
// not one; the same as for any other refused type (errNotAccepted).
func errNotImage() error { return errNotAccepted() }

// Library keeps the files of uploaded images under Root. Their records are
// written by the editorial service (Editor.SaveMedia, DeleteMedia), which
// calls Ingest, QueueVariants and RemoveFiles around the store write.
type Library struct {
	Root      string           // directory holding the files
	MaxBytes  int64            // largest accepted upload; DefaultMaxBytes when 0
	MaxPixels int              // largest accepted width×height; DefaultMaxPixels when 0
	Now       func() time.Time // clock for the YYYY/MM directory; time.Now when nil
	// Queue, when set, receives a VariantArgs job for every saved image,
	// whose worker (VariantWorker) makes the resized copies for srcset.
	Queue Enqueuer
	// Objects, when set, keeps the files in a shared object store; Root
	// then only holds uploads and variants being written.
	Objects Objects
	// Pdftoppm is the program that draws a PDF's first page; found on
	// PATH when empty, and a PDF gets no thumbnail when there is none.
	Pdftoppm string
}

// Enqueuer stores a background job durably (jobs.Queue does).
type Enqueuer interface {
	Enqueue(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error
}

// Meta is the editorial information kept with an image.
type Meta struct {
	Alt       string `json:"alt"`
	Caption   string `json:"caption"`
	Credit    string `json:"credit"`
	CreditURL string `json:"credit_url"`
	// CreditType is photo, illustration, chart or video; empty is read
	// from the credit.
	CreditType content.CreditType `json:"credit_type,omitempty"`
}

// Validate checks lengths, UTF-8 and that CreditURL is an absolute http(s) URL.
func (m Meta) Validate() error {
	p := content.Problems{}
	checkText(p, "alt", m.Alt, MaxAlt)
	checkText(p, "caption", m.Caption, MaxCaption)
	checkText(p, "credit", m.Credit, MaxCredit)
	if m.CreditURL != "" {
		if checkText(p, "credit_url", m.CreditURL, MaxURL); p["credit_url"] == "" && !isHTTPURL(m.CreditURL) {
			p.Add("credit_url", "%q must be an absolute http(s) URL", m.CreditURL)
		}
	}
	if !m.CreditType.Valid() {
		p.Add("credit_type", "%q is not one of photo, illustration, chart, video", m.CreditType)
	}
	return p.Err("media")
}

func checkText(p content.Problems, field, s string, maxLen int) {
	switch {
	case !utf8.ValidString(s):
		p.Add(field, "is not valid UTF-8")
	case len(s) > maxLen:
		p.Add(field, "is longer than %d bytes", maxLen)
	}
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func (l *Library) maxBytes() int64 {
	if l.MaxBytes > 0 {
		return l.MaxBytes
	}
	return DefaultMaxBytes
}

func (l *Library) maxPixels() int {
	if l.MaxPixels > 0 {
		return l.MaxPixels
	}
	return DefaultMaxPixels
}

func (l *Library) now() time.Time {
	if l.Now != nil {
		return l.Now().UTC()
	}
	return time.Now().UTC()
}

// Ingest checks the file read from r (an image, SVG drawing, PDF or audio), stores it as
// Root/YYYY/MM/{slug}-{6 hex}.{ext} and returns its record, with meta, for
// the caller to write. filename is
// only used to name the file; the type comes from the bytes. Errors:
// too_large over MaxBytes (an SVG over MaxSVGBytes); invalid for any
// other type, for an SVG that is not well-formed, for images over
// MaxPixels and for bad meta.
func (l *Library) Ingest(ctx context.Context, filename string, r io.Reader, meta Meta) (*content.Media, error) {
	if err := meta.Validate(); err != nil {
		return nil, err
	}
	now := l.now()
	relDir := path.Join(strconv.Itoa(now.Year()), fmt.Sprintf("%02d", int(now.Month())))
	dir := filepath.Join(l.Root, filepath.FromSlash(relDir))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("media: create directory: %w", err)
	}
	// Stream into a temp file beside the final one, so a large upload never
	// sits in memory and the rename below is atomic.
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return nil, fmt.Errorf("media: create temp file: %w", err)
	}
	keep := false
	defer func() {
		tmp.Close()
		if !keep {
			os.Remove(tmp.Name())
		}
	}()
	max := l.maxBytes()
	n, err := io.Copy(tmp, io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("media: read upload: %w", err)
	}
	if n > max {
		return nil, content.Errorf(content.ETOOLARGE, "file is larger than %s", formatBytes(max))
	}
	k, w, h, err := l.inspect(tmp, n)
	if err != nil {
		return nil, err
	}
	src := tmp.Name() // the file that becomes the original
	var clean string
	var size int64
	orientation := 1
	switch k.format {
	case "svg":
		clean, size, w, h, err = sanitizeSVGFile(dir, tmp)
	case "pdf", "mp3", "ogg", "m4a":
		// Kept as uploaded: the reader downloads or plays the file itself.
	default:
		clean, size, orientation, err = stripOriginal(dir, tmp, k.format)
	}
	if err != nil {
		return nil, err
	}
	if clean != "" {
		defer func() {
			if !keep {
				os.Remove(clean)
			}
		}()
		src, n = clean, size
	}
	if orientation >= 5 {
		// EXIF orientations 5–8 turn the picture a quarter: it shows, and
		// its variants are made, with width and height swapped.
		w, h = h, w
	}
	if err := tmp.Sync(); err != nil {
		return nil, fmt.Errorf("media: write file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("media: write file: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	base := baseName(filename)
	var rel, final string
	for range 10 {
		suffix, err := randomHex(3)
		if err != nil {
			return nil, fmt.Errorf("media: name file: %w", err)
		}
		rel = path.Join(relDir, base+"-"+suffix+k.ext)
		final = filepath.Join(l.Root, filepath.FromSlash(rel))
		if l.Objects != nil {
			taken, err := l.Objects.Exists(ctx, rel)
			if err != nil {
				return nil, fmt.Errorf("media: name file: %w", err)
			}
			if !taken {
				break
			}
		} else if _, err := os.Lstat(final); errors.Is(err, fs.ErrNotExist) {
			break
		}
		final = ""
	}
	if final == "" {
		return nil, fmt.Errorf("media: no free file name for %q", base)
	}
	if l.Objects != nil {
		// The temp files go (keep stays false): the object is the file.
		if err := l.Objects.Put(ctx, rel, src, k.contentType); err != nil {
			return nil, fmt.Errorf("media: store object %s: %w", rel, err)
		}
	} else {
		if err := os.Chmod(src, 0o644); err != nil {
			return nil, fmt.Errorf("media: write file: %w", err)
		}
		if err := os.Rename(src, final); err != nil {
			return nil, fmt.Errorf("media: store file: %w", err)
		}
		keep = true
		if src != tmp.Name() {
			os.Remove(tmp.Name())
		}
	}

	m := &content.Media{
		Path:        rel,
		Filename:    cleanFilename(filename),
		ContentType: k.contentType,
		Size:        n,
		Width:       w,
		Height:      h,
		Alt:         meta.Alt,
		Caption:     meta.Caption,
		Credit:      meta.Credit,
		CreditURL:   meta.CreditURL,
		CreditType:  meta.CreditType,
		CreatedAt:   now,
	}
	return m, nil
}

// Discard removes the file of an ingested image whose record could not be
// written.
func (l *Library) Discard(m *content.Media) {
	if l.Objects != nil && validKey(m.Path) {
		ctx, cancel := context.WithTimeout(context.Background(), objectTimeout)
		defer cancel()
		_ = l.Objects.Delete(ctx, m.Path) // a stray object is harmless
		return
	}
	if fs.ValidPath(m.Path) {
		os.Remove(filepath.Join(l.Root, filepath.FromSlash(m.Path)))
	}
}

// QueueVariants asks the variant worker for the resized copies of a
// recorded image; nothing when the library has no queue.
func (l *Library) QueueVariants(ctx context.Context, id int64) error {
	if l.Queue == nil {
		return nil
	}
	if err := l.Queue.Enqueue(ctx, VariantArgs{MediaID: id}, nil); err != nil {
		return fmt.Errorf("media: queue variants of %d: %w", id, err)
	}
	return nil
}

// stripOriginal writes a copy of the upload in f without its metadata
// blocks (see strip.go) to a new temp file in dir. It returns that file's
// name and size, or "" when nothing had to be removed (f is kept as is),
// and the EXIF orientation (1 when none).
func stripOriginal(dir string, f *os.File, format string) (string, int64, int, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", 0, 0, fmt.Errorf("media: rewind upload: %w", err)
	}
	out, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return "", 0, 0, fmt.Errorf("media: create temp file: %w", err)
	}
	ok, stripped, orientation, err := stripMetadata(format, f, out)
	if err == nil && ok && stripped {
		if err = out.Sync(); err == nil {
			var st os.FileInfo
			if st, err = out.Stat(); err == nil {
				if err = out.Close(); err == nil {
					return out.Name(), st.Size(), orientation, nil
				}
			}
		}
		err = fmt.Errorf("media: write file: %w", err)
	}
	out.Close()
	os.Remove(out.Name())
	if errors.Is(err, errMalformed) {
		return "", 0, 0, errNotImage()
	}
	if err != nil {
		return "", 0, 0, err
	}
	return "", 0, orientation, nil
}

// inspect identifies f's type from its first bytes and reads its dimensions
// from the header alone: the pixel limit is enforced before anything could
// allocate a full frame.
func (l *Library) inspect(f *os.File, size int64) (kind, int, int, error) {
	var head [512]byte
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return kind{}, 0, 0, fmt.Errorf("media: rewind upload: %w", err)
	}
	n, err := io.ReadFull(f, head[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return kind{}, 0, 0, fmt.Errorf("media: read upload: %w", err)
	}
	sniffed := http.DetectContentType(head[:n])
	var k kind
	for _, c := range kinds {
		if c.contentType == sniffed {
			k = c
		}
	}
	if k.ext == "" {
		o, err := inspectOther(f, head[:n], size)
		return o, 0, 0, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return kind{}, 0, 0, fmt.Errorf("media: rewind upload: %w", err)
	}
	cfg, format, err := image.DecodeConfig(f)
	if err != nil || format != k.format || cfg.Width <= 0 || cfg.Height <= 0 {
		return kind{}, 0, 0, errNotImage()
	}
	if max := l.maxPixels(); int64(cfg.Width)*int64(cfg.Height) > int64(max) {
		return kind{}, 0, 0, content.Errorf(content.EINVALID, "image is %d×%d pixels, more than the %s-megapixel limit",
			cfg.Width, cfg.Height, strconv.FormatFloat(float64(max)/1e6, 'f', -1, 64))
	}
	return k, cfg.Width, cfg.Height, nil
}

// RemoveFiles removes the file of a deleted image and its variants' files.
// A file already gone is not an error.
func (l *Library) RemoveFiles(m *content.Media) error {
	// The record goes first: a stray file is harmless, a record pointing at
	// nothing breaks pages.
	if !fs.ValidPath(m.Path) {
		return nil
	}
	if l.Objects != nil {
		ctx, cancel := context.WithTimeout(context.Background(), objectTimeout)
		defer cancel()
		return l.removeObjects(ctx, m.Path)
	}
	err := os.Remove(filepath.Join(l.Root, filepath.FromSlash(m.Path)))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("media: delete file %s: %w", m.Path, err)
	}
	// The variants' records went with the media record; their files are
	// named after the original ("name-abc123.w640.webp").
	base := strings.TrimSuffix(m.Path, path.Ext(m.Path))
	vs, _ := filepath.Glob(filepath.Join(l.Root, filepath.FromSlash(base)) + ".w[0-9]*.*")
	for _, v := range vs {
		os.Remove(v)
	}
	return nil
}

// Open opens the stored file at rel (slash-separated, relative to Root) for
// serving. Paths that are not clean and relative, that name hidden files or
// directories, or that escape Root through symlinks get not_found.
func (l *Library) Open(rel string) (fs.File, error) {
	notFound := content.Errorf(content.ENOTFOUND, "media file not found")
	if !validKey(rel) {
		return nil, notFound
	}
	if l.Objects != nil {
		f, err := objectFS{l.Objects}.Open(rel)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("media: open %s: %w", rel, errors.Join(notFound, err))
			}
			return nil, fmt.Errorf("media: open %s: %w", rel, err)
		}
		return f, nil
	}
	// os.OpenInRoot refuses "..", absolute paths and symlinks that leave Root.
	// Every failure here (missing, escaping, unreadable) is reported as
	// not_found to the client; the cause stays in the chain for logs.
	f, err := os.OpenInRoot(l.Root, filepath.FromSlash(rel))
	if err != nil {
		return nil, fmt.Errorf("media: open %s: %w", rel, errors.Join(notFound, err))
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("media: open %s: %w", rel, err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, notFound
	}
	return f, nil
}

// baseName turns an uploaded file name into the slug part of a stored name.
func baseName(filename string) string {
	name := cleanFilename(filename)
	name = strings.TrimSuffix(name, path.Ext(name))
	s := content.Slugify(name)
	if len(s) > maxBaseName {
		cut := s[:maxBaseName]
		for len(cut) > 0 && !utf8.ValidString(cut) {
			cut = cut[:len(cut)-1]
		}
		if i := strings.LastIndexByte(cut, '-'); i > maxBaseName/2 {
			cut = cut[:i]
		}
		s = strings.Trim(cut, "-")
	}
	if s == "" {
		s = "image"
	}
	return s
}

// cleanFilename keeps the last path element of an uploaded name (browsers
// may send "C:\fakepath\x.jpg"), valid UTF-8 and at most maxFilename bytes.
func cleanFilename(filename string) string {
	if i := strings.LastIndexAny(filename, `/\`); i >= 0 {
		filename = filename[i+1:]
	}
	filename = strings.ToValidUTF8(strings.TrimSpace(filename), "")
	filename = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, filename)
	for len(filename) > maxFilename {
		_, size := utf8.DecodeLastRuneInString(filename)
		filename = filename[:len(filename)-size]
	}
	return filename
}

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func formatBytes(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	if n >= 1<<10 && n%(1<<10) == 0 {
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
