package media

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/disintegration/imaging"

	"folio/internal/content"
)

// A PDF's card on the public page shows its first page. pdftoppm (Debian's
// poppler-utils) draws it; without the program a PDF simply has no
// thumbnail and its card shows the title alone.

// ThumbWidths are the widths of a PDF's first-page thumbnails.
var ThumbWidths = []int{320, 640}

// pdftoppmTimeout bounds one drawing: a hostile PDF can be slow to render.
const pdftoppmTimeout = 30 * time.Second

// Pdftoppm returns the path of pdftoppm, or "" when it is not installed.
func Pdftoppm() string {
	p, err := exec.LookPath("pdftoppm")
	if err != nil {
		return ""
	}
	return p
}

// pdfThumbnails draws the first page of the PDF m and writes it at each of
// ThumbWidths as PNG, named like image variants ("report-abc123.w320.png"),
// so RemoveFiles takes them with the PDF.
func (l *Library) pdfThumbnails(ctx context.Context, m *content.Media) ([]content.MediaVariant, error) {
	bin := l.Pdftoppm
	if bin == "" {
		bin = Pdftoppm()
	}
	if bin == "" {
		return nil, nil
	}
	tmp, err := os.MkdirTemp(l.Root, ".variant-pdf-*")
	if err != nil {
		return nil, fmt.Errorf("media: thumbnail of %s: %w", m.Path, err)
	}
	defer os.RemoveAll(tmp)
	src := filepath.Join(tmp, "in.pdf")
	if err := l.copyOut(m.Path, src); err != nil {
		return nil, err
	}
	largest := ThumbWidths[len(ThumbWidths)-1]
	cctx, cancel := context.WithTimeout(ctx, pdftoppmTimeout)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(cctx, bin, "-f", "1", "-l", "1", "-singlefile", "-png", "-scale-to-x", strconv.Itoa(largest), "-scale-to-y", "-1", src, filepath.Join(tmp, "page"))
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// A PDF pdftoppm cannot draw keeps its card without a picture.
		return nil, fmt.Errorf("media: %s: %w: pdftoppm: %v %s", m.Path, errUndecodable, err, strings.TrimSpace(stderr.String()))
	}
	f, err := os.Open(filepath.Join(tmp, "page.png"))
	if err != nil {
		return nil, fmt.Errorf("media: thumbnail of %s: %w", m.Path, err)
	}
	defer f.Close()
	page, err := png.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("media: %s: %w: %v", m.Path, errUndecodable, err)
	}
	base := strings.TrimSuffix(m.Path, path.Ext(m.Path))
	var out []content.MediaVariant
	for _, w := range ThumbWidths {
		var img image.Image = page
		if w < page.Bounds().Dx() {
			img = imaging.Resize(page, w, 0, imaging.Lanczos)
		}
		v := content.MediaVariant{MediaID: m.ID, Width: img.Bounds().Dx(), Height: img.Bounds().Dy(), Format: "png",
			Path: base + ".w" + strconv.Itoa(w) + ".png"}
		if err := l.writeVariant(ctx, v.Path, "png", img); err != nil {
			l.removeVariants(out)
			return nil, fmt.Errorf("media: thumbnail %s: %w", v.Path, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// copyOut copies the stored file rel to the local file dst, for a program
// that needs a path (the stored file may be an object in a bucket).
func (l *Library) copyOut(rel, dst string) error {
	f, err := l.Open(rel)
	if err != nil {
		return err
	}
	defer f.Close()
	out, err := os.Create(dst)
	if err != nil {
		return fmt.Errorf("media: copy %s: %w", rel, err)
	}
	_, err = io.Copy(out, f)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("media: copy %s: %w", rel, err)
	}
	return nil
}
