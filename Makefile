# Folio: `make test` installs what the tests need and runs them all.
GO ?= go
PKGS ?= ./...

.PHONY: test deps vet run build golden lint

test: deps vet
	$(GO) test -race -count=1 -timeout 20m $(PKGS)
	# Property tests run their full length without the race detector, which
	# slows the pure-Go SQLite driver too much for long sequences.
	$(GO) test -count=1 -run Property ./internal/...

# deps installs the tools the tests need. Today that is the Go toolchain's
# own module download; system packages join here as features need them.
deps:
	$(GO) mod download

vet:
	@test -z "$$(gofmt -l cmd internal web bench 2>/dev/null)" || { echo "gofmt needed:"; gofmt -l cmd internal web bench; exit 1; }
	$(GO) vet $(PKGS)

build:
	$(GO) build -o bin/folio ./cmd/folio

run:
	$(GO) run ./cmd/folio serve --demo

# golden rewrites the golden files of rendered pages and feeds; review the diff.
golden:
	$(GO) test ./internal/render/... -update
