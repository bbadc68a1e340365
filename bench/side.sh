#!/bin/sh
# bench/side.sh — issue 17's side-by-side run (make bench): through ONE nginx with the
# portal's settings, in the same run,
#   floor     a bare libfcgi program (bench/floor.c) answering a fixed page of the Overview's
#             size with the portal's headers, with the portal's thread count;
#   php       the PHP peer: PHP-FPM 8.2 (its own pool, on a unix socket in this run's temp
#             directory, started as an ordinary process, never the system service) with
#             persistent PDO-SQLite, rendering the same signed-in page from the same database
#             with the same session lookup and statements (bench/peer/overview.php);
#   overview  the portal's signed-in Overview (GET /, a Global admin of a new organization);
#   signin    the portal's sign-in page, signed out;
#   order     the portal's order POST (a provider places a new subscription for a customer on
#             behalf of a reseller: one transaction with the subscription, audit and outbox
#             rows; the confirmation mail is delivered after the answer, as always);
#   resellers the demo provider's Indirect resellers page (GET /resellers, its admin signed in);
#   api       the same list through the JSON API (GET /api/v1/resellers?limit=20: the 20 rows
#             the page shows; a Bearer credential of that organization: each call counts in the
#             credential's row, so it writes; a new credential each run, under its rate).
# wrk -t2 -c$CONN -d$DUR per target, ROUNDS rounds alternating the targets (each round in
# another order), medians; then the ratios against the issue's targets.
# Prints and writes bench/results/side-<date>.md.
#
#   DUR=10s ROUNDS=3 CONN=32 PORTAL_THREADS=8 bench/side.sh
# (DUR=1s ROUNDS=1 checks the script itself in a few seconds.) TARGETS="floor order" measures only
# those lines (short runs of what a change touches; the PHP peer is started only when named;
# a ratio is printed when both of its lines were measured).
#
# Needs: make all, bench/floor, wrk, curl, python3, php-fpm8.2 with pdo_sqlite and sodium
# (scripts/install-deps.sh --bench). Binds 127.0.0.1 only; stops what it starts.
set -eu
cd "$(dirname "$0")/.."
repo=$(pwd)
DUR=${DUR:-10s}
ROUNDS=${ROUNDS:-3}
CONN=${CONN:-32}
THREADS=${PORTAL_THREADS:-8}
FPM=${PHP_FPM:-$(command -v php-fpm8.2 || command -v php-fpm || echo /usr/sbin/php-fpm8.2)}
[ -x "$FPM" ] || { echo "bench: no php-fpm (scripts/install-deps.sh --bench)" >&2; exit 1; }
[ -x bench/floor ] || { echo "bench: no bench/floor (make bench/floor)" >&2; exit 1; }
. bench/lib.sh
work=$(mktemp -d /tmp/csp-side.XXXXXX)
pids=""
cleanup() {
    for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

port=$(free_port) fport=$(free_port) pport=$(free_port)
base="http://127.0.0.1:$port"
data="$work/portal"
export PORTAL_DATA="$data" PORTAL_BASE_URL="$base" PORTAL_SOCKET="$data/run/portal.sock" PORTAL_THREADS="$THREADS"
export PORTAL_API_RATE=10000000	# a credential the bench never throttles: wrk makes ~700k calls a minute, over the old 100000 bound
mkdir -p "$data" "$work/php"
bin/portalctl init >/dev/null
bin/portalctl security require-mfa off >/dev/null
bin/portalctl demo >/dev/null

# One nginx: the portal's own configuration, plus a server for the floor and one for the peer
# with the portal's FastCGI settings (keep_conn and the upstream's keepalive copied from it).
conf="$data/nginx/nginx.conf"
scripts/render-nginx.sh "$conf" "$port" "$data" "$PORTAL_SOCKET" off
keep=$(sed -n 's/^ *fastcgi_keep_conn \([a-z]*\);.*/\1/p' "$conf" | head -1)
keepalive=$(sed -n 's/^ *\(keepalive [0-9]*;\).*/\1/p' "$conf" | head -1)
sed -i '$d' "$conf"	# the http block's closing brace: the two servers go inside it
cat >> "$conf" <<CONF
    upstream bench_floor { server unix:$work/floor.sock; $keepalive }
    upstream bench_php { server unix:$work/php.sock; $keepalive }
    server {
        listen 127.0.0.1:$fport;
        location / {
            fastcgi_pass bench_floor;
            fastcgi_keep_conn ${keep:-off};
            fastcgi_buffer_size 16k;
            fastcgi_buffers 16 16k;
        }
    }
    server {
        listen 127.0.0.1:$pport;
        location / {
            fastcgi_pass bench_php;
            fastcgi_keep_conn ${keep:-off};
            fastcgi_buffer_size 16k;
            fastcgi_buffers 16 16k;
            fastcgi_param SCRIPT_FILENAME $repo/bench/peer/overview.php;
            fastcgi_param REQUEST_METHOD  \$request_method;
            fastcgi_param QUERY_STRING    \$query_string;
            fastcgi_param REQUEST_URI     \$request_uri;
            fastcgi_param DOCUMENT_URI    \$document_uri;
            fastcgi_param SERVER_PROTOCOL \$server_protocol;
            fastcgi_param REMOTE_ADDR     \$remote_addr;
            fastcgi_param PORTAL_DB       $data/portal.db;
        }
    }
}
CONF

