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
sock=${PORTAL_SOCKET:-$PORTAL_DATA/run/portal.sock}
export PORTAL_SOCKET="$sock"

first=0
[ -f "$PORTAL_DATA/portal.db" ] || first=1
bin/portalctl init
if [ "$first" = 1 ] && bin/portalctl help 2>/dev/null | grep -q '^  demo'; then
    bin/portalctl demo >/dev/null    # its sign-ins are listed below, from demo-accounts.txt
fi

scripts/render-nginx.sh "$PORTAL_DATA/nginx/nginx.conf" "$PORT" "$PORTAL_DATA" "$sock"

portal_pid="" nginx_pid=""
stop() {
    trap - INT TERM EXIT
    [ -z "$nginx_pid" ] || kill -TERM "$nginx_pid" 2>/dev/null || true
    [ -z "$portal_pid" ] || kill -TERM "$portal_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    echo "stopped."
}
trap stop INT TERM EXIT

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
if [ -s "$PORTAL_DATA/demo-accounts.txt" ]; then
    echo "  demo sign-ins (email, password, TOTP secret for an authenticator app, organization, partner type, roles):"
    sed 's/^/    /' "$PORTAL_DATA/demo-accounts.txt"
else
    echo "  no demo accounts: use 'Create one' on the sign-in page"
fi
echo "Press Ctrl-C to stop."
wait "$nginx_pid" "$portal_pid"
