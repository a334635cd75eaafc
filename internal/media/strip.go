package media

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Location metadata (EXIF GPS, and XMP or IPTC blocks that repeat it) is
// removed from kept originals by dropping the metadata blocks from the byte
// stream: the compressed pixels are copied as they are, so the original
// loses nothing to re-encoding. Colour profiles stay, and so does the EXIF
// orientation, rewritten as an EXIF block holding nothing else, so photos
// taken sideways still show upright.

var errMalformed = errors.New("malformed image stream")

// stripMetadata copies the image of format ("jpeg", "png", "webp") from src
// to dst without its metadata blocks. stripped reports whether anything was
// removed (when false dst holds an identical copy); orientation is the EXIF
// orientation found (1 when none). Formats without known metadata blocks
// (GIF) are not handled: ok is false and nothing is read.
func stripMetadata(format string, src io.Reader, dst io.WriteSeeker) (ok, stripped bool, orientation int, err error) {
	switch format {
	case "jpeg":
		stripped, orientation, err = stripJPEG(src, dst)
	case "png":
		stripped, err = stripPNG(src, dst)
		orientation = 1
	case "webp":
		stripped, err = stripWebP(src, dst)
		orientation = 1
	default:
		return false, false, 1, nil
	}
	return true, stripped, orientation, err
}

// JPEG markers.
const (
	mSOI   = 0xd8
	mEOI   = 0xd9
	mSOS   = 0xda
	mAPP1  = 0xe1
	mAPP13 = 0xed
	mTEM   = 0x01
)

var (
	exifPrefix = []byte("Exif\x00\x00")
	xmpPrefix  = []byte("http://ns.adobe.com/xap/1.0/\x00")
	xmpExt     = []byte("http://ns.adobe.com/xmp/extension/\x00")
)

// stripJPEG drops APP1 Exif and XMP segments and APP13 (Photoshop IPTC)
// segments wherever they occur, including between the scans of a
// progressive JPEG, and writes a minimal Exif segment carrying only the
// orientation when that was not 1.
func stripJPEG(src io.Reader, dst io.Writer) (stripped bool, orientation int, err error) {
	r := bufio.NewReaderSize(src, 64<<10)
	w := bufio.NewWriterSize(dst, 64<<10)
	orientation = 1
	var soi [2]byte
	if _, err := io.ReadFull(r, soi[:]); err != nil || soi != [2]byte{0xff, mSOI} {
		return false, 0, errMalformed
	}
	w.Write(soi[:])
	wroteOrientation := false
	inScan := false
	for {
		b, err := r.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				// Some encoders leave the EOI out; keep what was there.
				return stripped, orientation, w.Flush()
			}
			return false, 0, err
		}
		if b != 0xff {
			if !inScan {
				return false, 0, errMalformed
			}
			w.WriteByte(b)
			continue
		}
		m, err := r.ReadByte()
		if err != nil {
			return false, 0, errMalformed
		}
		for m == 0xff { // fill bytes
			w.WriteByte(0xff)
			if m, err = r.ReadByte(); err != nil {
				return false, 0, errMalformed
			}
		}
		switch {
		case m == 0x00 || (m >= 0xd0 && m <= 0xd7): // stuffed byte, restart marker
			if !inScan {
				return false, 0, errMalformed
			}
			w.Write([]byte{0xff, m})
			continue
		case m == mEOI:
			w.Write([]byte{0xff, m})
			// Whatever trails EOI is not part of the image and may be
			// metadata (some phones append a second JPEG with its own EXIF).
			if n, _ := io.Copy(io.Discard, r); n > 0 {
				stripped = true
			}
			return stripped, orientation, w.Flush()
		case m == mTEM || m == mSOI:
			w.Write([]byte{0xff, m})
			continue
		}
		var lb [2]byte
		if _, err := io.ReadFull(r, lb[:]); err != nil {
			return false, 0, errMalformed
		}
		n := int(binary.BigEndian.Uint16(lb[:]))
		if n < 2 {
			return false, 0, errMalformed
		}
		payload := make([]byte, n-2)
		if _, err := io.ReadFull(r, payload); err != nil {
			return false, 0, errMalformed
		}
		drop := false
		switch m {
		case mAPP1:
			switch {
			case bytes.HasPrefix(payload, exifPrefix):
				if o := exifOrientation(payload[len(exifPrefix):]); o > 1 && o <= 8 {
					orientation = o
				}
				drop = true
			case bytes.HasPrefix(payload, xmpPrefix), bytes.HasPrefix(payload, xmpExt):
				drop = true
			}
		case mAPP13:
			drop = true
		}
		if drop {
			stripped = true
			continue
		}
		if orientation > 1 && !wroteOrientation && (m < 0xe0 || m > 0xef) {
			// Before the first non-APP segment, where readers look for Exif.
			w.Write(orientationSegment(orientation))
			wroteOrientation = true
		}
		w.Write([]byte{0xff, m})
		w.Write(lb[:])
		w.Write(payload)
		if m == mSOS {
			inScan = true
		}
	}
}

// exifOrientation reads tag 0x0112 from IFD0 of a TIFF structure; 0 when
// absent or unreadable.
func exifOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(tiff[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 0
	}
	off := int(bo.Uint32(tiff[4:]))
	if off < 8 || off+2 > len(tiff) {
		return 0
	}
	count := int(bo.Uint16(tiff[off:]))
	for i := range count {
		e := off + 2 + 12*i
		if e+12 > len(tiff) {
			return 0
		}
		if bo.Uint16(tiff[e:]) == 0x0112 && bo.Uint16(tiff[e+2:]) == 3 {
			return int(bo.Uint16(tiff[e+8:]))
		}
	}
	return 0
}

