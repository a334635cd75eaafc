package media_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gen2brain/webp"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	xwebp "golang.org/x/image/webp"

	"folio/internal/cache/key"
	"folio/internal/media"
)

// gpsMark is the GPS map datum written into test EXIF blocks: finding it in
// a stored file means location metadata survived.
const gpsMark = "FOLIO-GPS-MARK"

// exifTIFF is a big-endian TIFF structure with IFD0 holding the orientation
// (when o > 0) and a GPS IFD pointer; the GPS IFD holds latitude ref "N",
// a latitude and the map datum gpsMark.
func exifTIFF(o int) []byte {
	be := binary.BigEndian
	var ifd0 [][3]uint32 // tag, type, value (count 1)
	if o > 0 {
		ifd0 = append(ifd0, [3]uint32{0x0112, 3, uint32(o) << 16})
	}
	n0 := len(ifd0) + 1
	gpsOff := 8 + 2 + 12*n0 + 4
	ifd0 = append(ifd0, [3]uint32{0x8825, 4, uint32(gpsOff)})
	const nGPS = 3
	dataOff := gpsOff + 2 + 12*nGPS + 4
	latOff, markOff := dataOff, dataOff+24
	var b bytes.Buffer
	b.WriteString("MM\x00*")
	binary.Write(&b, be, uint32(8))
	binary.Write(&b, be, uint16(n0))
	for _, e := range ifd0 {
		binary.Write(&b, be, uint16(e[0]))
		binary.Write(&b, be, uint16(e[1]))
		binary.Write(&b, be, uint32(1))
		binary.Write(&b, be, e[2])
	}
	binary.Write(&b, be, uint32(0))
	binary.Write(&b, be, uint16(nGPS))
	entry := func(tag, typ uint16, count, value uint32) {
		binary.Write(&b, be, tag)
		binary.Write(&b, be, typ)
		binary.Write(&b, be, count)
		binary.Write(&b, be, value)
	}
	entry(0x0001, 2, 2, uint32('N')<<24)                      // GPSLatitudeRef "N\0"
	entry(0x0002, 5, 3, uint32(latOff))                       // GPSLatitude
	entry(0x0012, 2, uint32(len(gpsMark)+1), uint32(markOff)) // GPSMapDatum
	binary.Write(&b, be, uint32(0))
	for _, r := range [][2]uint32{{34, 1}, {30, 1}, {1234, 100}} {
		binary.Write(&b, be, r)
	}
	b.WriteString(gpsMark + "\x00")
	return b.Bytes()
}

// jpegWithGPS returns a JPEG of w×h whose APP1 Exif segment, written by
// hand after SOI, carries GPS coordinates (and orientation o when > 0),
// followed by an XMP segment repeating the mark.
func jpegWithGPS(tb testing.TB, w, h, o int) []byte {
	tb.Helper()
	plain := jpegBytes(tb, w, h)
	seg := func(payload []byte) []byte {
		s := []byte{0xff, 0xe1, 0, 0}
		binary.BigEndian.PutUint16(s[2:], uint16(len(payload)+2))
		return append(s, payload...)
	}
	out := append([]byte{}, plain[:2]...)
	out = append(out, seg(append([]byte("Exif\x00\x00"), exifTIFF(o)...))...)
	out = append(out, seg([]byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><exif:GPSLatitude>"+gpsMark+"</exif:GPSLatitude></x:xmpmeta>"))...)
	return append(out, plain[2:]...)
}

// pngChunk is one PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(len(data)))
	typed := append([]byte(typ), data...)
	b.Write(typed)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(typed))
	return b.Bytes()
}