cgi-bin/portal.fcgi 2>"$work/portal.log" &
portal_pid=$!
pids="$pids $portal_pid"
while [ ! -S "$PORTAL_SOCKET" ]; do sleep 0.05; done
nginx -p "$data/nginx" -c "$conf" -g 'daemon off;' &
pids="$pids $!"
until curl -sf "$base/healthz" >/dev/null; do sleep 0.05; done

# The signed-in users: a Global admin of a new organization (the Overview, as bench/run.sh and
# bench/instructions.sh measure it) and the demo's provider admin (the order).
sid=$(bench_signup "$base" "$work/jar" "$data")
[ -n "$sid" ] || { echo "bench: could not sign up" >&2; exit 1; }
curl -s -b "sid=$sid" "$base/" > "$work/overview.html"
grep -q "Bench Admin" "$work/overview.html" || { echo "bench: not signed in" >&2; exit 1; }
size=$(wc -c < "$work/overview.html")
nora=$(awk '$1=="nora.north@northwind.example"{print $2, $3}' "$data/demo-accounts.txt")
psid=$(bench/session.py signin "$base" nora.north@northwind.example $nora)
# One API credential of the provider's organization for each run of the api target (before the
# order form is read: a form sent changes the session's CSRF token).
bench/session.py apikeys "$base" "$psid" $((ROUNDS + 1)) > "$work/apikeys"
curl -sf -H "Authorization: Bearer $(head -1 "$work/apikeys")" "$base/api/v1/resellers?limit=20" > "$work/api.json" ||
    { echo "bench: GET /api/v1/resellers failed" >&2; exit 1; }
set -- $(bench/session.py order "$base" "$psid")
order_path=$1
order_args="$*"
# What the review page's Place order button posts must place an order (303), or the order
# target measures refusals (it did after issue 15's review step: 0 orders placed).
code=$(curl -s -o /dev/null -w '%{http_code}' -b "sid=$psid" \
    --data "csrf=$2&reseller=$3&mpn_id=$4&offer=$5&quantity=1&order_key=benchcheck$(date +%s)" "$base$order_path")
[ "$code" = 303 ] || { echo "bench: the order POST answered $code, not 303" >&2; exit 1; }
run_id=$(date +%s)

# The floor, with the portal's thread count; the peer, with as many PHP processes.
bench/floor "$work/floor.sock" "$size" "$THREADS" &
floor_pid=$!
pids="$pids $floor_pid"
as_root=""
[ "$(id -u)" -ne 0 ] || as_root="-R"
cat > "$work/php/fpm.conf" <<CONF
[global]
pid = $work/php/fpm.pid
error_log = $work/php/fpm.log
daemonize = no
[bench]
user = $(id -un)
group = $(id -gn)
listen = $work/php.sock
listen.mode = 0660
pm = static
pm.max_children = $THREADS
CONF
ALL="floor php overview signin order resellers api"
TARGETS=${TARGETS:-$ALL}
named() { case " $TARGETS " in *" $1 "*) return 0 ;; esac; return 1; }
fbase="http://127.0.0.1:$fport" pbase="http://127.0.0.1:$pport"
: > "$work/php.html"
if named php; then
    "$FPM" -y "$work/php/fpm.conf" -F $as_root &
    pids="$pids $!"
    while [ ! -S "$work/php.sock" ]; do sleep 0.05; done
    curl -s -b "sid=$sid" "$pbase/" > "$work/php.html"
    grep -q "Bench Admin" "$work/php.html" || { echo "bench: the PHP peer did not render the page:" >&2; head -c 600 "$work/php.html" >&2; exit 1; }
