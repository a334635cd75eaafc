package main

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"folio/internal/testutil"
)

// metricsAddr returns the address the operator's listener bound, from the
// server's log.
func metricsAddr(t *testing.T, ts *testServer) string {
	t.Helper()
	re := regexp.MustCompile(`msg="metrics serving" addr=(\S+)`)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := re.FindStringSubmatch(ts.stderr.String()); m != nil {
			return m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no metrics listener in the log:\n%s", ts.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func getURL(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := noRedirect.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// testOps checks the probes on the site's address and the metrics on the
// operator's, after some reader traffic.
func testOps(t *testing.T, ts *testServer) {
	ops := "http://" + metricsAddr(t, ts)
	for _, base := range []string{ts.base, ops} {
		if code, body := getURL(t, base+"/healthz"); code != 200 || body != "ok\n" {
			t.Errorf("%s/healthz: %d %q", base, code, body)
		}
		code, body := getURL(t, base+"/readyz")
		var v struct {
			Ready  bool
			Checks []struct{ Name string }
		}
		if err := json.Unmarshal([]byte(body), &v); err != nil || code != 200 || !v.Ready || len(v.Checks) != 3 {
			t.Errorf("%s/readyz: %d %s (%v)", base, code, body, err)
		}
	}
	for range 2 {
		ts.get(t, "/")
	}
	ts.get(t, "/no-such-page/")
	ts.get(t, "/feed.xml")
	if resp, body := ts.get(t, "/metrics"); resp.StatusCode == http.StatusOK || strings.Contains(string(body), "folio_http_requests_total") {
		t.Errorf("/metrics is served on the site's address (%d); it belongs to the operator's listener", resp.StatusCode)
	}
	code, body := getURL(t, ops+"/metrics")
	if code != 200 {
		t.Fatalf("/metrics: %d", code)
	}
	for _, want := range []string{
		`folio_http_requests_total{class="page",code="200"} 2`,
		`folio_http_requests_total{class="page",code="404"} 1`,
		`folio_http_requests_total{class="feed",code="200"} 1`,
		`folio_cache_hits_total 1`,
		`folio_render_seconds_count`,
		`folio_job_queue_depth`,
		`folio_db_pool_open_connections`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("metrics:\n%s", body)
	}
}

func TestOps_SQLite(t *testing.T) {
	testOps(t, startServer(t, t.TempDir(), "--demo", "--metrics-addr", "127.0.0.1:0"))
}

func TestOps_Postgres(t *testing.T) {
	url := testutil.PostgresDatabase(t, "")
	testOps(t, startServer(t, t.TempDir(), "--demo", "--database", url, "--metrics-addr", "127.0.0.1:0"))
}