// pngWithGPS inserts an eXIf chunk and an XMP iTXt chunk after IHDR.
func pngWithGPS(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		tb.Fatal(err)
	}
	p := b.Bytes()
	ihdrEnd := 8 + 8 + 13 + 4
	out := append([]byte{}, p[:ihdrEnd]...)
	out = append(out, pngChunk("eXIf", exifTIFF(0))...)
	out = append(out, pngChunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00<x:xmpmeta>"+gpsMark+"</x:xmpmeta>"))...)
	out = append(out, pngChunk("tEXt", []byte("Title\x00Harbour"))...)
	return append(out, p[ihdrEnd:]...)
}

// webpWithGPS encodes img as WebP and wraps it in an extended (VP8X)
// container with an EXIF chunk.
func webpWithGPS(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := webp.Encode(&b, img, webp.Options{Quality: 90}); err != nil {
		tb.Fatal(err)
	}
	simple := b.Bytes()[12:] // the image chunk after "RIFF....WEBP"
	r := img.Bounds()
	vp8x := make([]byte, 10)
	vp8x[0] = 0x08 // EXIF present
	put24 := func(dst []byte, v int) { dst[0], dst[1], dst[2] = byte(v), byte(v>>8), byte(v>>16) }
	put24(vp8x[4:], r.Dx()-1)
	put24(vp8x[7:], r.Dy()-1)
	chunk := func(fourcc string, data []byte) []byte {
		c := append([]byte(fourcc), 0, 0, 0, 0)
		binary.LittleEndian.PutUint32(c[4:], uint32(len(data)))
		c = append(c, data...)
		if len(data)%2 == 1 {
			c = append(c, 0)
		}
		return c
	}
	body := append([]byte("WEBP"), chunk("VP8X", vp8x)...)
	body = append(body, simple...)
	body = append(body, chunk("EXIF", exifTIFF(0))...)
	out := append([]byte("RIFF"), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(body)))
	return append(out, body...)
}

func decodeBytes(tb testing.TB, data []byte) image.Image {
	tb.Helper()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("decode: %v", err)
	}
	return img
}

// samePixels compares two decoded images exactly.
func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				return false
			}
		}
	}
	return true
}

func readStored(tb testing.TB, l *media.Library, rel string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(l.Root, filepath.FromSlash(rel)))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestLibrary_Save_StripsLocation(t *testing.T) {
	ctx := context.Background()
	transparent := image.NewNRGBA(image.Rect(0, 0, 30, 20))
	for y := range 20 {
		for x := range 30 {
			transparent.Set(x, y, color.NRGBA{uint8(x * 8), uint8(y * 12), 40, uint8(x * 8)})
		}
	}
	tests := []struct {
		name     string
		data     []byte
		w, h     int
		wantExif bool // an orientation-only Exif block is kept
	}{
		{"JPEG", jpegWithGPS(t, 60, 40, 0), 60, 40, false},
		{"JPEGRotated", jpegWithGPS(t, 60, 40, 6), 40, 60, true},
		{"PNG", pngWithGPS(t, transparent), 30, 20, false},
		{"WebP", webpWithGPS(t, testImage(30, 20)), 30, 20, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !bytes.Contains(tt.data, []byte(gpsMark)) {
				t.Fatal("test image lacks the GPS mark")
			}
			l := newLibrary(t)
			m, err := l.Save(ctx, "photo", bytes.NewReader(tt.data), media.Meta{})
			if err != nil {
				t.Fatal(err)
			}
			got := readStored(t, l.Library, m.Path)
			if bytes.Contains(got, []byte(gpsMark)) {
				t.Fatal("stored original still carries the GPS block")
			}
			if hasExif := bytes.Contains(got, []byte("Exif\x00\x00")); hasExif != tt.wantExif {
				t.Fatalf("Exif block kept = %v, want %v", hasExif, tt.wantExif)
			}
			if m.Size != int64(len(got)) || m.Width != tt.w || m.Height != tt.h {
				t.Fatalf("record size %d %d×%d, want %d %d×%d", m.Size, m.Width, m.Height, len(got), tt.w, tt.h)
			}
			// The pixels are the uploaded ones, not a re-encoding.
			var want, have image.Image
			if tt.name == "WebP" {
				if want, err = xwebp.Decode(bytes.NewReader(tt.data)); err == nil {
					have, err = xwebp.Decode(bytes.NewReader(got))
				}
				if err != nil {
					t.Fatal(err)
				}
			} else {
				want, have = decodeBytes(t, tt.data), decodeBytes(t, got)
			}
			if !samePixels(want, have) {
				t.Fatal("stored original's pixels differ from the upload's")
			}
			if n := len(files(t, l.Root)); n != 1 {
				t.Fatalf("%d files under root, want 1", n)
			}
		})
	}
}

