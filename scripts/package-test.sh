#!/bin/sh
# The Debian package, built and checked (make package-test; make package = --build-only).
#  1. dpkg-buildpackage -us -uc -b in a clean copy of this tree (tracked and new files, no
#     build products, no node_modules): build/pkg/csp-portal_<version>_amd64.deb;
#  2. lintian: no errors (the summary is printed);
#  3. the .deb's file list and maintainer scripts; mandoc -T lint on its man pages;
#  4. the .deb installed into a throwaway root (an overlay over / in a private mount
#     namespace: writes go to a temp directory, the machine is untouched) with dpkg -i, its
#     maintainer scripts run for real; there: systemd-analyze verify on every unit and
#     systemd-analyze security on the service (the exposure is printed), the portal run as
#     csp-portal behind nginx with the installed site file, portalctl doctor clean, an
#     upgrade (the same .deb again) leaves the data as it was, remove and purge keep it.
# Needs root for step 4 (mount namespace, chroot); without it step 4 is skipped, loudly.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=$ROOT/build/pkg
mode=${1:-all}
W=$(mktemp -d "${TMPDIR:-/tmp}/csp-portal-pkg.XXXXXX")
cleanup() { rm -rf "$W"; }
trap cleanup EXIT INT TERM
fail() { echo "package-test: FAILED: $*" >&2; exit 1; }

# ---- 1. build from a clean copy ----
mkdir -p "$W/src/csp-portal" "$OUT"
git ls-files -co --exclude-standard -z | xargs -0 tar -cf - | tar -xf - -C "$W/src/csp-portal"
echo "package-test: dpkg-buildpackage -us -uc -b (log: build/pkg/build.log)"
if ! (cd "$W/src/csp-portal" && dpkg-buildpackage -us -uc -b) >"$OUT/build.log" 2>&1; then
    tail -40 "$OUT/build.log"
    fail "dpkg-buildpackage"
fi
rm -f "$OUT"/*.deb "$OUT"/*.ddeb "$OUT"/*.changes "$OUT"/*.buildinfo
cp "$W/src"/*.deb "$W/src"/*.changes "$W/src"/*.buildinfo "$OUT/"
cp "$W/src"/*.ddeb "$OUT/" 2>/dev/null || true
deb=$(ls "$OUT"/csp-portal_*_amd64.deb)
version=$(dpkg-deb -f "$deb" Version)
[ "$(basename "$deb")" = "csp-portal_${version}_amd64.deb" ] || fail "unexpected name $(basename "$deb")"
echo "package-test: $(basename "$deb"): $(stat -c %s "$deb") bytes, Installed-Size $(dpkg-deb -f "$deb" Installed-Size) KiB"
[ "$mode" != "--build-only" ] || exit 0

# ---- 2. lintian ----
changes=$(ls "$OUT"/csp-portal_*_amd64.changes)
lintian --info --display-info "$changes" >"$OUT/lintian.txt" 2>&1 || true
errors=$(grep -c '^E: ' "$OUT/lintian.txt" || true)
warnings=$(grep -c '^W: ' "$OUT/lintian.txt" || true)
infos=$(grep -c '^I: ' "$OUT/lintian.txt" || true)
echo "package-test: lintian: $errors errors, $warnings warnings, $infos info (build/pkg/lintian.txt)"
grep -E '^(E|W): ' "$OUT/lintian.txt" | sed 's/^/  /' || true
[ "$errors" -eq 0 ] || fail "lintian reports errors"

# ---- 3. contents, maintainer scripts, man pages ----
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$W/files"
for f in /usr/sbin/portal.fcgi /usr/sbin/portalctl /usr/share/csp-portal/templates/layout.html \
    /usr/share/csp-portal/static/css/portal.css /usr/share/csp-portal/schema/schema.sql \
    /etc/csp-portal/portal.conf /etc/nginx/sites-available/csp-portal \
    /lib/systemd/system/csp-portal.service /lib/systemd/system/csp-portal-backup.service \
    /lib/systemd/system/csp-portal-backup.timer /usr/share/man/man8/portal.fcgi.8.gz \
    /usr/share/man/man8/portalctl.8.gz /usr/share/man/man5/portal.conf.5.gz; do
    grep -qx "$f" "$W/files" || fail "$f is not in the package"
done
! grep -q '^/var/lib/csp-portal' "$W/files" || fail "the package ships files in the data directory"
mkdir "$W/ctl" "$W/x"
dpkg-deb -e "$deb" "$W/ctl"
dpkg-deb -x "$deb" "$W/x"
grep -q 'adduser --system' "$W/ctl/postinst" || fail "postinst does not create the user"
grep -q 'portalctl init' "$W/ctl/postinst" || fail "postinst does not run portalctl init"
! grep -q 'rm -r.*/var/lib/csp-portal' "$W/ctl/postrm" "$W/ctl/prerm" 2>/dev/null || fail "a maintainer script removes the data"
grep -qx '/etc/csp-portal/portal.conf' "$W/ctl/conffiles" || fail "portal.conf is not a conffile"
for m in "$W"/x/usr/share/man/man*/*.gz; do
    mandoc -T lint -W warning "$m" || fail "mandoc -T lint: $m"
done
echo "package-test: contents, maintainer scripts and man pages (mandoc -T lint -W warning) ok"

# ---- 4. the throwaway root ----
if [ "$(id -u)" -ne 0 ]; then
    echo "package-test: SKIPPED installing into a throwaway root: needs root (mount namespace, chroot)"
    exit 0
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir "$W/upper" "$W/work" "$W/root"
cp "$deb" "$W/upper.deb"
cp tests/package/in-root.sh "$W/in-root.sh"
if ! unshare --mount --propagation private sh -c '
    set -e
    W=$1
    mount -t overlay overlay -o "lowerdir=/,upperdir=$W/upper,workdir=$W/work" "$W/root"
    mount -t proc proc "$W/root/proc"
    mount --rbind /dev "$W/root/dev"
    mkdir -p "$W/root/tmp/pkgtest"
    cp "$W/upper.deb" "$W/in-root.sh" "$W/root/tmp/pkgtest/"
    exec chroot "$W/root" /bin/sh /tmp/pkgtest/in-root.sh /tmp/pkgtest/upper.deb "$2"
' sh "$W" "$port" 2>&1 | tee "$OUT/in-root.log"; then
    fail "in the throwaway root (build/pkg/in-root.log)"
fi
grep -q '^in-root: all checks passed$' "$OUT/in-root.log" || fail "in the throwaway root (build/pkg/in-root.log)"
echo "package-test: all checks passed"
