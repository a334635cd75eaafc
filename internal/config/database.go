package config

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// Database kinds returned by DatabaseKind.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DatabaseKind returns which store Database selects and where it is: the
// SQLite file path, or the PostgreSQL URL as given.
func (c *Config) DatabaseKind() (kind, where string, err error) {
	d := strings.TrimSpace(c.Database)
	switch {
	case d == "" || d == SQLite:
		return SQLite, filepath.Join(c.DataDir, "folio.db"), nil
	case strings.HasPrefix(d, "sqlite:"):
		p := strings.TrimPrefix(d, "sqlite:")
		if p == "" {
			return "", "", fmt.Errorf("database: %q names no file (want sqlite:PATH)", d)
		}
		return SQLite, p, nil
	case strings.HasPrefix(d, "postgres://"), strings.HasPrefix(d, "postgresql://"):
		u, perr := url.Parse(d)
		if perr != nil || u.Host == "" {
			// The URL may hold a password: do not echo it.
			return "", "", fmt.Errorf("database: the postgres URL is not valid (want postgres://user:password@host:5432/dbname)")
		}
		return Postgres, d, nil
	}
	return "", "", fmt.Errorf("database: must be empty, sqlite:PATH or a postgres:// URL")
}

// RedactURL returns a database URL with its password replaced, for logs.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(a database URL that does not parse)"
	}
	if u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