func TestLibrary_MakeVariants(t *testing.T) {
	ctx := context.Background()
	alpha := image.NewNRGBA(image.Rect(0, 0, 800, 300))
	for y := range 300 {
		for x := range 800 {
			alpha.Set(x, y, color.NRGBA{uint8(x), uint8(y), 200, uint8(x % 256)})
		}
	}
	var gifBuf bytes.Buffer
	if err := gif.Encode(&gifBuf, testImage(400, 200), nil); err != nil {
		t.Fatal(err)
	}
	var webpBuf bytes.Buffer
	if err := webp.Encode(&webpBuf, testImage(500, 300)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		data     []byte
		widths   []int
		height   func(w int) int
		fallback string
	}{
		// Wide and short: every width, few pixels, so the test stays fast.
		{"JPEG", jpegWithGPS(t, 2000, 100, 0), []int{320, 640, 960, 1280, 1920}, func(w int) int { return w / 20 }, "jpeg"},
		// Orientation 8: stored 300×200, shown 200×300.
		{"JPEGRotated", jpegWithGPS(t, 300, 200, 8), []int{200}, func(int) int { return 300 }, "jpeg"},
		{"PNGTransparent", pngWithGPS(t, alpha), []int{320, 640, 800}, func(w int) int { return w * 3 / 8 }, "png"},
		{"GIF", gifBuf.Bytes(), []int{320, 400}, func(w int) int { return w / 2 }, "jpeg"},
		{"WebP", webpBuf.Bytes(), []int{320, 500}, func(w int) int { return w * 3 / 5 }, "jpeg"},
		{"Small", jpegBytes(t, 100, 50), []int{100}, func(w int) int { return w / 2 }, "jpeg"},
		{"NearWidth", jpegBytes(t, 1000, 500), []int{320, 640, 960}, func(w int) int { return w / 2 }, "jpeg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLibrary(t)
			m, err := l.Save(ctx, "picture", bytes.NewReader(tt.data), media.Meta{})
			if err != nil {
				t.Fatal(err)
			}
			vs, err := l.MakeVariants(ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, f := range []string{"webp", tt.fallback} {
				for _, w := range tt.widths {
					want = append(want, fmt.Sprintf("%s %dx%d", f, w, tt.height(w)))
				}
			}
			var got []string
			for _, f := range []string{"webp", tt.fallback} {
				for _, v := range vs {
					if v.Format == f {
						got = append(got, fmt.Sprintf("%s %dx%d", v.Format, v.Width, v.Height))
					}
				}
			}
			if strings.Join(got, ", ") != strings.Join(want, ", ") || len(vs) != len(want) {
				t.Fatalf("variants %v, want %v", got, want)
			}
			base := strings.TrimSuffix(m.Path, filepath.Ext(m.Path))
			for _, v := range vs {
				wantPath := fmt.Sprintf("%s.w%d.%s", base, v.Width, map[string]string{"webp": "webp", "jpeg": "jpg", "png": "png"}[v.Format])
				if v.Path != wantPath || v.MediaID != m.ID {
					t.Fatalf("variant %+v, want path %s", v, wantPath)
				}
				data := readStored(t, l.Library, v.Path)
				cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
				if err != nil || format != v.Format || cfg.Width != v.Width || cfg.Height != v.Height {
					t.Fatalf("%s decodes as %s %dx%d (%v), want %s %dx%d", v.Path, format, cfg.Width, cfg.Height, err, v.Format, v.Width, v.Height)
				}
				for _, leak := range []string{gpsMark, "Exif", "xmpmeta", "eXIf"} {
					if bytes.Contains(data, []byte(leak)) {
						t.Fatalf("%s carries %q", v.Path, leak)
					}
				}
			}
		})
	}
}

