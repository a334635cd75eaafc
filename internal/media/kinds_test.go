package media_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"strings"
	"testing"

	"folio/internal/content"
	"folio/internal/media"
)

// mp3Bytes is n MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz, 417 bytes
// each) of silence, after an ID3v2.4 tag when tagged.
func mp3Bytes(n int, tagged bool) []byte {
	var b bytes.Buffer
	if tagged {
		b.Write([]byte{'I', 'D', '3', 4, 0, 0, 0, 0, 0, 20})
		b.Write(make([]byte, 20))
	}
	for range n {
		frame := make([]byte, 417)
		copy(frame, []byte{0xff, 0xfb, 0x90, 0x00})
		b.Write(frame)
	}
	return b.Bytes()
}

// oggBytes is the first page of an Ogg stream whose codec header is name.
func oggBytes(codec string) []byte {
	page := append([]byte("OggS\x00\x02"), make([]byte, 20)...)
	page = append(page, 1, 30)
	return append(page, []byte(codec+strings.Repeat("\x00", 30))...)
}

// m4aBytes is an ftyp box of the brand, then an empty mdat box.
func m4aBytes(major string, compatible ...string) []byte {
	box := []byte{0, 0, 0, byte(16 + 4*len(compatible))}
	box = append(box, "ftyp"+major+"\x00\x00\x00\x00"...)
	for _, c := range compatible {
		box = append(box, c...)
	}
	return append(box, 0, 0, 0, 8, 'm', 'd', 'a', 't')
}

// pdfBytes is a one-page PDF with a filled square, its cross-reference
// table computed, so pdftoppm can draw it.
func pdfBytes() []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 300] /Contents 4 0 R >>",
	}
	stream := "0.8 0.1 0.1 rg 40 100 120 120 re f"
	objs = append(objs, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream))
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func TestLibrary_SaveOtherKinds(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, file  string
		data        []byte
		contentType string
		ext         string
	}{
		{"MP3Tagged", "interview.mp3", mp3Bytes(3, true), "audio/mpeg", ".mp3"},
		{"MP3Bare", "interview", mp3Bytes(3, false), "audio/mpeg", ".mp3"},
		{"OggVorbis", "song.ogg", oggBytes("\x01vorbis"), "audio/ogg", ".ogg"},
		{"OggOpus", "voice.opus", oggBytes("OpusHead"), "audio/ogg", ".ogg"},
		{"M4A", "memo.m4a", m4aBytes("M4A ", "M4A ", "mp42", "isom"), "audio/mp4", ".m4a"},
		{"M4ACompatibleBrand", "memo.m4a", m4aBytes("mp42", "isom", "M4A "), "audio/mp4", ".m4a"},
		{"PDF", "Annual Report.pdf", pdfBytes(), "application/pdf", ".pdf"},
		// The type comes from the bytes: a PDF named .mp3 is a PDF.
		{"NameIgnored", "song.mp3", pdfBytes(), "application/pdf", ".pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLibrary(t)
			m, err := l.Save(ctx, tt.file, bytes.NewReader(tt.data), media.Meta{Alt: "x"})
			if err != nil {
				t.Fatal(err)
			}
			if m.ContentType != tt.contentType || !strings.HasSuffix(m.Path, tt.ext) || m.Size != int64(len(tt.data)) {
				t.Fatalf("saved %+v, want %s %s", m, tt.contentType, tt.ext)
			}
			f, err := l.Open(m.Path)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(f)
			f.Close()
			if !bytes.Equal(got, tt.data) {
				t.Fatal("the stored file differs from the upload")
			}
		})
	}
}