// orientationSegment is an APP1 Exif segment whose IFD0 holds only the
// orientation tag.
func orientationSegment(o int) []byte {
	var b bytes.Buffer
	b.Write([]byte{0xff, mAPP1, 0, 0})
	b.Write(exifPrefix)
	b.WriteString("MM\x00*")
	binary.Write(&b, binary.BigEndian, uint32(8))      // IFD0 offset
	binary.Write(&b, binary.BigEndian, uint16(1))      // one entry
	binary.Write(&b, binary.BigEndian, uint16(0x0112)) // Orientation
	binary.Write(&b, binary.BigEndian, uint16(3))      // SHORT
	binary.Write(&b, binary.BigEndian, uint32(1))      // count
	binary.Write(&b, binary.BigEndian, uint16(o))      // value, left-justified
	binary.Write(&b, binary.BigEndian, uint16(0))
	binary.Write(&b, binary.BigEndian, uint32(0)) // no next IFD
	s := b.Bytes()
	binary.BigEndian.PutUint16(s[2:], uint16(len(s)-2))
	return s
}

// stripPNG drops eXIf chunks and text chunks holding XMP, IPTC or EXIF
// (the "XML:com.adobe.xmp" and ImageMagick "Raw profile type …" keywords).
// Chunks are independent and carry their own CRC, so the rest is copied as is.
func stripPNG(src io.Reader, dst io.Writer) (stripped bool, err error) {
	r := bufio.NewReaderSize(src, 64<<10)
	w := bufio.NewWriterSize(dst, 64<<10)
	sig := make([]byte, 8)
	if _, err := io.ReadFull(r, sig); err != nil || string(sig) != "\x89PNG\r\n\x1a\n" {
		return false, errMalformed
	}
	w.Write(sig)
	for {
		var head [8]byte
		if _, err := io.ReadFull(r, head[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return stripped, w.Flush()
			}
			return false, errMalformed
		}
		n := int64(binary.BigEndian.Uint32(head[:4]))
		typ := string(head[4:])
		drop := typ == "eXIf"
		if typ == "tEXt" || typ == "zTXt" || typ == "iTXt" {
			kw, err := r.Peek(min(int(n), 80))
			if err != nil {
				return false, errMalformed
			}
			if i := bytes.IndexByte(kw, 0); i >= 0 {
				k := strings.ToLower(string(kw[:i]))
				drop = k == "xml:com.adobe.xmp" || strings.HasPrefix(k, "raw profile type")
			}
		}
		if drop {
			stripped = true
			if _, err := io.CopyN(io.Discard, r, n+4); err != nil {
				return false, errMalformed
			}
			continue
		}
		w.Write(head[:])
		if _, err := io.CopyN(w, r, n+4); err != nil {
			return false, errMalformed
		}
		if typ == "IEND" {
			if n, _ := io.Copy(io.Discard, r); n > 0 {
				stripped = true
			}
			return stripped, w.Flush()
		}
	}
}

// stripWebP drops EXIF and XMP chunks, clears their flags in VP8X and
// rewrites the RIFF size.
func stripWebP(src io.Reader, dst io.WriteSeeker) (stripped bool, err error) {
	r := bufio.NewReaderSize(src, 64<<10)
	var head [12]byte
	if _, err := io.ReadFull(r, head[:]); err != nil || string(head[:4]) != "RIFF" || string(head[8:]) != "WEBP" {
		return false, errMalformed
	}
	riff := int64(binary.LittleEndian.Uint32(head[4:]))
	w := bufio.NewWriterSize(dst, 64<<10)
	w.Write(head[:])
	var size int64 = 4 // "WEBP"
	for read := int64(4); read < riff; {
		var ch [8]byte
		if _, err := io.ReadFull(r, ch[:]); err != nil {
			return false, errMalformed
		}
		n := int64(binary.LittleEndian.Uint32(ch[4:]))
		padded := n + n&1
		read += 8 + padded
		if read > riff {
			return false, errMalformed
		}
		switch string(ch[:4]) {
		case "EXIF", "XMP ":
			stripped = true
			if _, err := io.CopyN(io.Discard, r, padded); err != nil {
				return false, errMalformed
			}
			continue
		case "VP8X":
			data := make([]byte, padded)
			if _, err := io.ReadFull(r, data); err != nil || n < 1 {
				return false, errMalformed
			}
			if data[0]&0x0c != 0 {
				data[0] &^= 0x0c // EXIF and XMP present flags
				stripped = true
			}
			w.Write(ch[:])
			w.Write(data)
			size += 8 + padded
			continue
		}
		w.Write(ch[:])
		if _, err := io.CopyN(w, r, padded); err != nil {
			return false, errMalformed
		}
		size += 8 + padded
	}
	if n, _ := io.Copy(io.Discard, r); n > 0 {
		stripped = true
	}
	if err := w.Flush(); err != nil {
		return false, err
	}
	if size > 1<<32-1 {
		return false, errMalformed
	}
	if _, err := dst.Seek(4, io.SeekStart); err != nil {
		return false, err
	}
	var sz [4]byte
	binary.LittleEndian.PutUint32(sz[:], uint32(size))
	if _, err := dst.Write(sz[:]); err != nil {
		return false, fmt.Errorf("rewrite RIFF size: %w", err)
	}
	_, err = dst.Seek(0, io.SeekEnd)
	return stripped, err
}
