package config

import (
	"flag"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoad(t *testing.T) {
	c := Default()
	if err := c.LoadEnv(env(map[string]string{"FOLIO_ADDR": ":9000", "FOLIO_DEMO": "1", "FOLIO_DATA": "/srv/folio"})); err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.Bind(fs)
	if err := fs.Parse([]string{"--addr", "127.0.0.1:7000"}); err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:7000" || !c.Demo || c.DataDir != "/srv/folio" {
		t.Fatalf("got %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidate_ReportsAll(t *testing.T) {
	c := Default()
	err := c.LoadEnv(env(map[string]string{"FOLIO_DEMO": "maybe", "FOLIO_SHUTDOWN_TIMEOUT": "soon"}))
	for _, want := range []string{"FOLIO_DEMO", "FOLIO_SHUTDOWN_TIMEOUT"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("LoadEnv error %v lacks %s", err, want)
		}
	}
	c = Default()
	c.Addr, c.BaseURL, c.LogLevel, c.LogFormat = "nonsense", "ftp://x", "loud", "xml"
	err = c.Validate()
	for _, want := range []string{"addr", "base-url", "log-level", "log-format"} {
		if err == nil || !strings.Contains(err.Error(), want+":") {
			t.Errorf("Validate error %v lacks %s", err, want)
		}
	}
}
