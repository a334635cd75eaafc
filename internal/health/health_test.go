package health_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"folio/internal/health"
)

func TestReady(t *testing.T) {
	okCheck := health.Check{Name: "database", Fn: func(context.Context) error { return nil }}
	bad := health.Check{Name: "jobs", Fn: func(context.Context) error { return errors.New("river_job: connection refused on 10.1.2.3") }}
	for _, tt := range []struct {
		name     string
		detail   bool
		checks   []health.Check
		status   int
		wantText string
		hideText string
	}{
		{"AllOK", false, []health.Check{okCheck}, 200, `"ready":true`, ""},
		{"OneFailing", true, []health.Check{okCheck, bad}, 503, "connection refused", ""},
		{"PublicHidesErrors", false, []health.Check{okCheck, bad}, 503, `"name":"jobs","ok":false`, "10.1.2.3"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			health.Ready(tt.detail, tt.checks...).ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
			body := rec.Body.String()
			if rec.Code != tt.status || !strings.Contains(body, tt.wantText) {
				t.Fatalf("status %d body %s; want %d with %s", rec.Code, body, tt.status, tt.wantText)
			}
			if tt.hideText != "" && strings.Contains(body, tt.hideText) {
				t.Fatalf("public body shows the error text: %s", body)
			}
			var v struct{ Checks []health.Result }
			if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil || len(v.Checks) != len(tt.checks) {
				t.Fatalf("body %s: %v", body, err)
			}
		})
	}
}

func TestLive(t *testing.T) {
	rec := httptest.NewRecorder()
	health.Live().ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != "ok\n" {
		t.Fatalf("%d %q", rec.Code, rec.Body.String())
	}
}

func TestWritableDir(t *testing.T) {
	dir := t.TempDir()
	if err := health.WritableDir(dir)(context.Background()); err != nil {
		t.Fatalf("writable dir: %v", err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		t.Fatalf("the check left %d files behind", len(es))
	}
	if err := health.WritableDir(filepath.Join(dir, "missing"))(context.Background()); err == nil {
		t.Fatal("a missing directory passed")
	}
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := health.WritableDir(file)(context.Background()); err == nil {
		t.Fatal("a file passed as a directory")
	}
}
