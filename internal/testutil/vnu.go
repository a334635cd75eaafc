package testutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// CheckHTML checks page with the Nu Html Checker (vnu.jar, fetched by
// scripts/test-deps.sh; FOLIO_VNU_JAR names another copy) and fails the
// test on any error it reports. Without the checker or Java a test is
// skipped on a laptop but fails when CI=true.
func CheckHTML(tb testing.TB, page string) {
	tb.Helper()
	jar := os.Getenv("FOLIO_VNU_JAR")
	if jar == "" {
		if dir, err := os.UserCacheDir(); err == nil {
			jar = filepath.Join(dir, "folio", "vnu.jar")
		}
	}
	java, jerr := exec.LookPath("java")
	if _, err := os.Stat(jar); err != nil || jerr != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("the Nu Html Checker is missing (%s, java: %v); run scripts/test-deps.sh", jar, jerr)
		}
		tb.Skipf("the Nu Html Checker is missing (%s); run scripts/test-deps.sh", jar)
	}
	f := filepath.Join(tb.TempDir(), "page.html")
	if err := os.WriteFile(f, []byte(page), 0o644); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command(java, "-jar", jar, "--errors-only", "--also-check-css", f).CombinedOutput()
	if err != nil {
		tb.Errorf("Nu Html Checker: %v\n%s\n%s", err, out, page)
	}
}
