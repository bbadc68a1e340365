#!/bin/sh
# bench/engines.sh — the same build on both engines in one run (issue 11): for SQLite and then
# PostgreSQL 15 (a server of its own, started here from /usr/lib/postgresql/15/bin with its
# durable defaults — fsync and synchronous_commit on, as SQLite's synchronous=FULL — on a
# unix socket in a temp directory, never the system service), a portal + nginx with a
# signed-in user, and wrk -t2 -cCONN -dDUR on
#   GET /                              the signed-in overview (session lookup + page)
#   POST /account/sessions/end-others  a writing POST: one write transaction (a DELETE and an
#                                      audit row; on PostgreSQL under the advisory write lock)
# Writes bench/results/<date>-engines.md and prints it. ENGINES="sqlite postgres" by default.
set -eu
cd "$(dirname "$0")/.."
DUR=${DUR:-10s}
CONN=${CONN:-32}
THREADS=${PORTAL_THREADS:-8}
PGBIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
ENGINES=${ENGINES:-sqlite postgres}
. bench/lib.sh
work=$(mktemp -d /tmp/csp-engines.XXXXXX)
chmod 755 "$work"
pids="" pg_pid=""
cleanup() {
    for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
    [ -z "$pg_pid" ] || kill -INT "$pg_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# pg_start DIR: initdb into DIR/data and start postgres there (as nobody when run as root:
# PostgreSQL refuses root); sets PORTAL_DB to a new database "bench" and pg_pid.
pg_start() {
    _d=$1
    mkdir -p "$_d"
    _as=""
    if [ "$(id -u)" -eq 0 ]; then
        chown nobody:nogroup "$_d"
        _as="setpriv --reuid=nobody --regid=nogroup --clear-groups"
    fi
    $_as "$PGBIN/initdb" -D "$_d/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null
    _port=$(free_port)
    $_as "$PGBIN/postgres" -D "$_d/data" -k "$_d" -p "$_port" -c listen_addresses=127.0.0.1 >"$work/postgres.log" 2>&1 &
    pg_pid=$!
    _admin="host=$_d port=$_port user=postgres dbname=postgres"
    until "$PGBIN/psql" -X -q -d "$_admin" -c 'SELECT 1' >/dev/null 2>&1; do sleep 0.1; done
    "$PGBIN/psql" -X -q -d "$_admin" -c 'CREATE DATABASE bench' >/dev/null
    PORTAL_DB="host=$_d port=$_port user=postgres dbname=bench"
    export PORTAL_DB
}

row() { # engine, label, wrk output file
    rps=$(awk '/^Requests\/sec/{print $2}' "$3")
    p50=$(awk '$1=="50%"{print $2}' "$3")
    p99=$(awk '$1=="99%"{print $2}' "$3")
    total=$(awk '/requests in/{print $1}' "$3")
    bad=$(awk '/Non-2xx/{print $NF}' "$3")
    errs=$(awk '/Socket errors/{sub(/^ +/, ""); print}' "$3")
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$rps" "$p50" "$p99" "$total" "${bad:-0}" "${errs:-none}" >> "$work/table"
}

: > "$work/table"
for engine in $ENGINES; do
    case "$engine" in
    sqlite) unset PORTAL_DB || true ;;
    postgres) pg_start "$work/pg" ;;
    *) echo "bench/engines.sh: unknown engine $engine" >&2; exit 2 ;;
    esac
    bench_start "$engine" . "$THREADS"
    wrk -t2 -c"$CONN" -d"$DUR" --latency -H "Cookie: sid=$sid" "$base/" > "$work/get.out"
    row "$engine" "GET / (signed in)" "$work/get.out"
    csrf=$(curl -s -b "sid=$sid" "$base/account" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
    [ -n "$csrf" ] || { echo "bench: $engine: no CSRF token on /account" >&2; exit 1; }
    code=$(curl -s -o /dev/null -w '%{http_code}' -b "sid=$sid" --data-urlencode "csrf=$csrf" "$base/account/sessions/end-others")
    [ "$code" = 303 ] || { echo "bench: $engine: the writing POST answered $code" >&2; exit 1; }
    cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = "csrf=$csrf"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "sid=$sid"
LUA
    wrk -t2 -c"$CONN" -d"$DUR" --latency -s "$work/post.lua" "$base/account/sessions/end-others" > "$work/post.out"
    row "$engine" "POST /account/sessions/end-others (one write)" "$work/post.out"
    bad=$(grep -cE ' 5[0-9][0-9] ' "$data/portal.log" || true)
    echo "- $engine: 5xx answers in the portal log: $bad" >> "$work/notes"
    kill -TERM "$portal_pid" "$nginx_pid" 2>/dev/null || true
    wait "$portal_pid" "$nginx_pid" 2>/dev/null || true
done

mkdir -p bench/results
out="bench/results/$(date -u +%Y-%m-%d)-engines.md"
{
    echo "# Both engines, one run: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Machine: $(nproc) cores; SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1), PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') (same machine, unix socket, durable defaults); portal threads: $THREADS."
    echo "Load: wrk -t2 -c$CONN -d$DUR through nginx on 127.0.0.1."
    echo
    echo "| engine | request | req/s | p50 | p99 | requests | not 2xx/3xx | socket errors |"
    echo "|---|---|---|---|---|---|---|---|"
    cat "$work/table"
    echo
    cat "$work/notes"
} > "$out"
cat "$out"
