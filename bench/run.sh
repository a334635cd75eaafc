#!/usr/bin/env bash
# bench/run.sh: Folio's benchmark harness. `make bench` runs the full set,
# `make bench-quick` (BENCH_QUICK=1) a small one. See bench/README.md.
#
# Environment:
#   BENCH_QUICK=1      quick mode: 1k/2k articles, 3 s wrk runs, no 100k corpus
#   BENCH_SEED=1       corpus seed
#   BENCH_PORT=18400   first of the loopback ports used (8 consecutive)
#   BENCH_WORK=bench/.work   where corpora, exports and binaries go
#   BENCH_REV=HEAD     build folio and the helpers from this commit instead of the working tree
#   BENCH_WARM=N       cold-start warm-up requests (full 20000, quick 2000)
#   BENCH_PUBLISHES=N  publishes in publish-to-live (200)
#   BENCH_SECTIONS="corpus throughput render export publish coldstart"   sections to run
#   FOLIO_BENCH_CACHE=BYTES  Folio's --cache-bytes in the throughput section (default: Folio's default)
#   BENCH_KEEP_EXPORT=1      reuse a static export made from the same Folio source and corpus
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH=$ROOT/bench
WORK=${BENCH_WORK:-$BENCH/.work}
BIN=$WORK/bin
QUICK=${BENCH_QUICK:-0}
SEED=${BENCH_SEED:-1}
PORT0=${BENCH_PORT:-18400}
SECTIONS=${BENCH_SECTIONS:-corpus throughput render export publish coldstart}
CMDLINE="BENCH_QUICK=$QUICK BENCH_SEED=$SEED${BENCH_PORT:+ BENCH_PORT=$BENCH_PORT}${FOLIO_BENCH_CACHE:+ FOLIO_BENCH_CACHE=$FOLIO_BENCH_CACHE}${BENCH_REV:+ BENCH_REV=$BENCH_REV}${BENCH_SECTIONS:+ BENCH_SECTIONS=\"$BENCH_SECTIONS\"}${BENCH_WARM:+ BENCH_WARM=$BENCH_WARM}${BENCH_PUBLISHES:+ BENCH_PUBLISHES=$BENCH_PUBLISHES}${BENCH_KEEP_EXPORT:+ BENCH_KEEP_EXPORT=$BENCH_KEEP_EXPORT} bash bench/run.sh${*:+ $*}"

if [ "$QUICK" = 1 ]; then
	MODE=quick
	N_TP=1000       # throughput corpus
	N_EXP=2000      # export-static vs hugo, publish-to-live, cold start
	N_BIG=""        # no 100k corpus
	DUR=3s
	WARM_N=2000
else
	MODE=full
	N_TP=10000
	N_EXP=10000
	N_BIG=100000
	DUR=10s
	WARM_N=20000
fi
N_PUB=${BENCH_PUBLISHES:-200}
WARM_N=${BENCH_WARM:-$WARM_N}

mkdir -p "$WORK" "$BIN" "$BENCH/results"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
STAMP=$(date -u +%Y-%m-%d-%H%M)
REPORT=$BENCH/results/$STAMP-$MODE.md
BODY=$WORK/report-body.md
: >"$BODY"

log() { printf '\033[2m[bench %s] %s\033[0m\n' "$(date +%H:%M:%S)" "$*" >&2; }

# emit prints report text to stdout and keeps it for the results file.
emit() { printf '%s\n' "$@" | tee -a "$BODY"; }

# ---------------------------------------------------------------- processes

PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	PIDS=()
}
trap 'cleanup; [ -n "$CLEAN_SRC" ] && rm -rf "$CLEAN_SRC"' EXIT
trap 'exit 130' INT TERM

# start LOGFILE CMD... runs CMD in the background; its pid is in LASTPID.
start() {
	local logf=$1
	shift
	"$@" >"$logf" 2>&1 &
	LASTPID=$!
	PIDS+=("$LASTPID")
}

