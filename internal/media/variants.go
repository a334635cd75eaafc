package media

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/disintegration/imaging"
	"github.com/gen2brain/webp"
	"github.com/riverqueue/river"

	"folio/internal/content"
)

// VariantWidths are the widths, in pixels, made of every image for srcset.
// An image is never enlarged: widths at or above its own are skipped, and
// the image's own width is added when it is below the largest.
var VariantWidths = []int{320, 640, 960, 1280, 1920}

// Encoder settings: WebP at 75 is visually close to JPEG at 80 at about
// two thirds of the bytes.
const (
	webpQuality = 75
	jpegQuality = 80
)

// VariantArgs is the job that makes the resized copies of one image.
type VariantArgs struct {
	MediaID int64 `json:"media_id"`
}

// Kind names the job in the queue.
func (VariantArgs) Kind() string { return "media_variants" }

// VariantStore is what the variant job reads.
type VariantStore interface {
	FindMediaByID(ctx context.Context, id int64) (*content.Media, error)
}

// VariantWorker makes the variants of an image (VariantArgs) and hands them
// to Record, the editorial service's write, which stores them and drops the
// pages showing the image so they are rendered again with srcset.
type VariantWorker struct {
	river.WorkerDefaults[VariantArgs]
	Library *Library // Root and MaxPixels
	Store   VariantStore
	Record  func(ctx context.Context, mediaID int64, vs []content.MediaVariant) error
}

// Work runs one attempt. An image deleted in the meantime is not an error;
// a file that cannot be decoded is cancelled rather than retried.
func (w *VariantWorker) Work(ctx context.Context, job *river.Job[VariantArgs]) error {
	id := job.Args.MediaID
	m, err := w.Store.FindMediaByID(ctx, id)
	if content.ErrorCode(err) == content.ENOTFOUND {
		return nil
	} else if err != nil {
		return fmt.Errorf("media: variants of %d: %w", id, err)
	}
	vs, err := w.Library.MakeVariants(ctx, m)
	if errors.Is(err, errUndecodable) {
		return river.JobCancel(err)
	} else if err != nil {
		return err
	}
	if err := w.Record(ctx, id, vs); err != nil {
		if content.ErrorCode(err) == content.ENOTFOUND {
			w.Library.removeVariants(vs)
			return nil
		}
		return fmt.Errorf("media: record variants of %d: %w", id, err)
	}
	return nil
}

var errUndecodable = errors.New("image cannot be decoded")

// variantWidths returns the widths to make of an image w pixels wide.
func variantWidths(w int) []int {
	var out []int
	for _, vw := range VariantWidths {
		if vw < w {
			out = append(out, vw)
		}
	}
	largest := VariantWidths[len(VariantWidths)-1]
	// The image's own width, re-encoded, unless a made width is within 10%.
	if w <= largest && (len(out) == 0 || out[len(out)-1]*10 < w*9) {
		out = append(out, w)
	}
	return out
}

// MakeVariants writes the resized copies of m beside its file: for each
// width a WebP and a fallback, JPEG for opaque images and PNG for images
// with transparency, named like "2026/11/name-abc123.w640.webp". Pixels are
// turned upright from the EXIF orientation, and re-encoding keeps no
// metadata. Animated GIFs get none: a still would replace the animation.
func (l *Library) MakeVariants(ctx context.Context, m *content.Media) ([]content.MediaVariant, error) {
	switch {
	case m.ContentType == kindPDF.contentType:
		return l.pdfThumbnails(ctx, m)
	case !IsRaster(m.ContentType) && m.ContentType != "":
		return nil, nil // drawings and sound have none
	}
	img, err := l.decode(m.Path)
	if err != nil || img == nil {
		return nil, err
	}
	b := img.Bounds()
	opaque := isOpaque(img)
	base := strings.TrimSuffix(m.Path, path.Ext(m.Path))
	var out []content.MediaVariant
	for _, vw := range variantWidths(b.Dx()) {
		if err := ctx.Err(); err != nil {
			l.removeVariants(out)
			return nil, err
		}
		var r image.Image = img
		if vw != b.Dx() {
			r = imaging.Resize(img, vw, 0, imaging.Lanczos)
		}
		vh := r.Bounds().Dy()
		fallback := "jpeg"
		if !opaque {
			fallback = "png"
		}
		for _, format := range []string{"webp", fallback} {
			v := content.MediaVariant{MediaID: m.ID, Width: vw, Height: vh, Format: format,
				Path: base + ".w" + strconv.Itoa(vw) + "." + extOf(format)}
			if err := l.writeVariant(ctx, v.Path, format, r); err != nil {
				l.removeVariants(out)
				return nil, fmt.Errorf("media: variant %s: %w", v.Path, err)
			}
			out = append(out, v)
		}
	}
	return out, nil
}

