#!/bin/sh
# make run: initializes var/ (database, keys, mail spool; the demo world on first start),
# starts portal.fcgi and nginx in the foreground, prints the address and the demo
# sign-ins, and stops both on Ctrl-C or SIGTERM.
set -eu
cd "$(dirname "$0")/.."
PORT=${PORT:-8080}
mkdir -p "${PORTAL_DATA:-var}"
PORTAL_DATA=$(cd "${PORTAL_DATA:-var}" && pwd)
PORTAL_BASE_URL=${PORTAL_BASE_URL:-http://127.0.0.1:$PORT}
export PORTAL_DATA PORTAL_BASE_URL

# As root, nginx's workers run as www-data (NGINX_USER), never as root: the 0660 socket is
# then what separates them from the portal. They reach only a directory of their own (the
# socket, nginx's temp files, and a copy of static/ when www-data cannot read this checkout);
# the data directory (database, keys, mail) is made private to root. Not as root, everything
# runs as the invoking user and the socket stays in <data>/run.
rt=""
portal_pid="" nginx_pid=""
stop() {
    trap - INT TERM EXIT
    [ -z "$nginx_pid" ] || kill -TERM "$nginx_pid" 2>/dev/null || true
    [ -z "$portal_pid" ] || kill -TERM "$portal_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    [ -z "$rt" ] || rm -rf "$rt"
    echo "stopped."
}
trap stop INT TERM EXIT
if [ "$(id -u)" -eq 0 ]; then
    NGINX_USER=${NGINX_USER:-www-data}
    id "$NGINX_USER" >/dev/null 2>&1 || { echo "no user $NGINX_USER for nginx's workers (set NGINX_USER)" >&2; exit 1; }
    PORTAL_SOCKET_GROUP=${PORTAL_SOCKET_GROUP:-$(id -gn "$NGINX_USER")}
    export NGINX_USER PORTAL_SOCKET_GROUP
    chmod go-rwx "$PORTAL_DATA"
    rt=$(mktemp -d "${TMPDIR:-/tmp}/csp-portal-run.XXXXXX")
    chgrp "$PORTAL_SOCKET_GROUP" "$rt"
    chmod 0710 "$rt"                    # the group may pass through, not list
    mkdir -m 0711 "$rt/nginx-tmp"       # nginx gives its temp folders to the workers
    NGINX_TMP=$rt/nginx-tmp
    export NGINX_TMP
    if ! setpriv --reuid="$NGINX_USER" --regid="$PORTAL_SOCKET_GROUP" --clear-groups \
            test -r "$PWD/static/css/portal.css"; then
        echo "($NGINX_USER cannot read $PWD/static: serving a copy of it)"
        mkdir -m 0711 "$rt/root"
        cp -R static "$rt/root/static"
        chmod -R go+rX,go-w "$rt/root/static"
        NGINX_ROOT=$rt/root
        export NGINX_ROOT
    fi
    sock=${PORTAL_SOCKET:-$rt/portal.sock}
else
    sock=${PORTAL_SOCKET:-$PORTAL_DATA/run/portal.sock}
fi
export PORTAL_SOCKET="$sock"

first=0
[ -f "$PORTAL_DATA/portal.db" ] || first=1
bin/portalctl init
if [ "$first" = 1 ] && bin/portalctl help 2>/dev/null | grep -q '^  demo'; then
    bin/portalctl demo >/dev/null    # its sign-ins are listed below, from demo-accounts.txt
fi

scripts/render-nginx.sh "$PORTAL_DATA/nginx/nginx.conf" "$PORT" "$PORTAL_DATA" "$sock"

cgi-bin/portal.fcgi 2>>"$PORTAL_DATA/portal.log" &
portal_pid=$!
i=0
while [ ! -S "$sock" ]; do
    i=$((i + 1))
    if [ $i -gt 100 ] || ! kill -0 "$portal_pid" 2>/dev/null; then
        echo "portal.fcgi did not start; see $PORTAL_DATA/portal.log" >&2
        tail -5 "$PORTAL_DATA/portal.log" >&2
        exit 1
    fi
    sleep 0.1
done
nginx -p "$PORTAL_DATA/nginx" -c "$PORTAL_DATA/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
sleep 0.3
kill -0 "$nginx_pid" 2>/dev/null || { echo "nginx did not start; see $PORTAL_DATA/nginx/log/nginx-error.log" >&2; exit 1; }

echo
echo "csp-portal is running at http://127.0.0.1:$PORT"
echo "  data: $PORTAL_DATA   mail: $PORTAL_DATA/mail/*.eml   log: $PORTAL_DATA/portal.log"
echo "  socket: $sock   nginx's workers: $(if [ -n "$rt" ]; then echo "$NGINX_USER"; else id -un; fi)"
if [ -s "$PORTAL_DATA/demo-accounts.txt" ]; then
    echo "  demo sign-ins (email, password, TOTP secret for an authenticator app, organization, partner type, roles):"
    sed 's/^/    /' "$PORTAL_DATA/demo-accounts.txt"
else
    echo "  no demo accounts: use 'Create one' on the sign-in page"
fi
echo "Press Ctrl-C to stop."
wait "$nginx_pid" "$portal_pid"
