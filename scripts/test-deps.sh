#!/usr/bin/env bash
# Installs the programs the tests drive for real: Chromium for browser tests,
# pdftoppm (poppler-utils) for PDF thumbnails, the Apertium engine and language pairs for machine translation, fonts so
# right-to-left pages render in screenshots, and the PostgreSQL server
# binaries (the tests start a throwaway cluster with them, unless
# FOLIO_TEST_POSTGRES_URL names a server). Mail tests build mailpit from
# the Go module cache (a tool in go.mod), so it needs nothing here.
set -euo pipefail

# The Nu Html Checker (vnu.jar, from npm's vnu-jar package) validates the
# republish HTML; it goes to the user cache, where the tests look for it.
vnu_jar="${FOLIO_VNU_JAR:-${XDG_CACHE_HOME:-$HOME/.cache}/folio/vnu.jar}"
if [ ! -s "$vnu_jar" ] && command -v npm >/dev/null 2>&1; then
	tmp=$(mktemp -d)
	if (cd "$tmp" && npm pack --silent vnu-jar@26.9.27 >/dev/null && tar xzf vnu-jar-26.9.27.tgz); then
		mkdir -p "$(dirname "$vnu_jar")" && cp "$tmp/package/build/dist/vnu.jar" "$vnu_jar"
	else
		echo "test-deps: could not fetch vnu-jar from npm" >&2
	fi
	rm -rf "$tmp"
fi

# axe-core (npm) checks pages for WCAG A/AA failures in headless Chromium;
# it goes to the user cache, where internal/testutil looks for it. Keep the
# version in step with testutil.AxeVersion (the folder is named by it).
axe_version=4.14.1
axe_dir="${XDG_CACHE_HOME:-$HOME/.cache}/folio-test/axe-core-$axe_version"
if [ ! -s "$axe_dir/node_modules/axe-core/axe.min.js" ] && command -v npm >/dev/null 2>&1; then
	npm install --silent --no-audit --no-fund --prefix "$axe_dir" "axe-core@$axe_version" >/dev/null ||
		echo "test-deps: could not fetch axe-core from npm" >&2
fi

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless) # runs vnu.jar
command -v apertium >/dev/null 2>&1 || need+=(apertium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils) # PDF first-page thumbnails (internal/media)
# Every English pair Debian ships (internal/translate tests each one).
for pair in apertium-eng-spa apertium-eng-cat apertium-en-gl apertium-eu-en \
	apertium-hbs-eng apertium-isl-eng apertium-mkd-eng apertium-eo-en; do
	dpkg -s "$pair" >/dev/null 2>&1 || need+=("$pair")
done
if [ -z "${FOLIO_TEST_POSTGRES_URL:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
	need+=(postgresql-15)
fi
# Noto for every script the 51 interface languages use (Arabic, Hebrew,
# Devanagari, Bengali, Thai, Armenian, ... in core; Chinese, Japanese and
# Korean in CJK), so browser layout checks and screenshots are real.
for font in fonts-noto-core fonts-noto-cjk fonts-dejavu-core; do
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
if [[ " ${need[*]} " == *" postgresql-15 "* ]]; then
	# The tests run their own throwaway cluster; the package's default
	# cluster would only be a server left running.
	$SUDO mkdir -p /etc/postgresql-common
	[ -e /etc/postgresql-common/createcluster.conf ] || echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