func TestLibrary_MakeVariants_AnimatedGIF(t *testing.T) {
	l := newLibrary(t)
	pal := color.Palette{color.Black, color.White}
	g := &gif.GIF{Image: []*image.Paletted{image.NewPaletted(image.Rect(0, 0, 400, 200), pal), image.NewPaletted(image.Rect(0, 0, 400, 200), pal)}, Delay: []int{10, 10}}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, g); err != nil {
		t.Fatal(err)
	}
	m, err := l.Save(context.Background(), "anim.gif", &b, media.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	vs, err := l.MakeVariants(context.Background(), m)
	if err != nil || len(vs) != 0 {
		t.Fatalf("animated GIF variants %v, %v; want none (a still would replace the animation)", vs, err)
	}
}

// recordingQueue stands in for jobs.Queue where only the enqueue matters.
type recordingQueue struct{ args []river.JobArgs }

func (q *recordingQueue) Enqueue(_ context.Context, args river.JobArgs, _ *river.InsertOpts) error {
	q.args = append(q.args, args)
	return nil
}

func TestVariantWorker(t *testing.T) {
	ctx := context.Background()
	l := newLibrary(t)
	q := &recordingQueue{}
	l.Queue = q
	m, err := l.Save(ctx, "harbour.jpg", bytes.NewReader(jpegBytes(t, 700, 400)), media.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if len(q.args) != 1 || q.args[0].(media.VariantArgs).MediaID != m.ID {
		t.Fatalf("enqueued %v, want one VariantArgs for %d", q.args, m.ID)
	}
	db := l.Store
	l.changed = nil
	w := &media.VariantWorker{Library: l.Library, Store: db, Record: l.ed().SetMediaVariants}
	job := &river.Job[media.VariantArgs]{JobRow: &rivertype.JobRow{}, Args: media.VariantArgs{MediaID: m.ID}}
	if err := w.Work(ctx, job); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindMediaVariants(ctx, []int64{m.ID})
	if err != nil || len(got[m.ID]) != 4 { // 320, 640 × webp, jpeg; 700 is within 10% of 640
		t.Fatalf("recorded variants %v, %v; want 4", got, err)
	}
	if len(l.changed) != 1 || l.changed[0] != key.Media(m.ID) {
		t.Fatalf("OnChange(%v), want %s", l.changed, key.Media(m.ID))
	}

	// Deleting the image removes the variants' files and records.
	if err := l.Delete(ctx, m.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(files(t, l.Root)); n != 0 {
		t.Fatalf("%d files left after delete: %v", n, files(t, l.Root))
	}
	// A job for a deleted image has nothing to do.
	if err := w.Work(ctx, job); err != nil {
		t.Fatalf("job for deleted media: %v", err)
	}
}

func TestVariantWorker_Undecodable(t *testing.T) {
	ctx := context.Background()
	l := newLibrary(t)
	m, err := l.Save(ctx, "river.webp", bytes.NewReader(webpHeader(3, 2)), media.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	w := &media.VariantWorker{Library: l.Library, Store: l.Store, Record: l.ed().SetMediaVariants}
	err = w.Work(ctx, &river.Job[media.VariantArgs]{JobRow: &rivertype.JobRow{}, Args: media.VariantArgs{MediaID: m.ID}})
	var cancel *river.JobCancelError
	if err == nil || !errors.As(err, &cancel) {
		t.Fatalf("Work on a truncated WebP = %v, want a cancelled job (no retries)", err)
	}
}
