package config

import (
	"slices"
	"strings"
	"testing"
)

func TestTrustedProxyPrefixes(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    []string
		wantErr string
	}{
		{"", nil, ""},
		{"127.0.0.1", []string{"127.0.0.1/32"}, ""},
		{" 10.0.0.0/8 , fd00::/8,::1 ", []string{"10.0.0.0/8", "fd00::/8", "::1/128"}, ""},
		{"10.1.2.3/8", []string{"10.0.0.0/8"}, ""},
		{"::ffff:10.0.0.1", []string{"10.0.0.1/32"}, ""},
		{"10.0.0.0/8,proxy.example.org", nil, `"proxy.example.org" is not an IP address or CIDR range`},
	} {
		c := Config{TrustedProxies: tc.in}
		got, err := c.TrustedProxyPrefixes()
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: err = %v, want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		var gs []string
		for _, p := range got {
			gs = append(gs, p.String())
		}
		if !slices.Equal(gs, tc.want) {
			t.Errorf("%q = %v, want %v", tc.in, gs, tc.want)
		}
	}
	c := Default()
	c.TrustedProxies = "nope"
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "trusted-proxies") {
		t.Errorf("Validate = %v, want a trusted-proxies error", err)
	}
	if err := c.LoadEnv(func(k string) string {
		if k == "FOLIO_TRUSTED_PROXIES" {
			return "10.0.0.0/8"
		}
		return ""
	}); err != nil || c.TrustedProxies != "10.0.0.0/8" {
		t.Errorf("LoadEnv: %v, TrustedProxies = %q", err, c.TrustedProxies)
	}
}
