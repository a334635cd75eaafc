#!/usr/bin/env bash
# security.sh runs the checks that input cannot run script, that a caller
# reaches only what its role may, and that secrets stay out of logs, then
# prints one table of figures. FUZZTIME (60s by default) bounds each
# sanitizer fuzz target; SECURITY_QUICK=1 makes it 10s. Exit status is
# non-zero when any figure misses its target.
set -u
cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-60s}
if [ "${SECURITY_QUICK:-}" = 1 ]; then FUZZTIME=10s; fi
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
fail=0
rows=()
row() { rows+=("$(printf '| %-40s | %-44s | %-6s |' "$1" "$2" "$3")"); }

for target in FuzzToHTML FuzzComment; do
	out="$log/$target.txt"
	if $GO test ./internal/render/markdown -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" -parallel 1 >"$out" 2>&1; then r=ok; else r=FAIL; fail=1; tail -20 "$out" >&2; fi
	execs=$(grep -o 'execs: [0-9]*' "$out" | tail -1 | awk '{print $2}')
	row "sanitizer fuzz $target ($FUZZTIME)" "${execs:-0} inputs, script-capable outputs: $([ $r = ok ] && echo 0 || echo '>0')" "$r"
done

# check NAME PKG RUN: runs a test and reports its "matrix rows checked" or
# "secrets checked" line when it prints one.
check() {
	local name=$1 pkg=$2 run=$3 r fig
	local out="$log/check-${#rows[@]}.txt"
	if $GO test -count=1 -v -run "$run" "$pkg" >"$out" 2>&1; then r=ok; else r=FAIL; fail=1; grep -E '^\s+\S+_test.go:[0-9]+:' "$out" | head -20 >&2; fi
	fig=$(grep -oE '(matrix rows checked|secrets checked): [^)]*\)?[^ ]*( found: [0-9]+)?' "$out" | tail -1)
	row "$name" "${fig:-$(grep -c -- '--- PASS' "$out") subtests passed}" "$r"
}
check "XSS payloads in Markdown (renderer)" ./internal/render/markdown 'TestToHTML_XSS'
check "XSS through the API into pages" ./internal/api 'TestAPI_ArticleXSS'
check "admin route × role matrix" ./internal/admin 'TestRouteMatrix'
check "admin write × role matrix" ./internal/admin 'TestPermissionMatrix'
check "API route × caller matrix" ./internal/api 'TestAuthorizationMatrix'
check "CSRF refused" ./internal/admin 'TestCSRF'
check "secrets in logs/errors/audit" ./cmd/folio 'TestSecretsStayOutOfLogs'
check "sign-in throttling + unlock mail" ./internal/auth 'TestAuthenticate_Throttle|TestAuthenticate_PerEmailLockMailsUnlockLink'

echo
echo "make security — $(date -u '+%Y-%m-%d %H:%M UTC'), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s\n' "${rows[@]}"
echo "(not run here: Chromium XSS corpus, wapiti and sqlmap scans; see docs/reliability.md)"
exit $fail
