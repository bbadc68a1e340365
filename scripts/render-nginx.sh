#!/bin/sh
# Renders nginx.conf for a local run: render-nginx.sh OUT PORT DATA_DIR SOCKET [ACCESS_LOG]
# (NGINX_UPSTREAM="ADDR ..." instead of SOCKET: an upstream of several portal nodes.)
# Creates OUT's directory with the temp/log/run folders nginx needs.
#
# When nginx starts as root, its workers switch to NGINX_USER (default www-data) and its
# group; they must then reach the socket (PORTAL_SOCKET_GROUP, a directory they may search),
# nginx's temp folders (NGINX_TMP, default OUT's directory/tmp) and the static files
# (NGINX_ROOT, default this checkout, served from its static/). scripts/run.sh arranges all
# three for make run. Not as root, the workers stay the invoking user and no user line is
# written.
#
# The installed site file (/etc/nginx/sites-available/csp-portal, make install):
#   render-nginx.sh --site OUT LISTEN ROOT SOCKET ACCESS_LOG
# writes only the part of nginx.conf between its "site file" lines (maps, log format,
# upstream, server), for the http block of Debian's /etc/nginx/nginx.conf; LISTEN as in
# nginx's listen (80, 127.0.0.1:8080), ROOT the directory holding static/.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
max_body=${PORTAL_MAX_BODY:-65536}
if [ "${1:-}" = "--site" ]; then
    [ $# -eq 6 ] || { echo "usage: render-nginx.sh --site OUT LISTEN ROOT SOCKET ACCESS_LOG" >&2; exit 2; }
    out=$2 listen=$3 site_root=$4 sock=$5 access=$6
    [ "$access" = off ] || access="$access csp_portal"
    sed -n '/# ---- site file begins/,/# ---- site file ends/p' "$root/nginx.conf" |
        sed -e 's/^    //' \
            -e "s|@ACCESS_LOG@|$access|g" -e "s|@MAX_BODY@|$max_body|g" \
            -e "s|@UPSTREAM_SERVERS@|server unix:$sock;|" -e "s|@LISTEN@|$listen|g" -e "s|@ROOT@|$site_root|g" > "$out.tmp"
    { echo "# csp-portal's nginx site: rendered from the portal's nginx.conf (render-nginx.sh --site)."
      echo "# Enable: ln -s ../sites-available/csp-portal /etc/nginx/sites-enabled/ (and remove"
      echo "# sites-enabled/default, which takes port 80), then nginx -t && systemctl reload nginx."
      cat "$out.tmp"; } > "$out"
    rm -f "$out.tmp"
    exit 0
fi
out=$1 port=$2 data=$3 sock=$4 access=${5:-}
dir=$(dirname "$out")
tmp=${NGINX_TMP:-$dir/tmp}
mkdir -p "$tmp" "$dir/log" "$dir/run"
[ -n "$access" ] || access="$dir/log/nginx-access.log"
[ "$access" = off ] || access="$access csp_portal"	# the log_format without query strings
user_line=""
if [ "$(id -u)" -eq 0 ]; then
    nginx_user=${NGINX_USER:-www-data}
    nginx_group=$(id -gn "$nginx_user" 2>/dev/null) || { echo "render-nginx: no user $nginx_user (NGINX_USER)" >&2; exit 1; }
    user_line="user $nginx_user $nginx_group;"
fi
# The upstream's servers: the one socket, or NGINX_UPSTREAM's addresses (several nodes:
# "unix:/path/a.sock 127.0.0.1:9001 ..."), one server line each.
servers="server unix:$sock;"
if [ -n "${NGINX_UPSTREAM:-}" ]; then
    servers=""
    for addr in $NGINX_UPSTREAM; do
        case $addr in
            *[!A-Za-z0-9_./:\[\]-]*) echo "render-nginx: bad upstream address $addr (NGINX_UPSTREAM)" >&2; exit 1 ;;
        esac
        servers="$servers${servers:+ }server $addr max_fails=1 fail_timeout=5s;"
    done
fi
sed -e "s|@USER_LINE@|$user_line|" \
    -e "s|@RUNDIR@|$dir/run|g" -e "s|@LOGDIR@|$dir/log|g" -e "s|@TMPDIR@|$tmp|g" \
    -e "s|@ACCESS_LOG@|$access|g" -e "s|@MAX_BODY@|$max_body|g" \
    -e "s|@UPSTREAM_SERVERS@|$servers|" -e "s|@LISTEN@|127.0.0.1:$port|g" -e "s|@ROOT@|${NGINX_ROOT:-$root}|g" \
    "$root/nginx.conf" > "$out"