func TestLibrary_SaveOtherKinds_Refused(t *testing.T) {
	ctx := context.Background()
	for name, data := range map[string][]byte{
		"video.mp4":     m4aBytes("isom", "isom", "avc1", "mp41"), // a video, not sound
		"theora.ogv":    oggBytes("\x80theora"),
		"noise.mp3":     append([]byte{0xff, 0xfb, 0x90, 0x00}, []byte("then plain text follows, no second frame....")...),
		"half.pdf":      pdfBytes()[:200],
		"text.pdf":      []byte("%PDF? no, a note about PDFs\n"),
		"page.html.svg": []byte(`<!DOCTYPE html><html><body><svg></svg></body></html>`),
	} {
		t.Run(name, func(t *testing.T) {
			l := newLibrary(t)
			_, err := l.Save(ctx, name, bytes.NewReader(data), media.Meta{})
			wantCode(t, err, content.EINVALID)
			msg := content.ErrorMessage(err)
			if name == "half.pdf" {
				if msg != "the PDF is incomplete (no end-of-file marker): upload it again" {
					t.Fatalf("message %q", msg)
				}
			} else if !strings.HasPrefix(msg, "file is not a JPEG, PNG, GIF, WebP or SVG image, a PDF document or MP3, OGG or M4A audio") {
				t.Fatalf("message %q", msg)
			}
			if f := files(t, l.Root); len(f) != 0 {
				t.Fatalf("files left behind: %v", f)
			}
		})
	}
	t.Run("ErrSVGTooLarge", func(t *testing.T) {
		l := newLibrary(t)
		big := `<svg xmlns="http://www.w3.org/2000/svg">` + strings.Repeat(`<rect width="1" height="1"/>`, media.MaxSVGBytes/27+1) + `</svg>`
		_, err := l.Save(ctx, "big.svg", strings.NewReader(big), media.Meta{})
		wantCode(t, err, content.ETOOLARGE)
		if msg := content.ErrorMessage(err); msg != "the SVG file is larger than 2 MiB, the limit for drawings" {
			t.Fatalf("message %q", msg)
		}
	})
	t.Run("ErrAudioTooLarge", func(t *testing.T) {
		l := newLibrary(t)
		l.MaxBytes = 1000
		_, err := l.Save(ctx, "long.mp3", bytes.NewReader(mp3Bytes(10, true)), media.Meta{})
		wantCode(t, err, content.ETOOLARGE)
		if msg := content.ErrorMessage(err); msg != "file is larger than 1000 bytes" {
			t.Fatalf("message %q", msg)
		}
	})
}

func TestLibrary_PDFThumbnails(t *testing.T) {
	if media.Pdftoppm() == "" {
		if isCI() {
			t.Fatal("pdftoppm is not installed (apt-get install poppler-utils; scripts/test-deps.sh does)")
		}
		t.Skip("pdftoppm is not installed")
	}
	ctx := context.Background()
	l := newLibrary(t)
	m, err := l.Save(ctx, "report.pdf", bytes.NewReader(pdfBytes()), media.Meta{Alt: "Annual report"})
	if err != nil {
		t.Fatal(err)
	}
	vs, err := l.MakeVariants(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].Width != 320 || vs[0].Height != 480 || vs[1].Width != 640 || vs[1].Height != 960 || vs[0].Format != "png" {
		t.Fatalf("thumbnails %+v", vs)
	}
	// The thumbnail shows the page: the red square, on white.
	f, err := l.Open(vs[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := decodePNG(f)
	if err != nil {
		t.Fatal(err)
	}
	r, g, b, _ := img.At(160, 270).RGBA()
	wr, wg, wb, _ := img.At(10, 10).RGBA()
	if r>>8 < 180 || g>>8 > 60 || b>>8 > 60 || wr>>8 < 240 || wg>>8 < 240 || wb>>8 < 240 {
		t.Fatalf("thumbnail pixels: square %d,%d,%d, margin %d,%d,%d", r>>8, g>>8, b>>8, wr>>8, wg>>8, wb>>8)
	}
	// Deleting the PDF takes its thumbnails.
	if err := l.Delete(ctx, m.ID); err != nil {
		t.Fatal(err)
	}
	if left := files(t, l.Root); len(left) != 0 {
		t.Fatalf("files left: %v", left)
	}
	// Sound and drawings get no variants, and that is not an error.
	a, err := l.Save(ctx, "a.mp3", bytes.NewReader(mp3Bytes(3, true)), media.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if vs, err := l.MakeVariants(ctx, a); err != nil || len(vs) != 0 {
		t.Fatalf("audio variants %v %v", vs, err)
	}
}

func isCI() bool { return os.Getenv("CI") == "true" }

func decodePNG(r io.Reader) (image.Image, error) { return png.Decode(r) }
