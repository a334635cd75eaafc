#!/usr/bin/env bash
# Builds the pinned SeaweedFS `weed` binary that the S3 media tests run, once
# per machine, into $FOLIO_TEST_CACHE or ~/.cache/folio-test (see
# internal/testutil/seaweed.go, which builds it itself when missing and
# waits for a build in progress). `make deps` starts it in the background so
# the build overlaps the other tests.
set -euo pipefail
cd "$(dirname "$0")/.."
exec go test -count=1 -run TestBuildWeed ./internal/testutil