fi
while [ ! -S "$work/floor.sock" ]; do
    kill -0 "$floor_pid" 2>/dev/null || { echo "bench: the floor program exited" >&2; exit 1; }
    sleep 0.05
done
curl -s "$fbase/" > "$work/floor.html"

# The portal's worker process (the supervisor's child): its CPU time so far, in clock ticks
# (user + system, every thread: the mail sender's and housekeeping's too).
worker_ticks() {
    _w=$(cat "/proc/$portal_pid/task/$portal_pid/children" 2>/dev/null | cut -d' ' -f1)
    [ -n "$_w" ] && awk '{print $14 + $15}' "/proc/$_w/stat" 2>/dev/null || echo 0
}
hz=$(getconf CLK_TCK)

# measure TARGET ROUND: one wrk run, "target round req/s p99_ms bad cpu_us_per_request" into
# $work/runs (the CPU column: the portal's worker; 0 for the floor and the peer). CPU per
# request does not drift with what else the machine runs, as req/s does.
measure() {
    case $1 in
    floor) set -- "$@" "$fbase/" ;;
    php) set -- "$@" "$pbase/" -H "Cookie: sid=$sid" ;;
    overview) set -- "$@" "$base/" -H "Cookie: sid=$sid" ;;
    signin) set -- "$@" "$base/signin" ;;
    order) set -- "$@" "$base$order_path" -H "Cookie: sid=$psid" -s bench/order.lua ;;
    resellers) set -- "$@" "$base/resellers" -H "Cookie: sid=$psid" ;;
    api) set -- "$@" "$base/api/v1/resellers?limit=20" -H "Authorization: Bearer $(sed -n "$(($2 + 1))p" "$work/apikeys")" ;;
    esac
    t=$1 r=$2
    shift 2
    c0=$(worker_ticks)
    if [ "$t" = order ]; then
        wrk -t2 -c"$CONN" -d"$DUR" --latency "$@" -- $order_args "r${run_id}x$r" > "$work/wrk.out"
    else
        wrk -t2 -c"$CONN" -d"$DUR" --latency "$@" > "$work/wrk.out"
    fi
    rps=$(awk '/^Requests\/sec/{print $2}' "$work/wrk.out")
    p99=$(awk '$1=="99%"{v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$work/wrk.out")
    bad=$(awk '/Non-2xx/{print $NF}' "$work/wrk.out")
    errs=$(awk '/Socket errors/{n=0; for (i=3; i<=NF; i+=2) n+=$i; print n}' "$work/wrk.out")
    c1=$(worker_ticks)
    n=$(awk '/requests in/{print $1}' "$work/wrk.out")
    cpu=0
    case $t in floor|php) ;; *) cpu=$(awk -v a="$c0" -v b="$c1" -v n="${n:-0}" -v hz="$hz" 'BEGIN{printf "%.0f", n ? (b - a) * 1e6 / hz / n : 0}') ;; esac
    echo "$t $r $rps $p99 $(( ${bad:-0} + ${errs:-0} )) $cpu" >> "$work/runs"
}

: > "$work/runs"
for t in $TARGETS; do DUR=2s measure "$t" 0; done	# warm-up: caches, pools, the order's pages
: > "$work/runs"
r=1
while [ "$r" -le "$ROUNDS" ]; do
    # each round in another order: whatever drifts falls on every target alike
    case $((r % 3)) in
    1) order="$TARGETS" ;;
    2) order="api order signin resellers overview php floor" ;;
    0) order="overview floor resellers order api php signin" ;;
    esac
    for t in $order; do named "$t" && measure "$t" "$r"; done
    r=$((r + 1))
