package cache

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"mime"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// Compression levels. A page is compressed once, in the coding the request
// that rendered it asked for, and its other coding only when a client first
// asks for it; after a site-wide invalidation every page re-renders on its
// next request, so compression time lands on that request and everyone
// waiting for it, and it is most of the cost of a cold page.
//
// Measured with BenchmarkCompress on pages of the 10k bench corpus (a 26 KB
// article, the 34 KB home page, the 240 KB feed), linux/amd64, 2 shared
// cores, andybalholm/brotli v1.3.0, ms per page and compressed/original:
//
//	            gzip 1     gzip 4     gzip 6     gzip 9     br 4       br 5       br 6
//	article     0.71 .346  0.75 .320  0.96 .316  0.92 .315  1.15 .302  1.83 .286  3.36 .285
//	home        0.83 .233  0.81 .214  0.96 .207  1.04 .207  0.94 .195  1.58 .184  2.06 .183
//	feed        3.8  .349  8.7  .306  14.9 .300  9.8  .299  7.7  .308  8.1  .292  9.5  .288
//
// Brotli 5 is within 0.3% of level 6 at about half the time, and 4 loses
// 5-6%; gzip 6 is within noise of 9 and 1.3% better than 4. Decompressing
// the article costs 0.15 ms (gzip) to 0.17 ms (brotli).
const (
	gzipLevel   = 6
	brotliLevel = 5
)

var (
	gzipWriters   sync.Pool // *gzip.Writer at gzipLevel
	brotliWriters sync.Pool // *brotli.Writer at brotliLevel
	gzipReaders   sync.Pool // *gzip.Reader
)

// compress returns body in coding c, in a slice of its own exact size so
// that its capacity is what the cache charges.
func compress(c Coding, body []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(body)/3 + 64)
	switch c {
	case Gzip:
		zw, _ := gzipWriters.Get().(*gzip.Writer)
		if zw == nil {
			zw, _ = gzip.NewWriterLevel(&buf, gzipLevel) // level is valid
		} else {
			zw.Reset(&buf)
		}
		// Writes to a bytes.Buffer cannot fail.
		_, _ = zw.Write(body)
		_ = zw.Close()
		gzipWriters.Put(zw)
	case Brotli:
		bw, _ := brotliWriters.Get().(*brotli.Writer)
		if bw == nil {
			bw = brotli.NewWriterLevel(&buf, brotliLevel)
		} else {
			bw.Reset(&buf)
		}
		_, _ = bw.Write(body)
		_ = bw.Close()
		brotliWriters.Put(bw)
	default:
		return exact(body)
	}
	return exact(buf.Bytes())
}

// decompress returns the identity body of b, which is in coding c and
// decodes to n bytes.
func decompress(c Coding, b []byte, n int) ([]byte, error) {
	out := make([]byte, n)
	var r io.Reader
	switch c {
	case Gzip:
		zr, _ := gzipReaders.Get().(*gzip.Reader)
		if zr == nil {
			var err error
			if zr, err = gzip.NewReader(bytes.NewReader(b)); err != nil {
				return nil, fmt.Errorf("cache: gunzip: %w", err)
			}
		} else if err := zr.Reset(bytes.NewReader(b)); err != nil {
			return nil, fmt.Errorf("cache: gunzip: %w", err)
		}
		defer gzipReaders.Put(zr)
		r = zr
	case Brotli:
		r = brotli.NewReader(bytes.NewReader(b))
	default:
		return exact(b), nil
	}
	if _, err := io.ReadFull(r, out); err != nil {
		return nil, fmt.Errorf("cache: decode %s: %w", c, err)
	}
	return out, nil
}

// exact copies b into a slice whose capacity is the allocation's real size
// (append rounds up to the allocator's size class), so that cap() is what
// the bytes cost.
func exact(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}

// compressible reports whether a body of this media type is text that
// compresses: text/*, JSON, XML (feeds, sitemaps), JavaScript, SVG.
func compressible(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	if strings.HasPrefix(mt, "text/") ||
		strings.HasSuffix(mt, "+xml") || strings.HasSuffix(mt, "+json") {
		return true
	}
	switch mt {
	case "application/json", "application/xml", "application/javascript",
		"application/xhtml+xml", "image/svg+xml":
		return true
	}
	return false
}

// Compress returns the gzip and brotli variants of body as the cache makes
// them, or nils when the type is not text. Unlike the cache it compresses
// even tiny bodies: a static export promises a .gz and a .br beside every
// text file, so a host configured for precompressed files never falls back
// to compressing on the fly.
func Compress(contentType string, body []byte) (gz, br []byte) {
	if !compressible(contentType) {
		return nil, nil
	}
	return compress(Gzip, body), compress(Brotli, body)
}
