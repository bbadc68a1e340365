#!/bin/sh
# bench/run.sh — the numbers issue 2 asks for, measured through real nginx:
#   requests/s and p99 of the sign-in page and of the signed-in overview (wrk -t2 -c32 -d10s),
#   RSS of the portal's worker process after 100,000 requests, time of one password hash;
#   and a saturation run (a mix of pages, 64 connections, SATURATE=60s) that must end with
#   zero 5xx, zero socket errors and no memory growth.
# Writes bench/results/<date>.md and prints it. Needs wrk (scripts/install-deps.sh).
set -eu
cd "$(dirname "$0")/.."
DUR=${DUR:-10s}
CONN=${CONN:-32}
THREADS=${PORTAL_THREADS:-8}
work=$(mktemp -d /tmp/csp-bench.XXXXXX)
. bench/lib.sh
port=$(free_port)
base="http://127.0.0.1:$port"
export PORTAL_DATA="$work" PORTAL_BASE_URL="$base" PORTAL_THREADS="$THREADS"
export PORTAL_SOCKET="$work/run/portal.sock"

portal_pid="" nginx_pid=""
cleanup() {
    [ -z "$nginx_pid" ] || kill -TERM "$nginx_pid" 2>/dev/null || true
    [ -z "$portal_pid" ] || kill -TERM "$portal_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

bin/portalctl init >/dev/null
# A new installation requires multi-factor sign-in; the benchmarks measure password-only
# sessions (trees from before the command ignore it).
bin/portalctl security require-mfa off >/dev/null
scripts/render-nginx.sh "$work/nginx/nginx.conf" "$port" "$work" "$PORTAL_SOCKET" off
cgi-bin/portal.fcgi 2>"$work/portal.log" &
portal_pid=$!
while [ ! -S "$PORTAL_SOCKET" ]; do sleep 0.05; done
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
until curl -sf "$base/healthz" >/dev/null; do sleep 0.05; done

# A signed-in user: Create one through the real form.
sid=$(bench_signup "$base" "$work/jar" "$work")
[ -n "$sid" ] || { echo "bench: could not sign up" >&2; exit 1; }
curl -s -b "sid=$sid" "$base/" | grep -q "Bench Admin" || { echo "bench: not signed in" >&2; exit 1; }

worker=$(cat /proc/$portal_pid/task/$portal_pid/children | awk '{print $1}')
run_wrk() { # label, path, [cookie]
    if [ -n "${3:-}" ]; then
        wrk -t2 -c"$CONN" -d"$DUR" --latency -H "Cookie: sid=$3" "$base$2" > "$work/wrk.out"
    else
        wrk -t2 -c"$CONN" -d"$DUR" --latency "$base$2" > "$work/wrk.out"
    fi
    rps=$(awk '/^Requests\/sec/{print $2}' "$work/wrk.out")
    p50=$(awk '$1=="50%"{print $2}' "$work/wrk.out")
    p99=$(awk '$1=="99%"{print $2}' "$work/wrk.out")
    total=$(awk '/requests in/{print $1}' "$work/wrk.out")
    non2xx=$(awk '/Non-2xx/{print $NF}' "$work/wrk.out")
    errs=$(awk '/Socket errors/{print}' "$work/wrk.out")
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$rps" "$p50" "$p99" "$total" "${non2xx:-0}" "${errs:-none}" >> "$work/table"
}
rss_kb() { awk '/^VmRSS/{print $2}' /proc/$worker/status; }
: > "$work/table"
rss_start=$(rss_kb)
run_wrk "GET /signin (signed out)" /signin
run_wrk "GET / (signed in: session + page)" / "$sid"
# Top up to at least 100,000 requests in total, then read the worker's RSS.
served=$(grep -c ' 200 ' "$work/portal.log" || true)
while [ "$served" -lt 100000 ]; do
    wrk -t2 -c"$CONN" -d5s -H "Cookie: sid=$sid" "$base/" >/dev/null
    served=$(grep -c ' 200 ' "$work/portal.log" || true)
done
rss_end=$(rss_kb)
# Saturation (SECURITY-CHECKS 33): a mix of pages at 64 connections for SATURATE (60s);
# zero 5xx and zero socket errors expected, and the worker's memory must not grow.
SATURATE=${SATURATE:-60s}
# A first pass warms every page's caches (SQLite pages, arena blocks); the measured pass must
# then leave the worker's RSS where the warm-up left it.
wrk -t2 -c64 -d"${WARMUP:-20s}" -s bench/mix.lua -H "Cookie: sid=$sid" "$base/" > /dev/null
rss_warm=$(rss_kb)
wrk -t2 -c64 -d"$SATURATE" -s bench/mix.lua -H "Cookie: sid=$sid" "$base/" > "$work/sat.out"
sat_rps=$(awk '/^Requests\/sec/{print $2}' "$work/sat.out")
sat_total=$(awk '/requests in/{print $1}' "$work/sat.out")
sat_bad=$(awk '/Non-2xx/{print $NF}' "$work/sat.out")
sat_errs=$(awk '/Socket errors/{print}' "$work/sat.out")
rss_sat=$(rss_kb)
hash_ms=$(bench/pwhash 9)
fails=$(grep -cE ' 5[0-9][0-9] ' "$work/portal.log" || true)

mkdir -p bench/results
out="bench/results/$(date -u +%Y-%m-%d).md"
{
    echo "# Benchmark $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Machine: $(nproc) cores, $(uname -r); nginx $(nginx -v 2>&1 | sed 's/.*\///'), SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1), portal threads: $THREADS, keep_conn off, 1 nginx worker."
    echo "Load: wrk -t2 -c$CONN -d$DUR through nginx on 127.0.0.1 (same machine)."
    echo
    echo "| request | req/s | p50 | p99 | requests | non-2xx | socket errors |"
    echo "|---|---|---|---|---|---|---|"
    cat "$work/table"
    echo
    echo "- portal worker RSS: ${rss_start} KiB at start, ${rss_end} KiB after ${served} requests answered 200"
    echo "- saturation: wrk -t2 -c64 -d$SATURATE over a mix of six pages: ${sat_rps} req/s, ${sat_total} requests, non-2xx/3xx: ${sat_bad:-0}, socket errors: ${sat_errs:-none}; worker RSS ${rss_warm} KiB after a ${WARMUP:-20s} warm-up of the same mix, ${rss_sat} KiB after the measured run"
    echo "- 5xx answers in the portal log: ${fails}"
    echo "- one password hash (Argon2id, crypto_pwhash_str, interactive limits): ${hash_ms} ms (median of 9)"
} > "$out"
cat "$out"
