#!/bin/sh
# Runs inside the throwaway root of scripts/package-test.sh (an overlay over /, chrooted):
#   in-root.sh DEB PORT
# Installs the package with dpkg -i (its maintainer scripts run for real; systemd is not
# running, so deb-systemd-invoke starts nothing), checks what the postinst made, verifies
# the units, starts the portal as systemd would (user csp-portal, group www-data added,
# the runtime directory) behind nginx with the installed site file, runs portalctl doctor,
# upgrades and removes the package and checks the data survives. The last line is
# "in-root: all checks passed" or the script fails.
set -eu
deb=$1 port=$2
fail() { echo "in-root: FAILED: $*" >&2; exit 1; }
portal_pid="" nginx_pid=""
stop() {
    [ -z "$nginx_pid" ] || kill -TERM "$nginx_pid" 2>/dev/null || true
    [ -z "$portal_pid" ] || kill -TERM "$portal_pid" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap stop EXIT

# Whatever the machine had: the throwaway root starts without the package, its user or data.
if dpkg -s csp-portal >/dev/null 2>&1; then dpkg -P csp-portal >/dev/null; fi
rm -rf /var/lib/csp-portal /etc/csp-portal /run/csp-portal
! getent passwd csp-portal >/dev/null || userdel csp-portal
! getent group csp-portal >/dev/null || groupdel csp-portal

echo "in-root: dpkg -i $(basename "$deb")"
DEBIAN_FRONTEND=noninteractive dpkg -i "$deb"
getent passwd csp-portal >/dev/null || fail "no user csp-portal"
[ "$(getent passwd csp-portal | cut -d: -f7)" = /usr/sbin/nologin ] || fail "csp-portal has a login shell"
[ "$(stat -c '%U %a' /var/lib/csp-portal)" = "csp-portal 700" ] || fail "data directory: $(stat -c '%U %a' /var/lib/csp-portal)"
[ "$(stat -c '%U %a' /var/lib/csp-portal/secret.keys)" = "csp-portal 600" ] || fail "key file: $(stat -c '%U %a' /var/lib/csp-portal/secret.keys)"
[ "$(stat -c '%U' /var/lib/csp-portal/portal.db)" = "csp-portal" ] || fail "database owner"
[ -L /etc/systemd/system/multi-user.target.wants/csp-portal.service ] || fail "csp-portal.service not enabled"
[ -L /etc/systemd/system/timers.target.wants/csp-portal-backup.timer ] || fail "csp-portal-backup.timer not enabled"
echo "in-root: user, data directory (0700), key file (0600), database, enabled units: ok"

# ---- units ----
systemd-analyze verify /lib/systemd/system/csp-portal.service /lib/systemd/system/csp-portal-backup.service \
    /lib/systemd/system/csp-portal-backup.timer || fail "systemd-analyze verify"
echo "in-root: systemd-analyze verify: ok (3 units)"
systemd-analyze security --offline=yes --no-pager /lib/systemd/system/csp-portal.service >/tmp/pkgtest/security.txt 2>&1 || true
exposure=$(sed -n 's/.*Overall exposure level for csp-portal.service: \([0-9.]*\) \([A-Z]*\).*/\1 \2/p' /tmp/pkgtest/security.txt)
echo "in-root: systemd-analyze security csp-portal.service: exposure $exposure"
case "$exposure" in
    *" OK"|*" SAFE"|*" PERFECT") ;;
    *) cat /tmp/pkgtest/security.txt; fail "exposure not OK or better: $exposure" ;;
esac

# ---- run it as systemd would: ExecStart as csp-portal with www-data added, settings from
# /etc/csp-portal/portal.conf (the package's), the runtime directory ----
install -d -m 0755 -o csp-portal -g csp-portal /run/csp-portal
(cd / && umask 077 && exec setpriv --reuid=csp-portal --regid=csp-portal --groups="$(getent group www-data | cut -d: -f3)" \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin /usr/sbin/portal.fcgi) 2>/tmp/pkgtest/portal.log &
portal_pid=$!
i=0
while [ ! -S /run/csp-portal/portal.sock ]; do
    i=$((i + 1)); [ $i -lt 100 ] && kill -0 "$portal_pid" 2>/dev/null || { cat /tmp/pkgtest/portal.log; fail "portal.fcgi did not start"; }
    sleep 0.1