func extOf(format string) string {
	if format == "jpeg" {
		return "jpg"
	}
	return format
}

// decode reads the stored image m.Path upright. It checks the pixel limit
// from the header again before decoding: the file on disk is what counts.
// nil without error means there is nothing to make (an animated GIF).
func (l *Library) decode(rel string) (image.Image, error) {
	f, err := l.Open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		return nil, fmt.Errorf("media: %s is not seekable", rel)
	}
	cfg, format, err := image.DecodeConfig(bufio.NewReader(rs))
	if err != nil {
		return nil, fmt.Errorf("media: %s: %w: %v", rel, errUndecodable, err)
	}
	if int64(cfg.Width)*int64(cfg.Height) > int64(l.maxPixels()) {
		return nil, fmt.Errorf("media: %s: %w: %d×%d is over the pixel limit", rel, errUndecodable, cfg.Width, cfg.Height)
	}
	if _, err := rs.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	if format == "gif" {
		g, err := gif.DecodeAll(bufio.NewReader(rs))
		if err != nil {
			return nil, fmt.Errorf("media: %s: %w: %v", rel, errUndecodable, err)
		}
		if len(g.Image) > 1 {
			return nil, nil
		}
		if _, err := rs.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
	}
	img, err := imaging.Decode(bufio.NewReader(rs), imaging.AutoOrientation(true))
	if err != nil {
		return nil, fmt.Errorf("media: %s: %w: %v", rel, errUndecodable, err)
	}
	return img, nil
}

// isOpaque reports whether every pixel of img is fully opaque.
func isOpaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// writeVariant encodes img as format to rel under Root, through a temp file
// and a rename so a reader never sees half a file.
func (l *Library) writeVariant(ctx context.Context, rel, format string, img image.Image) error {
	final := filepath.Join(l.Root, filepath.FromSlash(rel))
	dir := filepath.Dir(final)
	if l.Objects != nil {
		// Encoded beside the media root, then uploaded.
		dir = l.Root
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	tmp, err := os.CreateTemp(dir, ".variant-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	w := bufio.NewWriter(tmp)
	switch format {
	case "webp":
		err = webp.Encode(w, img, webp.Options{Quality: webpQuality})
	case "jpeg":
		err = jpeg.Encode(w, img, &jpeg.Options{Quality: jpegQuality})
	case "png":
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(w, img)
	default:
		err = fmt.Errorf("unknown format %q", format)
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if l.Objects != nil {
		return l.Objects.Put(ctx, rel, tmp.Name(), contentTypeOf(rel))
	}
	return os.Rename(tmp.Name(), final)
}

// removeVariants deletes the files of vs, for a job that gave up half way
// or whose image was deleted meanwhile.
func (l *Library) removeVariants(vs []content.MediaVariant) {
	if l.Objects != nil {
		ctx, cancel := context.WithTimeout(context.Background(), objectTimeout)
		defer cancel()
		for _, v := range vs {
			_ = l.Objects.Delete(ctx, v.Path) // a stray object is harmless
		}
		return
	}
	for _, v := range vs {
		os.Remove(filepath.Join(l.Root, filepath.FromSlash(v.Path)))
	}
}
