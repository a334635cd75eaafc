#!/usr/bin/env bash
# reliability.sh runs every fuzz target for FUZZTIME (60s by default; set
# RELIABILITY_QUICK=1 for 10s), the sign-in throttling and secrets checks
# and the crash harnesses (API writes and uploads, backups;
# FOLIO_CRASH_CYCLES, 100 by default, 5 quick),
# then prints one table of figures. Exit status is non-zero when
# any figure misses its target (a fuzz crash, a failed check).
#
# A crash is saved by Go under the package's testdata/fuzz/<Target>/, so
# committing it turns it into a regression test that plain `go test`
# (and so `make test`) replays.
set -u
cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-60s}
if [ "${RELIABILITY_QUICK:-}" = 1 ]; then FUZZTIME=10s; fi
# One fuzz worker each: the figures are per target and the machine may be shared.
PARALLEL=${FUZZ_PARALLEL:-1}

# package target
TARGETS="
./internal/render/markdown FuzzToHTML
./internal/render/markdown FuzzComment
./internal/translate FuzzSplitMarkdown
./internal/api FuzzDecodeBody
./internal/importer FuzzWordPress
./internal/importer FuzzGhost
./internal/media FuzzIngestAndDecode
./internal/cache FuzzWrite
"

log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
fail=0
rows=()
while read -r pkg target; do
	[ -z "$pkg" ] && continue
	out="$log/$target.txt"
	if $GO test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" -parallel "$PARALLEL" >"$out" 2>&1; then
		crashes=0
	else
		crashes=1
		fail=1
	fi
	execs=$(grep -o 'execs: [0-9]*' "$out" | tail -1 | awk '{print $2}')
	corpus=$(grep -o 'total: [0-9]*' "$out" | tail -1 | awk '{print $2}')
	rows+=("$(printf '| fuzz %-28s | %8s | execs %10s | corpus %5s | crashes %d |' "$target" "$FUZZTIME" "${execs:-0}" "${corpus:-0}" "$crashes")")
	if [ "$crashes" = 1 ]; then
		echo "== $target failed:" >&2
		tail -20 "$out" >&2
	fi
done <<<"$TARGETS"

# Sign-in throttling: the owner is not locked out by failures from other
# addresses, the per-email lock mails an unlock link (mailpit).
if $GO test -count=1 -run 'TestAuthenticate_Throttle|TestAuthenticate_PerEmailLockMailsUnlockLink' ./internal/auth >"$log/throttle.txt" 2>&1; then t=pass; else t=FAIL; fail=1; tail -20 "$log/throttle.txt" >&2; fi
rows+=("$(printf '| %-33s | %8s | %-16s | %-12s | %-9s |' "sign-in throttling + unlock mail" "-" "$t" "" "")")

# Secrets: every secret a full flow creates is absent from logs, errors
# and the audit log.
if $GO test -count=1 -v -run 'TestSecretsStayOutOfLogs' ./cmd/folio >"$log/secrets.txt" 2>&1; then
	s=$(grep -o 'secrets checked: [0-9]*, found: [0-9]*' "$log/secrets.txt" | tail -1)
	s=${s:-pass}
else
	s=FAIL; fail=1; tail -20 "$log/secrets.txt" >&2
fi
rows+=("$(printf '| %-33s | %8s | %-16s | %-12s | %-9s |' "secrets in logs/errors/audit" "-" "$s" "" "")")

# Crash harness: the real binary killed with SIGKILL mid-write, N cycles.
CYCLES=${FOLIO_CRASH_CYCLES:-100}
if [ "${RELIABILITY_QUICK:-}" = 1 ]; then CYCLES=${FOLIO_CRASH_CYCLES:-5}; fi
if FOLIO_CRASH_CYCLES=$CYCLES $GO test -count=1 -v -timeout 60m -run 'TestCrash_KillDuringWrites' ./cmd/folio >"$log/crash.txt" 2>&1; then c=ok; else c=FAIL; fail=1; grep -E '_test.go:[0-9]+:' "$log/crash.txt" | head -20 >&2; fi
figure=$(grep -oE '^[0-9]+ cycles, [0-9]+ acknowledged, [0-9]+ lost.*' "$log/crash.txt" | tail -1)
rows+=("$(printf '| %-33s | %8s | %-42s | %-4s |' "crash: kill -9 during writes+uploads" "$CYCLES" "${figure:-no figure}" "$c")")

# Backups killed with SIGKILL: a target is complete and restorable or
# absent, and the next run removes the kills' temp files.
if FOLIO_CRASH_CYCLES=$CYCLES $GO test -count=1 -v -timeout 30m -run 'TestCrash_KillDuringBackup' ./cmd/folio >"$log/crash-backup.txt" 2>&1; then c=ok; else c=FAIL; fail=1; grep -E '_test.go:[0-9]+:' "$log/crash-backup.txt" | head -20 >&2; fi
figure=$(grep -oE '^[0-9]+ backup kills, .*' "$log/crash-backup.txt" | tail -1)
rows+=("$(printf '| %-33s | %8s | %-42s | %-4s |' "crash: kill -9 during backup" "$CYCLES" "${figure:-no figure}" "$c")")

echo
echo "make reliability — $(date -u '+%Y-%m-%d %H:%M UTC'), load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
printf '%s\n' "${rows[@]}"
exit $fail