done
[ "$(stat -c '%U %G %a' /run/csp-portal/portal.sock)" = "csp-portal www-data 660" ] || fail "socket: $(stat -c '%U %G %a' /run/csp-portal/portal.sock)"
# nginx as Debian's: workers as www-data, the installed site file (on a free port here).
mkdir -p /tmp/pkgtest/nginx
sed "s|listen 80;|listen 127.0.0.1:$port;|" /etc/nginx/sites-available/csp-portal >/tmp/pkgtest/nginx/site
cat >/tmp/pkgtest/nginx/nginx.conf <<EOF
user www-data;
worker_processes 1;
pid /tmp/pkgtest/nginx/nginx.pid;
error_log /tmp/pkgtest/nginx/error.log;
events { worker_connections 64; }
http {
    sendfile on;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    gzip on;
    access_log /tmp/pkgtest/nginx/access-default.log;
    include /tmp/pkgtest/nginx/site;
}
EOF
nginx -t -c /tmp/pkgtest/nginx/nginx.conf 2>/dev/null || { nginx -t -c /tmp/pkgtest/nginx/nginx.conf; fail "nginx -t with the site file"; }
nginx -c /tmp/pkgtest/nginx/nginx.conf -g 'daemon off;' &
nginx_pid=$!
sleep 0.5
code=$(curl -s -o /tmp/pkgtest/signin.html -D /tmp/pkgtest/signin.hdr -w '%{http_code}' "http://127.0.0.1:$port/signin")
[ "$code" = 200 ] || { cat /tmp/pkgtest/portal.log /tmp/pkgtest/nginx/error.log; fail "GET /signin: $code"; }
grep -q 'name="password"' /tmp/pkgtest/signin.html || fail "the sign-in page has no password field"
code=$(curl -s -o /dev/null -D /tmp/pkgtest/static.hdr -w '%{http_code}' "http://127.0.0.1:$port/static/css/portal.css")
[ "$code" = 200 ] || fail "GET /static/css/portal.css: $code"
curl -s -o /dev/null -D /tmp/pkgtest/404.hdr "http://127.0.0.1:$port/static/nope.css"
for h in Content-Security-Policy X-Content-Type-Options X-Frame-Options Referrer-Policy X-Request-Id; do
    grep -qi "^$h:" /tmp/pkgtest/404.hdr || fail "nginx's own 404 lacks $h"
done
echo "in-root: portal.fcgi as csp-portal behind nginx (workers www-data, the installed site): /signin 200, static 200, nginx's 404 with the security headers"

# ---- portalctl doctor, and the backup the timer runs ----
setpriv --reuid=csp-portal --regid=csp-portal --clear-groups /usr/sbin/portalctl backup --dir /var/lib/csp-portal/backups --keep 2 >/dev/null \
    || fail "portalctl backup as csp-portal"
/usr/sbin/portalctl doctor --nginx-user www-data >/tmp/pkgtest/doctor.txt 2>&1 || { cat /tmp/pkgtest/doctor.txt; fail "portalctl doctor"; }
echo "in-root: portalctl doctor: $(tail -1 /tmp/pkgtest/doctor.txt); backup as csp-portal: ok"
stop
portal_pid="" nginx_pid=""

# ---- upgrade (the same version again), remove, purge: the data stays as it was ----
sum() { sha256sum /var/lib/csp-portal/portal.db /var/lib/csp-portal/secret.keys | cut -d' ' -f1 | tr '\n' ' '; }
before=$(sum)
DEBIAN_FRONTEND=noninteractive dpkg -i "$deb" >/dev/null
[ "$(sum)" = "$before" ] || fail "the upgrade changed the data"
dpkg -r csp-portal >/dev/null
[ ! -e /usr/sbin/portal.fcgi ] || fail "remove left the program"
[ "$(sum)" = "$before" ] || fail "remove changed the data"
dpkg -P csp-portal >/dev/null 2>&1
[ ! -e /etc/csp-portal/portal.conf ] || fail "purge left portal.conf"
[ "$(sum)" = "$before" ] || fail "purge changed the data"
getent passwd csp-portal >/dev/null || fail "purge removed the user (data would be orphaned)"
echo "in-root: upgrade, remove and purge kept the data (database and keys unchanged)"
echo "in-root: all checks passed"
