# Folio: `make test` installs what the tests need and runs them all.
GO ?= go
PKGS ?= ./...

.PHONY: test deps vet run build golden lint reliability security

test: deps lint
	$(GO) test -race -count=1 -timeout 30m $(PKGS)
	# Property tests run their full length without the race detector, which
	# slows the pure-Go SQLite driver too much for long sequences.
	$(GO) test -count=1 -run Property ./internal/...
	# The crawl of the demo site on PostgreSQL likewise: pgx under the race
	# detector makes it take minutes.
	$(GO) test -count=1 -run Crawl_Postgres ./cmd/folio

# deps installs what the tests need: Go modules, and the Debian packages
# listed in scripts/test-deps.sh (Chromium, Apertium, fonts).
deps:
	$(GO) mod download
	./scripts/test-deps.sh
	# The S3 media tests run SeaweedFS, built once per machine into
	# ~/.cache/folio-test; the build runs beside lint and the other tests,
	# and the tests that need it wait for it.
	nohup ./scripts/seaweedfs.sh >"$${TMPDIR:-/tmp}/folio-seaweedfs-build.log" 2>&1 &

vet:
	@test -z "$$(gofmt -l cmd internal web bench 2>/dev/null)" || { echo "gofmt needed:"; gofmt -l cmd internal web bench; exit 1; }
	$(GO) vet $(PKGS)

# lint is gofmt, go vet and staticcheck (pinned as a tool in go.mod; its
# checks are in staticcheck.conf). make test runs it first.
lint: vet
	$(GO) tool staticcheck $(PKGS)

build:
	$(GO) build -o bin/folio ./cmd/folio

run:
	$(GO) run ./cmd/folio serve --demo

# golden rewrites the golden files of rendered pages and feeds; review the diff.
golden:
	$(GO) test ./internal/render/ ./internal/render/feed/ ./internal/render/sitemap/ -update

# bench runs the benchmark harness (bench/run.sh): installs wrk, nginx and
# hugo when missing, builds, generates corpora and writes bench/results/.
# bench-quick is the small version (1k/2k articles, 3 s runs, no 100k).
.PHONY: bench bench-quick
bench:
	bash bench/run.sh

bench-quick:
	BENCH_QUICK=1 bash bench/run.sh

# reliability runs every fuzz target for 60 s (FUZZTIME=...; RELIABILITY_QUICK=1
# for 10 s each), the sign-in throttling and secrets-in-logs checks, and
# prints a table of figures. Plain `make test` replays the committed fuzz
# corpora (testdata/fuzz/) as ordinary tests.
reliability: deps
	bash scripts/reliability.sh

# security runs the checks that an attacker's input cannot run script, reach
# what its role may not, or read secrets: the sanitizer fuzz targets, the
# rendered-XSS and authorization matrix tests, CSRF and secrets in logs, and
# prints a table of figures.
security: deps
	bash scripts/security.sh
