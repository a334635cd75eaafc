package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path"
	"strings"
	"syscall"
	"time"
)

// Fetcher downloads the images of an old site (--fetch-media). An export
// names any address it likes, so the fetcher refuses what an attacker
// would aim it at: addresses on this machine or its private networks
// (checked on the address actually dialled, after DNS and after every
// redirect), schemes other than http(s), bodies over MaxBytes and
// responses that are not images.
type Fetcher struct {
	MaxBytes int64         // per file; 20 MiB when 0
	Timeout  time.Duration // per file; 60s when 0
	// AllowPrivate lets tests fetch from a server on the loopback address;
	// no flag sets it.
	AllowPrivate bool

	client *http.Client
}

const defaultFetchMax = 20 << 20

// ErrBlockedAddress is returned for a host on a loopback, private,
// link-local or otherwise non-public address.
var ErrBlockedAddress = errors.New("address is not public")

func (f *Fetcher) httpClient() *http.Client {
	if f.client != nil {
		return f.client
	}
	d := &net.Dialer{Timeout: 15 * time.Second, Control: func(network, address string, _ syscall.RawConn) error {
		if f.AllowPrivate {
			return nil
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%w: %s", ErrBlockedAddress, address)
		}
		if !publicAddr(ap.Addr()) {
			return fmt.Errorf("%w: %s", ErrBlockedAddress, ap.Addr())
		}
		return nil
	}}
	tr := &http.Transport{Proxy: nil, DialContext: d.DialContext, TLSHandshakeTimeout: 15 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second, MaxIdleConnsPerHost: 2}
	f.client = &http.Client{Transport: tr, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("too many redirects")
		}
		if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
			return fmt.Errorf("redirect to %s refused", req.URL.Scheme)
		}
		return nil
	}}
	return f.client
}

// publicAddr reports an address on the public internet.
func publicAddr(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsMulticast() || a.IsUnspecified() || a.IsInterfaceLocalMulticast() {
		return false
	}
	for _, p := range blockedPrefixes {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// blockedPrefixes are non-public ranges netip has no predicate for.
var blockedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"),  // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),   // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),  // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),    // reserved
	netip.MustParsePrefix("64:ff9b:1::/48"), // local-use NAT64
	netip.MustParsePrefix("2001:db8::/32"),  // documentation
	netip.MustParsePrefix("0.0.0.0/8"),      // "this network"
	netip.MustParsePrefix("255.255.255.255/32"),
}

// Get downloads u and returns its body (a temp file, removed on Close) and
// a file name for it.
func (f *Fetcher) Get(ctx context.Context, u string) (io.ReadCloser, string, error) {
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
		return nil, "", fmt.Errorf("not an http(s) address")
	}
	timeout := f.Timeout
	if timeout == 0 {
		timeout = 60 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, pu.String(), nil)
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("User-Agent", "Folio-importer")
	req.Header.Set("Accept", "image/*")
	resp, err := f.httpClient().Do(req)
	if err != nil {
		if errors.Is(err, ErrBlockedAddress) {
			return nil, "", ErrBlockedAddress
		}
		return nil, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if !strings.HasPrefix(ct, "image/") {
		return nil, "", fmt.Errorf("content type %q is not an image", ct)
	}
	limit := f.MaxBytes
	if limit <= 0 {
		limit = defaultFetchMax
	}
	if resp.ContentLength > limit {
		return nil, "", fmt.Errorf("%d bytes is over the %d-byte limit", resp.ContentLength, limit)
	}
	tmp, err := os.CreateTemp("", "folio-fetch-*")
	if err != nil {
		return nil, "", err
	}
	n, err := io.Copy(tmp, io.LimitReader(resp.Body, limit+1))
	if err == nil && n > limit {
		err = fmt.Errorf("over the %d-byte limit", limit)
	}
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, "", err
	}
	name := path.Base(resp.Request.URL.Path)
	if name == "." || name == "/" || name == "" {
		name = "image"
	}
	return &tempFile{tmp}, name, nil
}

type tempFile struct{ *os.File }

func (t *tempFile) Close() error {
	err := t.File.Close()
	os.Remove(t.File.Name())
	return err
}
