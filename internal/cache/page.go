package cache

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
)

// Page is one rendered response, kept as bytes.
//
// A Page returned by Cache.Get is shared by every request that asks for it and
// must not be modified.
type Page struct {
	// Status is the HTTP status; 0 means 200. Error pages (404, 410) may be
	// cached like any other page; Write answers conditional requests only for
	// 200.
	Status      int
	ContentType string
	// Body is the identity-coded response body. Gzip and Brotli are the same
	// bytes compressed; nil when the body is too small or not text, or when
	// compression would not make it smaller.
	Body, Gzip, Brotli []byte
	// ETag is a strong, quoted entity tag computed from Body when empty. The
	// compressed variants are tagged with "-gz" and "-br" suffixes inside the
	// quotes, because they are different representations.
	ETag string
	// LastModified is truncated to the second (HTTP dates have no finer
	// precision); the zero time becomes the time the page was stored.
	LastModified time.Time
	// Deps lists the entity keys the render read, e.g. "article:12",
	// "term:5", "settings", "list:term:5". Invalidate of any of them drops
	// the page.
	Deps []string
	// CacheControl is sent as is, e.g. "public, max-age=60, s-maxage=300".
	CacheControl string

	meta *meta // precomputed header values, set by prepare
}

// meta holds header values computed once per page rather than per response.
type meta struct {
	lens      [numCodings]int // to notice a Page modified after prepare
	length    [numCodings]string
	etag      [numCodings]string
	lastMod   string
	surrogate string
}

// Content codings, in the order Write prefers them on equal q-values
// (reversed).
const (
	identity = iota
	codingGzip
	codingBrotli
	numCodings
)

// minCompressSize is the body size below which compression is skipped: the
// gzip framing alone is 18 bytes and tiny bodies fit in one packet anyway.
const minCompressSize = 256

// Compression levels. Pages are compressed once per render and then served
// many times, so ratio matters; but after a site-wide invalidation (settings,
// a menu) every page re-renders on its next request, and compression time
// lands on that request and on everyone waiting for it.
//
// Measured on linux/amd64, 2 shared cores, andybalholm/brotli v1.3.0, in
// ms per page and compressed/original size:
//
//	                 gzip 6     gzip 9     br 6       br 9       br 11
//	100 KB synthetic 5.3 .282   8.2 .280   4.5 .283   9.0 .273   145 .255
//	46 KB real prose 1.8 .271   1.7 .271   2.4 .255   14 .255    51 .226
//
// (synthetic: BenchmarkCompress's article generator; real: DESIGN.md,
// STYLE.md and render's golden pages as paragraphs, a one-off run.) Brotli
// 11 saves a further 4-11% but costs 20-30 times level 6, about 140 ms for a
// 100 KB page: a visible stall on every cold render. Level 9 costs 2-6 times
// level 6 for at most 3.5%. So brotli 6. gzip.BestCompression is within
// noise of the default level at this size and only serves clients without
// brotli, so it stays at its best.
const (
	gzipLevel   = gzip.BestCompression
	brotliLevel = 6
)

var (
	gzipWriters   sync.Pool // *gzip.Writer at gzipLevel
	brotliWriters sync.Pool // *brotli.Writer at brotliLevel
)

func compressGzip(body []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(body) / 3)
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
	return buf.Bytes()
}

func compressBrotli(body []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(body) / 4)
	bw, _ := brotliWriters.Get().(*brotli.Writer)
	if bw == nil {
		bw = brotli.NewWriterLevel(&buf, brotliLevel)
	} else {
		bw.Reset(&buf)
	}
	_, _ = bw.Write(body)
	_ = bw.Close()
	brotliWriters.Put(bw)
	return buf.Bytes()
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

// errNoPage is returned when a fill returns neither a page nor an error.
var errNoPage = errors.New("cache: fill returned no page")

// prepare completes a page returned by a fill: status, compressed variants,
// ETag, Last-Modified, sorted unique Deps and the precomputed header values.
// It runs with no lock held; the page is not yet visible to anyone else.
func prepare(p *Page, now time.Time) error {
	if p == nil {
		return errNoPage
	}
	if p.Status == 0 {
		p.Status = http.StatusOK
	}
	if p.Status < 100 || p.Status > 999 {
		return fmt.Errorf("cache: fill returned invalid status %d", p.Status)
	}
	if len(p.Body) >= minCompressSize && compressible(p.ContentType) {
		if p.Gzip == nil {
			if z := compressGzip(p.Body); len(z) < len(p.Body) {
				p.Gzip = z
			}
		}
		if p.Brotli == nil {
			if z := compressBrotli(p.Body); len(z) < len(p.Body) {
				p.Brotli = z
			}
		}
	}
	if p.ETag == "" {
		p.ETag = etagOf(p.Body)
	}
	if p.LastModified.IsZero() {
		p.LastModified = now
	}
	p.LastModified = p.LastModified.UTC().Truncate(time.Second)
	p.Deps = slices.Compact(slices.Sorted(slices.Values(p.Deps)))
	p.meta = newMeta(p)
	return nil
}

// etagOf returns a strong, quoted entity tag for body: the first 16 bytes of
// its SHA-256, base64url without padding.
func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
}

func newMeta(p *Page) *meta {
	m := &meta{lastMod: p.LastModified.UTC().Format(http.TimeFormat)}
	bodies := [numCodings][]byte{p.Body, p.Gzip, p.Brotli}
	suffix := [numCodings]string{"", "-gz", "-br"}
	tag := strings.TrimSuffix(p.ETag, `"`)
	for i, b := range bodies {
		m.lens[i] = len(b)
		m.length[i] = strconv.Itoa(len(b))
		if i == identity || b != nil {
			m.etag[i] = tag + suffix[i] + `"`
		}
	}
	m.surrogate = surrogateKeys(p.Deps)
	return m
}

// maxSurrogateLen keeps Surrogate-Key under the 16 KiB header limit common
// to CDNs; keys past it are left out (the page stays purgeable by the others
// and by a full purge).
const maxSurrogateLen = 16 << 10

// surrogateKeys joins deps for the Surrogate-Key header, space-separated,
// with every byte outside [A-Za-z0-9:_-] replaced by '_'.
func surrogateKeys(deps []string) string {
	var b strings.Builder
	for _, d := range deps {
		if d == "" {
			continue
		}
		if b.Len()+len(d)+1 > maxSurrogateLen {
			break
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		for i := 0; i < len(d); i++ {
			c := d[i]
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
				c == ':' || c == '_' || c == '-' {
				b.WriteByte(c)
			} else {
				b.WriteByte('_')
			}
		}
	}
	return b.String()
}

// size is the number of bytes a cached page is charged against the budget:
// its bodies, its strings and a fixed allowance for the entry, its map slots
// and its places in the dependency index.
func (p *Page) size(key string) int64 {
	const entryOverhead = 320 // entry, Page, meta, map slot
	const depOverhead = 96    // index slot and set entry per dependency
	n := int64(entryOverhead + 2*len(key) + len(p.Body) + len(p.Gzip) + len(p.Brotli) +
		len(p.ContentType) + len(p.CacheControl) + 4*len(p.ETag))
	for _, d := range p.Deps {
		n += int64(depOverhead + 2*len(d))
	}
	if p.meta != nil {
		n += int64(len(p.meta.surrogate) + len(p.meta.lastMod))
	}
	return n
}
