package auth_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"folio/internal/auth"
	"folio/internal/store/sqlite/sqlitetest"
)

func prefixes(t *testing.T, ss ...string) []netip.Prefix {
	t.Helper()
	var out []netip.Prefix
	for _, s := range ss {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}

func TestRealIP(t *testing.T) {
	trusted := prefixes(t, "10.0.0.0/8", "127.0.0.1/32", "fd00::/8")
	for _, tc := range []struct {
		name    string
		remote  string
		xff     []string
		trusted []netip.Prefix
		want    string
	}{
		{"no proxies configured ignores the header", "203.0.113.9:5000", []string{"198.51.100.1"}, nil, "203.0.113.9"},
		{"untrusted peer ignores the header", "203.0.113.9:5000", []string{"198.51.100.1"}, trusted, "203.0.113.9"},
		{"trusted peer without header", "10.0.0.2:5000", nil, trusted, "10.0.0.2"},
		{"trusted peer, one hop", "10.0.0.2:5000", []string{"198.51.100.1"}, trusted, "198.51.100.1"},
		{"forged left-most entry is skipped", "10.0.0.2:5000", []string{"1.2.3.4, 198.51.100.1"}, trusted, "198.51.100.1"},
		{"chain of trusted proxies", "127.0.0.1:5000", []string{"6.6.6.6, 198.51.100.1, 10.1.1.1, 10.2.2.2"}, trusted, "198.51.100.1"},
		{"several header lines read as one list", "10.0.0.2:5000", []string{"6.6.6.6", "198.51.100.1, 10.9.9.9"}, trusted, "198.51.100.1"},
		{"all hops trusted gives the left-most", "10.0.0.2:5000", []string{"10.3.3.3, 10.4.4.4"}, trusted, "10.3.3.3"},
		{"garbage stops at the last trusted hop", "10.0.0.2:5000", []string{"198.51.100.1, not-an-ip, 10.5.5.5"}, trusted, "10.5.5.5"},
		{"garbage right after the peer", "10.0.0.2:5000", []string{"198.51.100.1, <script>"}, trusted, "10.0.0.2"},
		{"entry with a port", "10.0.0.2:5000", []string{"198.51.100.1:4711"}, trusted, "198.51.100.1"},
		{"IPv6 peer and client", "[fd00::1]:443", []string{"2001:db8::7"}, trusted, "2001:db8::7"},
		{"bracketed IPv6 entry with a port", "[fd00::1]:443", []string{"[2001:db8::7]:8080"}, trusted, "2001:db8::7"},
		{"IPv4-mapped IPv6 peer counts as IPv4", "[::ffff:10.0.0.2]:443", []string{"198.51.100.1"}, trusted, "198.51.100.1"},
		{"RemoteAddr without a port", "10.0.0.2", []string{"198.51.100.1"}, trusted, "198.51.100.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/admin/login", nil)
			r.RemoteAddr = tc.remote
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := auth.RealIP(r, tc.trusted); got != tc.want {
				t.Errorf("RealIP = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestClientIP_ThroughMiddleware(t *testing.T) {
	db := sqlitetest.New(t)
	for _, tc := range []struct {
		name    string
		trusted []netip.Prefix
		want    string
	}{
		{"not trusted", nil, "10.0.0.2"},
		{"trusted", prefixes(t, "10.0.0.0/8"), "198.51.100.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := auth.New(auth.Config{Users: db, Sessions: db, Audit: db, TrustedProxies: tc.trusted})
			var got string
			h := a.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = auth.ClientIP(r) }))
			r := httptest.NewRequest("GET", "/admin/login", nil)
			r.RemoteAddr = "10.0.0.2:5000"
			r.Header.Set("X-Forwarded-For", "198.51.100.1")
			h.ServeHTTP(httptest.NewRecorder(), r)
			if got != tc.want {
				t.Errorf("ClientIP = %q, want %q", got, tc.want)
			}
		})
	}
}
