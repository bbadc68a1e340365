#!/bin/sh
# Renders nginx.conf for a local run: render-nginx.sh OUT PORT DATA_DIR SOCKET [ACCESS_LOG]
# Creates OUT's directory with the temp/log/run folders nginx needs.
set -eu
out=$1 port=$2 data=$3 sock=$4 access=${5:-}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(dirname "$out")
mkdir -p "$dir/tmp" "$dir/log" "$dir/run"
[ -n "$access" ] || access="$dir/log/nginx-access.log"
[ "$access" = off ] || access="$access portal"	# the log_format without query strings
# As root, nginx's workers would switch to "nobody", who cannot reach a socket of mode
# 0660 or a checkout in a private directory; the local copy keeps the invoking user.
user_line=""
if [ "$(id -u)" -eq 0 ]; then user_line="user root $(id -gn);"; fi
max_body=${PORTAL_MAX_BODY:-65536}
sed -e "s|@USER_LINE@|$user_line|" \
    -e "s|@RUNDIR@|$dir/run|g" -e "s|@LOGDIR@|$dir/log|g" -e "s|@TMPDIR@|$dir/tmp|g" \
    -e "s|@ACCESS_LOG@|$access|g" -e "s|@MAX_BODY@|$max_body|g" \
    -e "s|@SOCKET@|$sock|g" -e "s|@LISTEN@|127.0.0.1:$port|g" -e "s|@ROOT@|$root|g" \
    "$root/nginx.conf" > "$out"
