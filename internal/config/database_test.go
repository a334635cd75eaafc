package config

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestDatabaseKind(t *testing.T) {
	for _, tt := range []struct {
		in, kind, where, errHas string
	}{
		{"", SQLite, filepath.Join("data", "folio.db"), ""},
		{"sqlite", SQLite, filepath.Join("data", "folio.db"), ""},
		{"sqlite:/srv/site.db", SQLite, "/srv/site.db", ""},
		{"postgres://folio:s3cret@db:5432/folio", Postgres, "postgres://folio:s3cret@db:5432/folio", ""},
		{"postgresql://db/folio?sslmode=require", Postgres, "postgresql://db/folio?sslmode=require", ""},
		{"sqlite:", "", "", "names no file"},
		{"mysql://db/folio", "", "", "must be empty, sqlite:PATH or a postgres:// URL"},
		{"postgres://folio:s3cret@/folio", "", "", "not valid"},
	} {
		c := Default()
		c.DataDir = "data"
		c.Database = tt.in
		kind, where, err := c.DatabaseKind()
		if tt.errHas != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("%q: error %v, want one saying %q", tt.in, err, tt.errHas)
			}
			if err != nil && strings.Contains(err.Error(), "s3cret") {
				t.Errorf("%q: the error shows the password: %v", tt.in, err)
			}
			continue
		}
		if err != nil || kind != tt.kind || where != tt.where {
			t.Errorf("%q: %q %q %v, want %q %q", tt.in, kind, where, err, tt.kind, tt.where)
		}
	}
}

func TestDatabaseEnvAndFlags(t *testing.T) {
	c := Default()
	env := map[string]string{"FOLIO_DATABASE_URL": "postgres://db/folio", "FOLIO_METRICS_ADDR": "127.0.0.1:9090", "FOLIO_AUTO_MIGRATE": "true"}
	if err := c.LoadEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if c.Database != "postgres://db/folio" || c.MetricsAddr != "127.0.0.1:9090" || !c.AutoMigrate {
		t.Fatalf("env not applied: %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.MetricsAddr = c.Addr
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "metrics-addr") {
		t.Fatalf("metrics on the site's address accepted: %v", err)
	}
	c.MetricsAddr = "nonsense"
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "metrics-addr") {
		t.Fatalf("bad metrics address accepted: %v", err)
	}
}

func TestRedactURL(t *testing.T) {
	if got := RedactURL("postgres://folio:s3cret@db/folio"); strings.Contains(got, "s3cret") || !strings.Contains(got, "folio:xxxxx@db") {
		t.Fatalf("RedactURL = %q", got)
	}
	if got := RedactURL("postgres://db/folio"); got != "postgres://db/folio" {
		t.Fatalf("RedactURL without password = %q", got)
	}
}
