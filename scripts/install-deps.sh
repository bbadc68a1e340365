#!/bin/sh
# Installs what csp-portal needs to build, run and test on Debian 12, and nothing
# that is already there. Safe to run again. Needs root (or sudo) only when
# something is missing.
#   scripts/install-deps.sh          build + run + test dependencies
#   scripts/install-deps.sh --run    only what `make run` needs
#   scripts/install-deps.sh --bench  what `make bench` needs besides the build: wrk, curl, valgrind
#                                    and the PHP peer (PHP-FPM 8.2 + PDO-SQLite); only make bench asks
#   scripts/install-deps.sh --package  what make package / package-test need besides the
#                                    build: debhelper, dpkg-dev, fakeroot, lintian, mandoc,
#                                    systemd (systemd-analyze), nginx-light, openssl
set -eu

run_pkgs="gcc make pkg-config libc6-dev libfcgi-dev libsqlite3-dev libpq-dev libsodium-dev liboath-dev libqrencode-dev libjansson-dev libcurl4-openssl-dev libicu-dev nginx-light"
# issue 18: msgfmt/xgettext build the message catalogs (po/); locales-all has glibc's compiled
# pl_PL, ru_RU and sv_SE locales that uselocale needs (without them a language stays English).
run_pkgs="$run_pkgs gettext locales-all"
# postgresql-15: make test-pg starts its own servers from /usr/lib/postgresql/15/bin (the
# package's system service is never started by the tests).
test_pkgs="check clang libclang-rt-14-dev chromium wrk curl sqlite3 postgresql-15"
package_pkgs="debhelper dpkg-dev fakeroot lintian mandoc systemd openssl"
pkgs="$run_pkgs"
[ "${1:-}" = "--run" ] || [ "${1:-}" = "--package" ] || pkgs="$run_pkgs $test_pkgs"
# The benchmark's peer: PHP-FPM started as an ordinary process by bench/side.sh (never the service).
[ "${1:-}" != "--bench" ] || pkgs="$run_pkgs wrk curl valgrind php8.2-fpm php8.2-cli php8.2-sqlite3 python3"
[ "${1:-}" != "--package" ] || pkgs="$run_pkgs $package_pkgs"
command -v node >/dev/null 2>&1 || [ "${1:-}" = "--run" ] || [ "${1:-}" = "--bench" ] || [ "${1:-}" = "--package" ] || pkgs="$pkgs nodejs npm"

missing=""
for p in $pkgs; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$st" in *" installed") ;; *) missing="$missing $p" ;; esac
done

if [ -n "$missing" ]; then
    echo "install-deps: installing$missing"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    # nginx's package scripts try to start the system service; keep them from it.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
        $sudo chmod 755 /usr/sbin/policy-rc.d
        cleanup_policy=1
    fi
    $sudo apt-get install -y -qq --no-install-recommends $missing
    [ -z "${cleanup_policy:-}" ] || $sudo rm -f /usr/sbin/policy-rc.d
fi

# Browser tests drive Debian's chromium through playwright-core (never a downloaded browser);
# the crawl (tests/e2e/crawl.test.mjs) injects axe-core's source into each page; the OpenAPI
# document is validated with @seriousme/openapi-schema-validator (tests/integration/api-openapi.test.mjs);
# both crawls validate each page's HTML with html-validate (tests/lib/html-check.mjs).
if [ "${1:-}" != "--run" ] && [ "${1:-}" != "--bench" ] && [ "${1:-}" != "--package" ] && { [ ! -d node_modules/playwright-core ] || [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -d node_modules/@seriousme/openapi-schema-validator ] || [ ! -d node_modules/html-validate ]; }; then
    echo "install-deps: npm ci (playwright-core, axe-core, the OpenAPI and HTML validators)"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent
fi
