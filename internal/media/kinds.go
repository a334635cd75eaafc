package media

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"

	"folio/internal/content"
)

// Besides raster images the library keeps SVG drawings (sanitized, see
// svg.go), PDF documents (with a first-page thumbnail, see document.go)
// and audio for the body's player. Like images, each is recognised from
// its bytes; the file name only names the stored file.
var (
	kindSVG = kind{"image/svg+xml", "svg", ".svg"}
	kindPDF = kind{"application/pdf", "pdf", ".pdf"}
	kindMP3 = kind{"audio/mpeg", "mp3", ".mp3"}
	kindOGG = kind{"audio/ogg", "ogg", ".ogg"}
	kindM4A = kind{"audio/mp4", "m4a", ".m4a"}
)

// MaxSVGBytes is the largest SVG accepted: it is parsed whole to be
// sanitized, and a drawing for an article is far smaller.
const MaxSVGBytes = 2 << 20

// errNotAccepted is the one message for every rejected type, so callers
// learn nothing about which check failed.
func errNotAccepted() error {
	return content.Errorf(content.EINVALID, "file is not a JPEG, PNG, GIF, WebP or SVG image, a PDF document or MP3, OGG or M4A audio")
}

// IsRaster reports whether a stored item of contentType is a raster image,
// which gets resized variants.
func IsRaster(contentType string) bool {
	for _, k := range kinds {
		if k.contentType == contentType {
			return true
		}
	}
	return false
}

// inspectOther recognises the non-raster kinds from the first bytes head
// of f (n bytes long in all).
func inspectOther(f *os.File, head []byte, n int64) (kind, error) {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return kindPDF, checkPDF(f, n)
	case bytes.HasPrefix(head, []byte("OggS")):
		// The first page names the codec: Vorbis, Opus or FLAC is audio;
		// Theora and the rest are not.
		if bytes.Contains(head, []byte("\x01vorbis")) || bytes.Contains(head, []byte("OpusHead")) || bytes.Contains(head, []byte("\x7fFLAC")) {
			return kindOGG, nil
		}
	case len(head) >= 16 && string(head[4:8]) == "ftyp":
		if isM4A(head) {
			return kindM4A, nil
		}
	case isMP3(f, head):
		return kindMP3, nil
	case looksLikeXML(head):
		if n > MaxSVGBytes {
			return kind{}, content.Errorf(content.ETOOLARGE, "the SVG file is larger than %s, the limit for drawings", formatBytes(MaxSVGBytes))
		}
		return kindSVG, nil // sanitizeSVG decides whether it is one
	}
	return kind{}, errNotAccepted()
}

// checkPDF refuses a PDF whose end marker is missing: a truncated upload.
func checkPDF(f *os.File, n int64) error {
	tail := make([]byte, min(n, 2048))
	if _, err := f.ReadAt(tail, n-int64(len(tail))); err != nil && err != io.EOF {
		return fmt.Errorf("media: read upload: %w", err)
	}
	if !bytes.Contains(tail, []byte("%%EOF")) {
		return content.Errorf(content.EINVALID, "the PDF is incomplete (no end-of-file marker): upload it again")
	}
	return nil
}

// isM4A reads the ftyp box: an M4A (or M4B audiobook) brand, major or
// compatible. Video brands are refused: the body's player is for sound.
func isM4A(head []byte) bool {
	size := int(binary.BigEndian.Uint32(head[:4]))
	if size < 16 || size > len(head) {
		size = len(head)
	}
	brand := func(b []byte) bool { s := string(b); return s == "M4A " || s == "M4B " }
	if brand(head[8:12]) {
		return true
	}
	for i := 16; i+4 <= size; i += 4 {
		if brand(head[i : i+4]) {
			return true
		}
	}
	return false
}

// isMP3 finds an MPEG audio frame header at the start of f, after an ID3v2
// tag when there is one, and for a file without a tag a second header
// where the first frame ends, so text that happens to start 0xFF is not
// taken for sound.
func isMP3(f *os.File, head []byte) bool {
	off := int64(0)
	if bytes.HasPrefix(head, []byte("ID3")) && len(head) >= 10 && head[3] >= 2 && head[3] <= 4 {
		sz := int64(head[6]&0x7f)<<21 | int64(head[7]&0x7f)<<14 | int64(head[8]&0x7f)<<7 | int64(head[9]&0x7f)
		off = 10 + sz
		if head[5]&0x10 != 0 {
			off += 10 // footer
		}
	}
	var h [4]byte
	if _, err := f.ReadAt(h[:], off); err != nil {
		return false
	}
	length := mp3FrameLength(h)
	if length == 0 {
		return false
	}
	if off > 0 {
		return true
	}
	if _, err := f.ReadAt(h[:], int64(length)); err != nil {
		return false
	}
	return mp3FrameLength(h) > 0
}

// mp3FrameLength is the length in bytes of the MPEG Layer III frame whose
// header is h, or 0 when h is not one.
func mp3FrameLength(h [4]byte) int {
	if h[0] != 0xff || h[1]&0xe0 != 0xe0 {
		return 0
	}
	version := (h[1] >> 3) & 3 // 0: 2.5, 2: 2, 3: 1
	layer := (h[1] >> 1) & 3   // 1: Layer III
	bi := int(h[2] >> 4)
	si := int((h[2] >> 2) & 3)
	if version == 1 || layer != 1 || bi == 0 || bi == 15 || si == 3 {
		return 0
	}
	v1 := []int{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}
	v2 := []int{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}
	rates := map[byte][]int{3: {44100, 48000, 32000}, 2: {22050, 24000, 16000}, 0: {11025, 12000, 8000}}
	pad := int((h[2] >> 1) & 1)
	if version == 3 {
		return 144*v1[bi]*1000/rates[version][si] + pad
	}
	return 72*v2[bi]*1000/rates[version][si] + pad
}

// looksLikeXML reports whether head starts, after a byte-order mark and
// blanks, with an XML declaration, comment, doctype or element.
func looksLikeXML(head []byte) bool {
	h := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	h = bytes.TrimLeft(h, " \t\r\n")
	return bytes.HasPrefix(h, []byte("<?xml")) || bytes.HasPrefix(h, []byte("<svg")) ||
		bytes.HasPrefix(h, []byte("<!--")) || bytes.HasPrefix(h, []byte("<!DOCTYPE svg"))
}
