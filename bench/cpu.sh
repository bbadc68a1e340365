#!/bin/sh
# bench/cpu.sh — worker CPU per request, this tree against another commit, in one run (issue 17):
# each build gets its own portal + nginx (bench/lib.sh's bench_start), and wrk runs alternate
# between the two builds page by page; after each run the worker's utime+stime
# (/proc/<worker>/stat, every thread) is divided by the requests wrk made. CPU per request
# drifts far less with what else a shared machine runs than req/s does. Also the floor's
# (bench/floor, the Overview's size) CPU per request, for what nginx + libfcgi alone cost.
#
#   bench/cpu.sh [REF]     DUR=5s ROUNDS=5 CONN=32 PAGES="/ /signin" bench/cpu.sh main
#   BASE_TREE=/path/to/a/built/checkout bench/cpu.sh REF   (no build of REF: that tree's binaries)
#
# Prints and writes bench/results/cpu-<date>.md (OUT=file: another file).
set -eu
cd "$(dirname "$0")/.."
REF=${1:-main}
DUR=${DUR:-5s}
ROUNDS=${ROUNDS:-5}
CONN=${CONN:-32}
PAGES=${PAGES:-"/ /signin"}
OUT_PAGES=${OUT_PAGES:-"/signin"}
. bench/lib.sh
if [ -n "${BASE_TREE:-}" ]; then	# a baseline already built (its cgi-bin, bin, templates)
    work=$(mktemp -d /tmp/csp-cpu.XXXXXX)
    pids=""
    trap bench_cleanup EXIT INT TERM
    base_tree=$BASE_TREE
    make -s all >/dev/null
else
    bench_two_builds csp-cpu "$REF"
    base_tree=$work/base-tree
fi
make -s bench/floor >/dev/null 2>&1 || cc -O2 -o bench/floor bench/floor.c -lfcgi -lpthread
start() {
    bench_start "$1" "$2" "${PORTAL_THREADS:-8}"
    eval "${1}_base=\$base ${1}_sid=\$sid ${1}_pid=\$portal_pid"
}
start base "$base_tree"
start new "$PWD"
size=$(curl -s -b "sid=$new_sid" "$new_base/" | wc -c)
# the floor behind the new build's nginx: a second server in its configuration
fport=$(free_port)
conf="$work/new/nginx/nginx.conf"
sed -i '$d' "$conf"
cat >> "$conf" <<CONF
    upstream bench_floor { server unix:$work/floor.sock; }
    server {
        listen 127.0.0.1:$fport;
        location / { fastcgi_pass bench_floor; fastcgi_buffer_size 16k; fastcgi_buffers 16 16k; }
    }
}
CONF
bench/floor "$work/floor.sock" "$size" "${PORTAL_THREADS:-8}" &
floor_pid=$!
pids="$pids $floor_pid"
while [ ! -S "$work/floor.sock" ]; do sleep 0.05; done
kill -HUP "$(cat "$work/new/nginx/run/nginx.pid" 2>/dev/null || echo 0)" 2>/dev/null ||
    nginx -p "$work/new/nginx" -c "$conf" -s reload
sleep 0.5
until curl -sf "http://127.0.0.1:$fport/" >/dev/null; do sleep 0.1; done

ticks() { # PID: CPU ticks of the process (a portal: its worker, the supervisor's child)
    _p=$1
    _c=$(cat "/proc/$_p/task/$_p/children" 2>/dev/null | cut -d' ' -f1)
    [ -z "$_c" ] || _p=$_c
    awk '{print $14 + $15}' "/proc/$_p/stat"
}
hz=$(getconf CLK_TCK)
measure() { # NAME URL PID [wrk args]: prints "req/s p99_ms cpu_us bad"
    _u=$2 _pid=$3
    shift 3
    _c0=$(ticks "$_pid")
    wrk -t2 -c"$CONN" -d"$DUR" --latency "$@" "$_u" > "$work/wrk.out"
    _c1=$(ticks "$_pid")
    awk -v a="$_c0" -v b="$_c1" -v hz="$hz" '
        /^Requests\/sec/{rps=$2} /requests in/{n=$1} /Non-2xx/{bad=$NF}
        $1=="99%"{v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p99=v}
        END {printf "%s %s %.1f %d\n", rps, p99, n ? (b-a)*1e6/hz/n : 0, bad}' "$work/wrk.out"
}
one() { # BUILD PAGE
    eval "_u=\$${1}_base _s=\$${1}_sid _pid=\$${1}_pid"
    case " $OUT_PAGES " in
    *" $2 "*) measure "$1" "$_u$2" "$_pid" ;;
    *) measure "$1" "$_u$2" "$_pid" -H "Cookie: sid=$_s" ;;
    esac
}
: > "$work/runs"
for page in $PAGES; do
    DUR=2s one base "$page" >/dev/null
    DUR=2s one new "$page" >/dev/null
done
DUR=2s measure floor "http://127.0.0.1:$fport/" "$floor_pid" >/dev/null
r=1
while [ "$r" -le "$ROUNDS" ]; do
    for page in $PAGES; do
        if [ $((r % 2)) -eq 1 ]; then order="base new"; else order="new base"; fi
        for b in $order; do echo "$page $b $(one "$b" "$page")" >> "$work/runs"; done
    done
    echo "floor floor $(measure floor "http://127.0.0.1:$fport/" "$floor_pid")" >> "$work/runs"
    r=$((r + 1))
done
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
col() { awk -v p="$1" -v b="$2" -v c="$3" '$1==p && $2==b{print $c}' "$work/runs" | median; }
mkdir -p bench/results
out=${OUT:-bench/results/cpu-$(date -u +%Y-%m-%d).md}
{
    echo "# Worker CPU per request: $(git rev-parse --short HEAD) against $REF ($(git -C "$base_tree" rev-parse --short HEAD 2>/dev/null || git rev-parse --short "$REF"))"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg); wrk -t2 -c$CONN -d$DUR,"
    echo "$ROUNDS rounds alternating the builds; medians. CPU: the worker process's utime+stime over wrk's requests."
    echo
    echo "| page | base CPU µs | this CPU µs | ratio | base req/s | this req/s | base p99 | this p99 | runs base / this (µs) |"
    echo "|---|---|---|---|---|---|---|---|---|"
    for page in $PAGES; do
        b=$(col "$page" base 5) n=$(col "$page" new 5)
        echo "| $page | $b | $n | $(awk -v a="$b" -v b="$n" 'BEGIN{printf "%.3f", a ? b/a : 0}') | $(col "$page" base 3) | $(col "$page" new 3) | $(col "$page" base 4) | $(col "$page" new 4) | $(awk -v p="$page" '$1==p && $2=="base"{printf "%s ", $5}' "$work/runs")/ $(awk -v p="$page" '$1==p && $2=="new"{printf "%s ", $5}' "$work/runs")|"
    done
    echo "| floor (bench/floor, $size bytes) | | $(col floor floor 5) | | | $(col floor floor 3) | | $(col floor floor 4) | |"
} > "$out"
cat "$out"
