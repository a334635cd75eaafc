#!/usr/bin/env bash
# Installs the programs the tests drive for real: Chromium for browser tests,
# the Apertium engine and language pairs for machine translation, and fonts
# so right-to-left pages render in screenshots. Mail tests build mailpit from
# the Go module cache (a tool in go.mod), so it needs nothing here.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v apertium >/dev/null 2>&1 || need+=(apertium)
for pair in apertium-eng-spa apertium-eng-cat; do
	dpkg -s "$pair" >/dev/null 2>&1 || need+=("$pair")
done
for font in fonts-noto-core fonts-dejavu-core; do
	dpkg -s "$font" >/dev/null 2>&1 || need+=("$font")
done

if [ ${#need[@]} -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
	echo "test-deps: missing ${need[*]}; install them to run every test" >&2
	# On a laptop the affected tests skip; under CI=true they fail.
	exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "test-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
