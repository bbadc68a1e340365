#!/bin/sh
# bench/compare.sh — this tree against another commit, side by side in one run: each build
# gets its own portal + nginx (its own data directory and port, the repo's nginx.conf), the
# same signed-in user made through the real sign-up form, and wrk runs that alternate
# between the two builds page by page (wrk -t2 -c32, ROUNDS rounds, medians), so that
# drift of the machine hits both alike. Prints and writes bench/results/compare-<date>.md.
#
#   bench/compare.sh [REF]        REF: the baseline commit (default: BENCH_BASE, else main)
#   DUR=10s ROUNDS=3 PAGES="/signin / /settings/users" bench/compare.sh 5a473d5
#
# Needs wrk and curl (scripts/install-deps.sh). Binds 127.0.0.1 only; stops what it starts.
set -eu
cd "$(dirname "$0")/.."
REF=${1:-${BENCH_BASE:-main}}
DUR=${DUR:-10s}
ROUNDS=${ROUNDS:-3}
CONN=${CONN:-32}
PAGES=${PAGES:-"/signin / /settings/users /settings/audit /settings/profile /find-a-provider"}
# Pages measured signed out, as a visitor opens them (the others with the signed-in cookie).
OUT_PAGES=${OUT_PAGES:-"/signin"}
. bench/lib.sh
# The baseline's binaries, built from its own tree (templates and nginx.conf too).
bench_two_builds csp-compare "$REF"

# start NAME TREE: portal + nginx for the build in TREE; sets <NAME>_base and <NAME>_sid.
start() {
    bench_start "$1" "$2" "${PORTAL_THREADS:-8}"
    eval "${1}_base=\$base ${1}_sid=\$sid"
}

start base "$work/base-tree"
start new "$PWD"

# One wrk run: prints "req/s p99_ms non2xx".
measure() { # base sid path
    case " $OUT_PAGES " in
    *" $3 "*) wrk -t2 -c"$CONN" -d"$DUR" --latency "$1$3" > "$work/wrk.out" ;;
    *) wrk -t2 -c"$CONN" -d"$DUR" --latency -H "Cookie: sid=$2" "$1$3" > "$work/wrk.out" ;;
    esac
    rps=$(awk '/^Requests\/sec/{print $2}' "$work/wrk.out")
    p99=$(awk '$1=="99%"{v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$work/wrk.out")
    bad=$(awk '/Non-2xx/{print $NF}' "$work/wrk.out")
    echo "$rps $p99 ${bad:-0}"
}

: > "$work/runs"
for page in $PAGES; do
    # A short warm-up of each, then alternating measured rounds.
    DUR=2s measure "$base_base" "$base_sid" "$page" >/dev/null
    DUR=2s measure "$new_base" "$new_sid" "$page" >/dev/null
    # Alternating, and each build goes first in every other round: whatever the machine
    # does to the first (or second) run of a pair falls on both alike.
    r=1
    while [ "$r" -le "$ROUNDS" ]; do
        if [ $((r % 2)) -eq 1 ]; then order="base new"; else order="new base"; fi
        for b in $order; do
            eval "u=\$${b}_base s=\$${b}_sid"
            echo "$page $b $(measure "$u" "$s" "$page")" >> "$work/runs"
        done
        r=$((r + 1))
    done
done

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
mkdir -p bench/results
out="bench/results/compare-$(date -u +%Y-%m-%d).md"
{
    echo "# Side by side: $(git rev-parse --short HEAD) against $REF ($(git rev-parse --short "$REF"))"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; wrk -t2 -c$CONN -d$DUR through nginx on 127.0.0.1, signed in as a Global admin"
    echo "(signed out: $OUT_PAGES); $ROUNDS rounds per page alternating the two builds, each first in every other round; medians."
    echo
    echo "| page | base req/s | this req/s | ratio | base p99 ms | this p99 ms | non-2xx (base/this) |"
    echo "|---|---|---|---|---|---|---|"
    for page in $PAGES; do
        b=$(awk -v p="$page" '$1==p && $2=="base"{print $3}' "$work/runs" | median)
        n=$(awk -v p="$page" '$1==p && $2=="new"{print $3}' "$work/runs" | median)
        bp=$(awk -v p="$page" '$1==p && $2=="base"{print $4}' "$work/runs" | median)
        np=$(awk -v p="$page" '$1==p && $2=="new"{print $4}' "$work/runs" | median)
        bb=$(awk -v p="$page" '$1==p && $2=="base"{s+=$5} END {print s+0}' "$work/runs")
        nb=$(awk -v p="$page" '$1==p && $2=="new"{s+=$5} END {print s+0}' "$work/runs")
        echo "| $page | $b | $n | $(awk -v b="$b" -v n="$n" 'BEGIN{printf "%.3f", n/b}') | $bp | $np | $bb/$nb |"
    done
} > "$out"
cat "$out"