stop() {
	local pid=$1 keep=() p
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	for p in "${PIDS[@]}"; do
		[ "$p" = "$pid" ] || keep+=("$p")
	done
	PIDS=("${keep[@]}")
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_http PORT PID: wait until the server answers, or its process died.
wait_http() {
	local i
	for i in $(seq 1 1200); do
		curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# ---------------------------------------------------------------- tools

ensure_tools() {
	local pkgs=() sudo=""
	command -v wrk >/dev/null || pkgs+=(wrk)
	command -v nginx >/dev/null || pkgs+=(nginx)
	command -v hugo >/dev/null || pkgs+=(hugo)
	command -v curl >/dev/null || pkgs+=(curl)
	[ -x /usr/bin/time ] || pkgs+=(time)
	[ -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] ||
		{ apt-cache show libnginx-mod-http-brotli-static >/dev/null 2>&1 && pkgs+=(libnginx-mod-http-brotli-static); }
	[ ${#pkgs[@]} -eq 0 ] && return 0
	[ "$(id -u)" = 0 ] || sudo=sudo
	log "installing ${pkgs[*]}"
	local apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
	if ! "${apt[@]}" install -y -q "${pkgs[@]}" >"$WORK/apt.log" 2>&1; then
		"${apt[@]}" update -q >>"$WORK/apt.log" 2>&1
		"${apt[@]}" install -y -q "${pkgs[@]}" >>"$WORK/apt.log" 2>&1 ||
			{ log "apt-get install failed, see $WORK/apt.log"; exit 1; }
	fi
}

# build compiles folio and the helpers from the working tree, or from the
# commit BENCH_REV (extracted with git archive, the tree is untouched;
# the helpers' own source still comes from this bench/ directory).
SRC=$ROOT
build() {
	local t src=$ROOT
	if [ -n "${BENCH_REV:-}" ]; then
		git rev-parse --verify -q "$BENCH_REV^{commit}" >/dev/null || { log "BENCH_REV $BENCH_REV is not a commit"; exit 1; }
		# outside the repository, so gofmt and go vet of the tree never see it
		src=$(mktemp -d "${TMPDIR:-/tmp}/folio-bench-src.XXXXXX") || exit 1
		git archive "$BENCH_REV" | tar -x -C "$src" || exit 1
	fi
	BUILT_REV=$(git rev-parse --short "${BENCH_REV:-HEAD}")
	# What the export depends on: Folio's own source, not the harness.
	SRCKEY=$(git rev-parse "${BENCH_REV:-HEAD}:cmd" "${BENCH_REV:-HEAD}:internal" "${BENCH_REV:-HEAD}:web" | sha256sum | cut -c1-16)
	[ -z "${BENCH_REV:-}" ] && ! git diff --quiet HEAD -- cmd internal web && SRCKEY="$SRCKEY-dirty-$$"
	log "building folio and the helpers${BENCH_REV:+ from $BENCH_REV ($BUILT_REV)}"
	(cd "$src" && go build -o "$BIN/folio" ./cmd/folio) || exit 1
	# The helpers are built from this tree: they talk to Folio over HTTP
	# and the CLI, and the corpus generator must match the cached corpora.
	for t in corpus ceiling fetch hugoexport publish; do
		(cd "$ROOT" && go build -o "$BIN/$t" "./bench/$t") || exit 1
	done
	# kept for the render section's go test; removed on exit
	SRC=$src
	[ "$src" = "$ROOT" ] || CLEAN_SRC=$src
}
CLEAN_SRC=""

# ---------------------------------------------------------------- corpora

# The cache key covers the generator's source, so a changed generator
# makes new corpora.
GENKEY=$(cat bench/corpus/*.go | sha256sum | cut -c1-8)
CORPUS_ROWS=()

# corpus N: generate (or reuse) the corpus of N articles; prints its dir.
corpus() {
	local n=$1 dir=$WORK/corpus-$1-s$SEED-$GENKEY
	if [ ! -f "$dir/.done" ]; then
		rm -rf "$dir"
		log "generating the $n-article corpus (seed $SEED) in $dir"
		if ! "$BIN/corpus" --articles "$n" --seed "$SEED" --data "$dir" --paths "$dir/paths.txt" \
			>"$dir.log" 2>"$dir.err"; then
			log "corpus generation failed:"
			tail -5 "$dir.err" >&2
			exit 1
		fi
		touch "$dir/.done"
		CORPUS_ROWS+=("| $n | generated: $(sed 's/^corpus: //' "$dir.log") | $(du -sh "$dir" | cut -f1) |")
	elif ! printf '%s\n' "${CORPUS_ROWS[@]}" | grep -q "^| $n |"; then
		CORPUS_ROWS+=("| $n | cached ($(sed 's/^corpus: //' "$dir.log")) | $(du -sh "$dir" | cut -f1) |")
	fi
	echo "$dir"
}

HAVE_EXPORT=0
# parse_time FILE: "seconds kib" from /usr/bin/time -v output.
parse_time() {
	awk -F': ' '
		/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
		/Maximum resident set size/ { m = $2 }
		END { printf "%.2f %d\n", s, m }' "$1"
}

# export_of N: make a static export of corpus N for the static targets and
# set EXPORT_DIR (call it directly, not in $(...), so the result is kept).
# Uses folio export-static when it exists, else crawls a running folio into
# the same layout and sets EXPORT_NOTE.
declare -A EXPORT_DIRS
EXPORT_NOTE=""
EXPORT_DIR=""
export_of() {
	local n=$1 c
	c=$(corpus "$n")
	if [ -n "${EXPORT_DIRS[$n]:-}" ]; then
		EXPORT_DIR=${EXPORT_DIRS[$n]}
		return 0
	fi
	local out=$WORK/export-$n-s$SEED
	if [ "$HAVE_EXPORT" = 1 ] && [ "${BENCH_KEEP_EXPORT:-0}" = 1 ] && [ -f "$out.sum" ] &&
		[ "$(cat "$out.sum")" = "$SRCKEY $(basename "$c")" ]; then
		log "reusing the export of $n articles made from the same Folio source (BENCH_KEEP_EXPORT=1)"
	elif [ "$HAVE_EXPORT" = 1 ]; then
		rm -rf "$out" "$out.sum"
		log "folio export-static of $n articles"
		if ! /usr/bin/time -v -o "$out.time" "$BIN/folio" export-static --data "$c" "$out" >"$out.log" 2>&1; then
			log "folio export-static failed: $(tail -3 "$out.log")"
			return 1
		fi
		echo "$SRCKEY $(basename "$c")" >"$out.sum"
	else
		out=$WORK/crawl-$n-s$SEED-$GENKEY-$(git rev-parse --short HEAD)
		EXPORT_NOTE="folio export-static does not exist in this build: the static targets served a crawl of the running server in the export layout (bench/fetch crawl)."
		if [ ! -f "$out/.done" ]; then
			rm -rf "$out"
			log "crawling folio into $out (no export-static yet)"
			local port=$((PORT0 + 7))
			start "$out.serve.log" "$BIN/folio" serve --data "$c" --addr "127.0.0.1:$port" --log-level error
			local pid=$LASTPID
			wait_http "$port" "$pid" || { log "folio did not start"; stop "$pid"; return 1; }
			"$BIN/fetch" crawl --base "http://127.0.0.1:$port" --out "$out" 2>"$out.log" ||
				{ log "crawl failed: $(tail -2 "$out.log")"; stop "$pid"; return 1; }
			stop "$pid"
			touch "$out/.done"
		fi
	fi
	EXPORT_DIRS[$n]=$out
	EXPORT_DIR=$out
}

# ---------------------------------------------------------------- throughput

declare -A RES # "target|scenario|enc" -> "rps p50_us p99_us errors"

fmt_ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# run_wrk TARGET SCENARIO ENC URL_PATH PORT PATHS
run_wrk() {
	local target=$1 scen=$2 enc=$3 path=$4 port=$5 paths=$6 out line
	# wrk's default 2 s timeout counts a slow answer as a socket error and
	# leaves it out of the latency: nginx compressing the 240 KB feed on the
	# fly (d) ran into it on a loaded machine, so its row was not comparable.
	# With 30 s, longer than any run, every answer is counted with its time.
	local args=(-t2 -c64 "-d$DUR" --latency --timeout 30s)
	[ "$enc" = gzip ] && args+=(-H "Accept-Encoding: gzip")
	case $scen in
	mix) args+=(-s "$BENCH/wrk/mix.lua" "http://127.0.0.1:$port/" -- "$paths" "$SEED") ;;
	zipf) args+=(-s "$BENCH/wrk/zipf.lua" "http://127.0.0.1:$port/" -- "$paths" "$SEED") ;;
	*) args+=(-s "$BENCH/wrk/report.lua" "http://127.0.0.1:$port$path") ;;
	esac
	if [ "$scen" = cold ]; then
		# every article once, 64 connections, before any warm-up
		local g=()
		[ "$enc" = gzip ] && g=(--gzip)
		out=$("$BIN/fetch" cold --base "http://127.0.0.1:$port" --paths "$paths" "${g[@]}" 2>&1)
	else
		out=$(wrk "${args[@]}" 2>&1)
	fi
	echo "$out" >>"$WORK/wrk-$MODE.log"
	line=$(grep '^BENCH ' <<<"$out")
	if [ -z "$line" ]; then
		log "wrk gave no result for $target $scen $enc: $(tail -2 <<<"$out")"
		RES["$target|$scen|$enc"]="0 0 0 failed"
		return
	fi
	local requests duration_us bytes p50_us p99_us max_us errors status_errors
	eval "$(sed 's/^BENCH //' <<<"$line" | tr ' ' '\n' | grep -E '^[a-z0-9_]+=[0-9]+$')"
	local rps
	rps=$(awk -v r="$requests" -v d="$duration_us" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
	RES["$target|$scen|$enc"]="$rps $p50_us $p99_us $((errors + status_errors))"
	log "$target $scen $enc: $rps req/s, p50 $(fmt_ms "$p50_us") ms, p99 $(fmt_ms "$p99_us") ms, errors $((errors + status_errors))"
}

nginx_conf() { # KIND ROOT PORT DIR
	local kind=$1 root=$2 port=$3 dir=$4 load="" brotli="" user=""
	if [ -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] && [ "$kind" = static ]; then
		load="load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;"
		brotli="        brotli_static on;"
	fi
	[ "$(id -u)" = 0 ] && user="user root;"
	mkdir -p "$dir"
	local nofile
	nofile=$(ulimit -Hn)
	[ "$nofile" = unlimited ] && nofile=1048576
	sed -e "s#@LOAD_MODULE@#$load#" -e "s#@USER@#$user#" -e "s#@WORK@#$dir#g" -e "s#@PORT@#$port#" \
		-e "s#@NOFILE@#$nofile#" -e "s#@OPEN_FILES@#$((nofile / 2))#" \
		-e "s#@ROOT@#$root#" -e "s#@BROTLI_STATIC@#$brotli#" "$BENCH/nginx/$kind.conf.tmpl" >"$dir/nginx.conf"
	echo "$dir/nginx.conf"
}

TARGETS=(a b c d)
declare -A TNAME=([a]="(a) Folio" [b]="(b) Go ceiling" [c]="(c) nginx gzip_static" [d]="(d) nginx on-the-fly gzip")
SCENARIOS=(cold hot mix zipf home feed)
declare -A SNAME=([cold]="cold cache (each article once)" [hot]="hot article" [mix]="random mix" [zipf]="Zipf s=1.0 long tail" [home]="home page" [feed]="/feed.xml")

section_throughput() {
	local c exp paths hot
	c=$(corpus "$N_TP")
	paths=$c/paths.txt
	hot=$(head -1 "$paths")
	export_of "$N_TP" && exp=$EXPORT_DIR || { emit "" "## Throughput" "" "Not run: no static export of the $N_TP-article corpus."; return; }
	declare -A SPATH=([cold]="/" [hot]="$hot" [mix]="/" [zipf]="/" [home]="/" [feed]="/feed.xml")
	local t port pid conf
	for t in "${TARGETS[@]}"; do
		port=$((PORT0 + $(printf '%d' "'$t") - 97))
		if port_busy "$port"; then
			log "port $port is in use; skipping ${TNAME[$t]}"
			continue
		fi
		case $t in
		# Folio runs with its default page cache (256 MiB), as a site would;
		# FOLIO_BENCH_CACHE sets --cache-bytes instead.
		a) start "$WORK/serve-a.log" "$BIN/folio" serve --data "$c" --addr "127.0.0.1:$port" ${FOLIO_BENCH_CACHE:+--cache-bytes "$FOLIO_BENCH_CACHE"} ;;
		b) start "$WORK/serve-b.log" "$BIN/ceiling" --dir "$exp" --addr "127.0.0.1:$port" ;;
		c | d)
			local kind=static
			[ "$t" = d ] && kind=gzip
			conf=$(nginx_conf "$kind" "$exp" "$port" "$WORK/nginx-$kind")
			start "$WORK/serve-$t.log" nginx -c "$conf" -p "$WORK/nginx-$kind" -e stderr
			;;
		esac
		pid=$LASTPID
		if ! wait_http "$port" "$pid"; then
			log "${TNAME[$t]} did not start: $(tail -3 "$WORK/serve-$t.log")"
			stop "$pid"
			continue
		fi
		# The cold-cache scenario comes first: the first request to each
		# page, with gzip (an identity pass would warm the pages for it).
		run_wrk "$t" cold gzip "" "$port" "$paths"
		log "warming ${TNAME[$t]}: every article path, the home page and the feed, identity and gzip"
		"$BIN/fetch" warm --base "http://127.0.0.1:$port" --paths "$paths" --extra "/,/feed.xml" 2>>"$WORK/warm.log" ||
			log "warm-up of ${TNAME[$t]} had failures: $(tail -1 "$WORK/warm.log")"
		local s e
		for s in "${SCENARIOS[@]}"; do
			[ "$s" = cold ] && continue
			for e in identity gzip; do
				run_wrk "$t" "$s" "$e" "${SPATH[$s]}" "$port" "$paths"
			done
		done
		[ "$t" = a ] && FOLIO_RSS=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status" 2>/dev/null)
		stop "$pid"
	done

	emit "" "## Throughput: wrk -t2 -c64 -d$DUR on loopback, $N_TP articles" ""
	emit "Hot article: \`$hot\`. Random mix: uniform over all $(wc -l <"$paths") article paths (bench/wrk/mix.lua, seed $SEED). Zipf: s=1.0 over the same paths in a seeded shuffled order (bench/wrk/zipf.lua). Cold cache: every article path once over 64 connections right after the target started, before the warm-up (bench/fetch cold), gzip only."
	emit "Folio runs with ${FOLIO_BENCH_CACHE:+--cache-bytes $FOLIO_BENCH_CACHE}${FOLIO_BENCH_CACHE:-its default page cache (256 MiB)}; its VmRSS after the runs: ${FOLIO_RSS:-?} MiB."
	emit ""
	emit "| scenario | encoding | target | req/s | p50 ms | p99 ms | errors |"
	emit "|---|---|---|---:|---:|---:|---:|"
	local r rps p50 p99 err
	for s in "${SCENARIOS[@]}"; do
		for e in identity gzip; do
			[ "$s|$e" = "cold|identity" ] && continue
			for t in "${TARGETS[@]}"; do
				r=${RES["$t|$s|$e"]:-}
				[ -n "$r" ] || { emit "| ${SNAME[$s]} | $e | ${TNAME[$t]} | not run | | | |"; continue; }
				read -r rps p50 p99 err <<<"$r"
				emit "| ${SNAME[$s]} | $e | ${TNAME[$t]} | $rps | $(fmt_ms "$p50") | $(fmt_ms "$p99") | $err |"
			done
		done
	done
	emit ""
	emit "### Ratios (targets from issues 3 and 15)" ""
	emit "| scenario | encoding | Folio/(b) req/s | target | Folio/(b) p99 | target | Folio/(d) req/s | target |"
	emit "|---|---|---:|---|---:|---|---:|---|"
	local a b d rb pb rd tb tp td
	for s in "${SCENARIOS[@]}"; do
		for e in identity gzip; do
			[ "$s|$e" = "cold|identity" ] && continue
			read -r a _ ap99 _ <<<"${RES["a|$s|$e"]:-0 0 0 0}"
			read -r b _ bp99 _ <<<"${RES["b|$s|$e"]:-0 0 0 0}"
			read -r d _ _ _ <<<"${RES["d|$s|$e"]:-0 0 0 0}"
			rb=$(ratio "$a" "$b")
			pb=$(ratio "$ap99" "$bp99")
			rd=$(ratio "$a" "$d")
			tb="—" tp="—" td="—"
			case $s in hot) tb="≥ 0.90" tp="≤ 1.20" ;; esac
			case "$s|$e" in mix\|gzip | zipf\|gzip) tb="≥ 0.50" ;; esac
			[ "$s|$e" = "mix|gzip" ] && td="≥ 2.0"
			emit "| ${SNAME[$s]} | $e | $rb | $tb | $pb | $tp | $rd | $td |"
		done
	done
	[ -n "$EXPORT_NOTE" ] && emit "" "Note: $EXPORT_NOTE"
}

# ---------------------------------------------------------------- uncached renders

section_render() {
	local c paths art region tag out line
	c=$(corpus "$N_TP")
	art=$(sed -n 5p "$c/paths.txt")
	paths="/,$art,/region/central-asia/,/region/central-asia/page/5/,/feed.xml"
	emit "" "## Uncached renders: $N_TP articles, go test -bench RenderUncached (cmd/folio/bench_test.go), no page cache, no compression" ""
	log "uncached renders at $N_TP articles"
	out=$(cd "$SRC" && FOLIO_BENCH_DATA=$c FOLIO_BENCH_PATHS=$paths go test -run '^$' -bench RenderUncached -benchmem -benchtime 100x ./cmd/folio 2>&1)
	echo "$out" >>"$WORK/render-$MODE.log"
	emit "| page | µs/page (wall, one request at a time) | allocs/page | KiB allocated/page |"
	emit "|---|---:|---:|---:|"
	while read -r line; do
		awk '{ name = $1; sub(/^BenchmarkRenderUncached\//, "", name); sub(/-[0-9]+$/, "", name);
			for (i = 2; i <= NF; i++) { if ($i == "ns/op") ns = $(i-1); if ($i == "allocs/op") al = $(i-1); if ($i == "B/op") by = $(i-1) }
			printf "| `%s` | %.0f | %d | %.0f |\n", name, ns / 1000, al, by / 1024 }' <<<"$line" | tee -a "$BODY"
	done < <(grep '^BenchmarkRenderUncached/' <<<"$out")
	grep -q '^BenchmarkRenderUncached/' <<<"$out" || emit "| failed: $(tail -1 <<<"$out") | | | |"
	emit "" "Kinds: home, article, term (region) page 1 and 5, site feed (RSS, full text of 20 pieces). Target: article ≤ 300 µs at 100k."
}

# ---------------------------------------------------------------- export vs hugo

section_export() {
	local c out ft fs fr hs hr site
	c=$(corpus "$N_EXP")
	emit "" "## Static build: folio export-static vs Hugo, $N_EXP articles" ""
	emit "| tool | wall s | peak RSS MiB | files written | target |"
	emit "|---|---:|---:|---:|---|"
	local exps="" exprss=""
	if [ "$HAVE_EXPORT" = 1 ]; then
		if export_of "$N_EXP"; then
			out=$EXPORT_DIR
			read -r exps exprss <<<"$(parse_time "$out.time")"
			fr=$(find "$out" -type f | wc -l)
			emit "| folio export-static (pages + .gz + .br) | $exps | $((exprss / 1024)) | $fr | ≤ 0.5 × Hugo |"
		else
			emit "| folio export-static | failed | | | ≤ 0.5 × Hugo |"
		fi
	else
		emit "| folio export-static | not available: this build has no export-static command | | | ≤ 0.5 × Hugo |"
	fi
	site=$WORK/hugo-$N_EXP-s$SEED
	if "$BIN/hugoexport" --data "$c" --out "$site" --themes "$BENCH/hugo/themes" --config "$BENCH/hugo/config.toml.tmpl" 2>"$site.log"; then
		log "hugo build of $N_EXP articles"
		if /usr/bin/time -v -o "$site.time" hugo --source "$site" --destination "$site/public" --quiet >>"$site.log" 2>&1; then
			read -r hs hr <<<"$(parse_time "$site.time")"
			emit "| hugo $(hugo version | awk '{print $2}' | cut -d+ -f1) (pages, no compressed copies) | $hs | $((hr / 1024)) | $(find "$site/public" -type f | wc -l) | |"
		else
			emit "| hugo | failed: $(tail -1 "$site.log") | | | |"
		fi
	else
		emit "| hugo | hugoexport failed: $(tail -1 "$site.log") | | | |"
	fi
	if [ -n "$exps" ] && [ -n "${hs:-}" ]; then
		emit "" "export-static / Hugo wall time: **$(ratio "$exps" "$hs")** (target ≤ 0.50)."
	fi
}

# ---------------------------------------------------------------- publish-to-live

section_publish() {
	local sizes=("$N_EXP") n c tmp port pid line
	[ -n "$N_BIG" ] && sizes+=("$N_BIG")
	emit "" "## Publish-to-live: $N_PUB publishes, POST returned → on /, its region page and /feed.xml" ""
	emit "| articles stored | p50 ms | p99 ms | max ms | POST p50 ms | POST p99 ms | not live in 5 s | target |"
	emit "|---:|---:|---:|---:|---:|---:|---:|---|"
	port=$((PORT0 + 5))
	for n in "${sizes[@]}"; do
		c=$(corpus "$n")
		tmp=$WORK/publish-tmp
		rm -rf "$tmp"
		cp -a --reflink=auto "$c" "$tmp"
		start "$WORK/serve-publish.log" "$BIN/folio" serve --data "$tmp" --addr "127.0.0.1:$port"
		pid=$LASTPID
		if ! wait_http "$port" "$pid"; then
			emit "| $n | folio did not start | | | | | | |"
			stop "$pid"
			continue
		fi
		log "publish-to-live at $n articles"
		if line=$("$BIN/publish" --folio "$BIN/folio" --data "$tmp" --base "http://127.0.0.1:$port" --n "$N_PUB" 2>"$WORK/publish.err"); then
			local n_ live_p50_ms live_p99_ms live_max_ms post_p50_ms post_p99_ms timeouts
			eval "$(tr ' ' '\n' <<<"$line" | sed 's/^n=/n_=/' | grep -E '^[a-z0-9_]+=[0-9.]+$')"
			emit "| $n | $live_p50_ms | $live_p99_ms | $live_max_ms | $post_p50_ms | $post_p99_ms | $timeouts | p99 ≤ 50 ms at 100k |"
		else
			emit "| $n | failed: $(tail -1 "$WORK/publish.err") | | | | | | |"
		fi
		stop "$pid"
		rm -rf "$tmp"
	done
}

# ---------------------------------------------------------------- cold start

section_coldstart() {
	local n=${N_BIG:-$N_EXP} c line
	c=$(corpus "$n")
	emit "" "## Cold start: exec of folio serve → first byte of /, then VmRSS after $WARM_N requests (random mix, gzip), $n articles" ""
	emit "| articles | first byte ms | RSS MiB after warm-up | warm-up s | target |"
	emit "|---:|---:|---:|---:|---|"
	log "cold start at $n articles"
	if line=$("$BIN/fetch" coldstart --folio "$BIN/folio" --data "$c" --addr "127.0.0.1:$((PORT0 + 6))" \
		--paths "$c/paths.txt" --warm "$WARM_N" 2>"$WORK/coldstart.err"); then
		local first_byte_ms rss_mib warm_requests warm_s
		eval "$(tr ' ' '\n' <<<"$line" | grep -E '^[a-z0-9_]+=[0-9.]+$')"
		emit "| $n | $first_byte_ms | $rss_mib | $warm_s | ≤ 2000 ms and ≤ 300 MiB at 100k |"
	else
		emit "| $n | failed: $(tail -1 "$WORK/coldstart.err") | | | |"
	fi
}

# ---------------------------------------------------------------- main

ensure_tools
build
"$BIN/folio" help 2>&1 | grep -q export-static && HAVE_EXPORT=1
NEED=()
for s in $SECTIONS; do
	case $s in
	throughput | render) NEED+=("$N_TP") ;;
	export) NEED+=("$N_EXP") ;;
	publish) NEED+=("$N_EXP" $N_BIG) ;;
	coldstart) NEED+=("${N_BIG:-$N_EXP}") ;;
	esac
done
for n in $(printf '%s\n' "${NEED[@]}" | sort -un); do corpus "$n" >/dev/null; done

for s in $SECTIONS; do
	case $s in
	corpus) ;; # reported at the end, once every corpus is known
	throughput) section_throughput ;;
	render) section_render ;;
	export) section_export ;;
	publish) section_publish ;;
	coldstart) section_coldstart ;;
	*) log "unknown section $s" ;;
	esac
done

{
	echo "# Folio benchmark, $MODE run, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "- Command: \`$CMDLINE\` (\`make bench$([ "$QUICK" = 1 ] && echo -quick)\` runs it with the defaults)"
	if [ -n "${BENCH_REV:-}" ]; then
		echo "- Folio commit: $BUILT_REV (built from git archive)"
	else
		echo "- Folio commit: $BUILT_REV$(git diff --quiet HEAD -- cmd internal web 2>/dev/null || echo ' (with uncommitted changes)')"
	fi
	echo "- Machine: \`$(uname -a)\`"
	echo "- CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs; memory $(free -g | awk '/^Mem:/ {print $2}') GiB"
	echo "- Go: $(go version | cut -d' ' -f3-)"
	echo "- Tools: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); $(nginx -v 2>&1 | cut -d' ' -f3-)$([ -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] && echo ' + brotli_static'); hugo $(hugo version | awk '{print $2}')"
	echo "- Everything (wrk, servers, tools) runs on the same machine over 127.0.0.1."
	echo "- Load average (1/5/15 min) at start: $LOAD_START; at end: $(cut -d' ' -f1-3 /proc/loadavg). Other work on the machine skews every figure; compare ratios from the same run."
	echo
	echo "## Corpora (bench/corpus, seed $SEED, written through the editorial service)"
	echo
	echo "| articles | generation | data dir size |"
	echo "|---:|---|---:|"
	printf '%s\n' "${CORPUS_ROWS[@]}"
	cat "$BODY"
} >"$REPORT"
echo
printf '## Corpora\n\n| articles | generation | data dir size |\n|---:|---|---:|\n'
printf '%s\n' "${CORPUS_ROWS[@]}"
echo
log "report written to ${REPORT#$ROOT/}"