done
placed=$(grep -c ' ORDER_POST 303 ' "$work/portal.log" || true)
fails=$(grep -cE ' 5[0-9][0-9] [0-9]+us' "$work/portal.log" || true)

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
for t in $TARGETS; do
    eval "rps_$t=\$(awk -v t=$t '\$1==t{print \$3}' \"\$work/runs\" | median)"
    eval "p99_$t=\$(awk -v t=$t '\$1==t{print \$4}' \"\$work/runs\" | median)"
    eval "bad_$t=\$(awk -v t=$t '\$1==t{s+=\$5} END {print s+0}' \"\$work/runs\")"
    eval "cpu_$t=\$(awk -v t=$t '\$1==t{print \$6}' \"\$work/runs\" | median)"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN{print (v >= t) ? "met" : "NOT met"}'; }
mkdir -p bench/results
out=${OUT:-bench/results/side-$(date -u +%Y-%m-%d).md}	# OUT: another file (a short run)
{
    echo "# Side by side: the portal, its floor and its PHP peer ($(git rev-parse --short HEAD 2>/dev/null || echo tree), $(date -u '+%Y-%m-%d %H:%M UTC'))"
    echo
    echo "$(nproc) cores, $(uname -r), load average before: $(cut -d' ' -f1-3 /proc/loadavg); nginx $(nginx -v 2>&1 | sed 's/.*\///'), one worker, fastcgi_keep_conn ${keep:-off};"
    echo "portal and floor $THREADS threads, PHP-FPM $($FPM -v | head -1 | cut -d' ' -f2) pm.static $THREADS; wrk -t2 -c$CONN -d$DUR, $ROUNDS rounds alternating the targets, medians."
    echo "Page sizes: Overview $size bytes, floor $(wc -c < "$work/floor.html"), PHP peer $(wc -c < "$work/php.html"); GET /api/v1/resellers $(wc -c < "$work/api.json") bytes."
    echo
    echo "| target | req/s | p99 ms | errors (non-2xx/3xx, socket) | runs (req/s) | worker CPU µs per request |"
    echo "|---|---|---|---|---|---|"
    for t in $TARGETS; do
        eval "echo \"| $t | \$rps_$t | \$p99_$t | \$bad_$t | \$(awk -v t=$t '\$1==t{printf \"%s \", \$3}' \"\$work/runs\")| \$cpu_$t |\""
    done
    echo
    echo "| ratio | value | target | |"
    echo "|---|---|---|---|"
    ! named overview || ! named floor || { v=$(ratio "$rps_overview" "$rps_floor"); echo "| Overview / floor | $v | >= 0.6 | $(verdict "$v" 0.6) |"; }
    ! named overview || ! named php || { v=$(ratio "$rps_overview" "$rps_php"); echo "| Overview / PHP peer | $v | >= 3 | $(verdict "$v" 3) |"; }
    ! named signin || ! named floor || { v=$(ratio "$rps_signin" "$rps_floor"); echo "| sign-in page / floor | $v | >= 0.8 | $(verdict "$v" 0.8) |"; }
    ! named order || ! named floor || { v=$(ratio "$rps_order" "$rps_floor"); echo "| order POST / floor | $v | >= 0.3 | $(verdict "$v" 0.3) |"; }
    ! named api || ! named resellers || { v=$(ratio "$rps_api" "$rps_resellers"); echo "| GET /api/v1/resellers / the /resellers page | $v | (measured) | |"; }
    ! named overview || echo "| Overview p99 | $p99_overview ms | < 5 ms | $(awk -v v="$p99_overview" 'BEGIN{print (v < 5) ? "met" : "NOT met"}') |"
    # The floor's own p99 under the same load, beside it: at 32 connections the mean latency is
    # 32 / (req/s) (Little's law), so below the floor's p99 the Overview's cannot be.
    ! named overview || ! named floor || echo "| the floor's p99 (reference) | $p99_floor ms | | |"
    echo
    echo "- orders placed (303 answers to the order POST): $placed; 5xx in the portal's log: $fails"
} > "$out"
cat "$out"
