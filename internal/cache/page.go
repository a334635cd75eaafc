package cache

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Page is one rendered response, kept as bytes.
//
// A Page returned by Cache.Get is shared by every request that asks for it and
// must not be modified. Its bytes are read with Bytes: the cache keeps a page
// compressed and makes the other codings when they are first asked for.
type Page struct {
	// Status is the HTTP status; 0 means 200. Error pages (404, 410) may be
	// cached like any other page; Write answers conditional requests only for
	// 200.
	Status      int
	ContentType string
	// Body is the identity-coded body a fill returns. Get keeps the page in
	// one compressed coding and drops Body from the pages it returns; read
	// them with Bytes.
	Body []byte
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

	meta *meta     // precomputed header values, set by prepare
	v    *variants // the page's bytes in each coding, set by prepare
}

// Coding is a content coding of a page.
type Coding int

// The codings a page can be sent in, in the order Write prefers them on
// equal q-values (reversed).
const (
	Identity Coding = iota
	Gzip
	Brotli
	numCodings
)

func (c Coding) String() string {
	switch c {
	case Gzip:
		return "gzip"
	case Brotli:
		return "br"
	}
	return "identity"
}

// meta holds header values computed once per page rather than per response.
type meta struct {
	etag      [numCodings]string
	lastMod   string
	surrogate string
}

// variants holds a page's bytes. A compressible page is stored in one
// coding, its primary: the one the request that rendered it asked for. The
// other compressed coding is made on its first request and kept; identity
// is decoded per request and kept only once it has been asked for again
// (few clients send no Accept-Encoding), and dropped first under memory
// pressure. Every change to a stored page's bytes goes through Cache.attach,
// which charges it against the budget under the cache's lock.
type variants struct {
	compressed bool   // false: the page has only its identity body
	primary    Coding // the coding made at render time
	idLen      int    // length of the identity body
	b          [numCodings]atomic.Pointer[blob]

	mu     sync.Mutex    // serializes making a compressed coding
	idHits atomic.Uint32 // identity requests answered by decoding
	idRef  atomic.Bool   // identity read since the CLOCK hand last passed

	// owner and entry are set when the page is stored; guarded by owner.mu.
	owner *Cache
	entry *entry
}

// blob is one coding of a page with its Content-Length header value.
type blob struct {
	b   []byte
	len string
}

func newBlob(b []byte) *blob { return &blob{b: b, len: strconv.Itoa(len(b))} }

// keepIdentityAfter is how many identity requests a stored page answers by
// decoding before it keeps its identity body.
const keepIdentityAfter = 2

// Has reports whether the page can be sent in coding c: always for
// identity, for gzip and brotli when the page is compressible text.
func (p *Page) Has(c Coding) bool {
	if p.v == nil {
		return c == Identity
	}
	return c == Identity || p.v.compressed
}

// Bytes returns the page's body in coding c, making it if needed, or nil
// when the page has no such coding (see Has). The slice is shared and must
// not be modified.
func (p *Page) Bytes(c Coding) []byte {
	b, err := p.blob(c)
	if err != nil || b == nil {
		return nil
	}
	return b.b
}

func (p *Page) blob(c Coding) (*blob, error) {
	v := p.v
	if v == nil {
		if c == Identity {
			return newBlob(p.Body), nil
		}
		return nil, nil
	}
	if c < Identity || c >= numCodings || (c != Identity && !v.compressed) {
		return nil, nil
	}
	if b := v.b[c].Load(); b != nil {
		if c == Identity && !v.idRef.Load() {
			v.idRef.Store(true)
		}
		return b, nil
	}
	if c == Identity {
		body, err := v.decode()
		if err != nil {
			return nil, err
		}
		b := newBlob(body)
		if v.idHits.Add(1) >= keepIdentityAfter {
			v.attach(Identity, b, false)
		}
		return b, nil
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if b := v.b[c].Load(); b != nil {
		return b, nil
	}
	body, err := v.decode()
	if err != nil {
		return nil, err
	}
	b := newBlob(compress(c, body))
	v.attach(c, b, true)
	return b, nil
}

// decode returns the identity body, from the identity coding if kept or
// else by decoding the primary.
func (v *variants) decode() ([]byte, error) {
	if b := v.b[Identity].Load(); b != nil {
		return b.b, nil
	}
	pb := v.b[v.primary].Load()
	if pb == nil {
		return nil, errors.New("cache: page lost its primary coding")
	}
	return decompress(v.primary, pb.b, v.idLen)
}

// attach stores coding c of a page, charging it to the cache that holds the
// page, if any. need says whether the cache may evict to make room; an
// optional coding (identity) is kept only when there is room.
func (v *variants) attach(c Coding, b *blob, need bool) {
	if o := v.owner; o != nil {
		o.attach(v, c, b, need)
		return
	}
	v.b[c].Store(b)
}

// blobSize is what a stored coding costs: its bytes and the blob itself.
func blobSize(b *blob) int64 {
	if b == nil {
		return 0
	}
	return int64(cap(b.b)) + blobOverhead + int64(len(b.len))
}

// errNoPage is returned when a fill returns neither a page nor an error.
var errNoPage = errors.New("cache: fill returned no page")

// minCompressSize is the body size below which compression is skipped: the
// gzip framing alone is 18 bytes and tiny bodies fit in one packet anyway.
const minCompressSize = 256

// prepare completes a page returned by a fill: status, the body in coding
// want (or identity when the page is small, not text, or does not compress),
// ETag, Last-Modified, sorted unique Deps and the precomputed header values.
// It drops Body. It runs with no lock held; the page is not yet visible to
// anyone else.
func prepare(p *Page, want Coding, now time.Time) error {
	if p == nil {
		return errNoPage
	}
	if p.Status == 0 {
		p.Status = http.StatusOK
	}
	if p.Status < 100 || p.Status > 999 {
		return fmt.Errorf("cache: fill returned invalid status %d", p.Status)
	}
	v := &variants{primary: Identity, idLen: len(p.Body)}
	if len(p.Body) >= minCompressSize && compressible(p.ContentType) {
		if want == Identity {
			// Someone without Accept-Encoding asked: keep the cheapest
			// coding to make and to decode.
			want = Gzip
		}
		if z := compress(want, p.Body); len(z) < len(p.Body) {
			v.compressed, v.primary = true, want
			v.b[want].Store(newBlob(z))
		}
	}
	if !v.compressed {
		v.b[Identity].Store(newBlob(exact(p.Body)))
	}
	if p.ETag == "" {
		p.ETag = etagOf(p.Body)
	}
	if p.LastModified.IsZero() {
		p.LastModified = now
	}
	p.LastModified = p.LastModified.UTC().Truncate(time.Second)
	p.Deps = slices.Clip(slices.Compact(slices.Sorted(slices.Values(p.Deps))))
	p.Body = nil
	p.v = v
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
	suffix := [numCodings]string{"", "-gz", "-br"}
	tag := strings.TrimSuffix(p.ETag, `"`)
	for c := range numCodings {
		if p.Has(c) {
			m.etag[c] = tag + suffix[c] + `"`
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
		writeSurrogateKey(&b, d)
	}
	// A copy, so that its capacity is what the entry is charged.
	return strings.Clone(b.String())
}

// SurrogateKey spells a dependency key as it appears in the Surrogate-Key
// header: characters other than letters, digits, ':', '_' and '-' become
// '_'. CDN purgers name keys this way so that they meet the header.
func SurrogateKey(d string) string {
	var b strings.Builder
	writeSurrogateKey(&b, d)
	return b.String()
}

func writeSurrogateKey(b *strings.Builder, d string) {
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
