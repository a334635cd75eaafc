package testutil

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// AxeVersion is the axe-core release scripts/test-deps.sh installs, into a
// cache folder named by it; the rules a page is held to change with each
// release, so it is pinned.
const AxeVersion = "4.14.1"

// AxeViolation is one rule axe-core found broken, with the elements that
// break it.
type AxeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"` // CSS selectors of the offending elements
}

// String names the rule, its impact and where it is broken, for a test's
// failure message.
func (v AxeViolation) String() string {
	return fmt.Sprintf("%s (%s): %s at %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
}

// axeScript returns axe.min.js, installed by scripts/test-deps.sh into the
// user cache (FOLIO_AXE_JS names another copy). Without it a test is
// skipped on a laptop but fails when CI=true.
func axeScript(tb testing.TB) string {
	tb.Helper()
	path := os.Getenv("FOLIO_AXE_JS")
	if path == "" {
		if dir, err := os.UserCacheDir(); err == nil {
			path = filepath.Join(dir, "folio-test", "axe-core-"+AxeVersion, "node_modules", "axe-core", "axe.min.js")
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("axe-core is missing (%v); run scripts/test-deps.sh", err)
		}
		tb.Skipf("axe-core is missing (%s); run scripts/test-deps.sh", path)
	}
	return string(b)
}

// Axe runs axe-core's WCAG 2.0, 2.1 and 2.2 level A and AA rules on the page
// ctx shows and returns what they find broken. The script is injected by the
// DevTools protocol, so a page's Content-Security-Policy does not stop it.
func Axe(tb testing.TB, ctx context.Context) []AxeViolation {
	tb.Helper()
	src := axeScript(tb)
	const run = `(async () => {
		const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}, resultTypes: ["violations"]});
		return JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
			nodes: v.nodes.map(n => n.target.join(" ") + (n.failureSummary ? " [" + n.failureSummary.replace(/\s+/g, " ") + "]" : ""))})));
	})()`
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src+";0")); err != nil {
		tb.Fatalf("axe: injecting axe.min.js: %v", err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.Fatalf("axe: %v", err)
	}
	var vs []AxeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		tb.Fatalf("axe: reading its result: %v", err)
	}
	return vs
}
