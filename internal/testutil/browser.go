// Package testutil holds helpers that tests of several packages share. It is
// imported only from _test.go files.
package testutil

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath returns the Chromium binary for browser tests. Without one a
// test is skipped on a laptop but fails when CI=true, where `make test`
// installs it.
func ChromiumPath(tb testing.TB) string {
	tb.Helper()
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		tb.Fatal("chromium is not installed (apt-get install chromium)")
	}
	tb.Skip("chromium is not installed")
	return ""
}

// Browser starts a headless Chromium with a fresh profile and a window of
// width×height; the returned context lives until the test ends or a minute
// passes. The flags keep Chromium off the network: this machine reaches only
// the servers the test starts.
func Browser(tb testing.TB, width, height int) context.Context {
	tb.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ChromiumPath(tb)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(width, height),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	tb.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}
