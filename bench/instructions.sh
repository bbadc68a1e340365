#!/bin/sh
# bench/instructions.sh — instructions a request costs the portal's worker, this tree against
# another commit: each build runs under valgrind's callgrind (one worker thread, no
# supervisor) behind its own nginx; for each page, 20 requests warm it up, the counters are
# zeroed, N requests are sent, the counters dumped. Instruction counts do not drift with
# what else the machine does, so small differences show (wall-clock: bench/compare.sh).
# The kernel's share (syscalls) is not counted; nginx is not counted. Statements per request:
# the store's statements (calls to sqlite3_clear_bindings, one per statement db_qv runs).
#
#   bench/instructions.sh [REF]          REF: the baseline commit (default: BENCH_BASE, else main)
#   N=200 bench/instructions.sh 5a473d5
#
# Prints and writes bench/results/instructions-<date>.md.
# Needs valgrind (on every machine of this kind) and curl. Binds 127.0.0.1 only.
set -eu
cd "$(dirname "$0")/.."
REF=${1:-${BENCH_BASE:-main}}
N=${N:-200}
. bench/lib.sh
bench_two_builds csp-instr "$REF"

# run NAME TREE: per page "NAME page instructions-per-request" lines into $work/counts.
run() {
    name=$1
    bench_start "$1" "$2" 1 env PORTAL_SUPERVISE=0 \
        valgrind --tool=callgrind --callgrind-out-file="$work/$1/cg.%p" --dump-instr=no
    vpid=$portal_pid npid=$nginx_pid
    # page label, path, signed in (1) or out (0)
    for spec in "sign-in(out) /signin 0" "sign-in(in) /signin 1" "overview / 1" "users /settings/users 1" \
        "audit /settings/audit 1" "profile /settings/profile 1" "find-a-provider /find-a-provider 1" \
        "roles /settings/roles 1"; do
        set -- $spec
        cookie=""
        [ "$3" = 1 ] && cookie="sid=$sid"
        i=0; while [ $i -lt 20 ]; do curl -s -o /dev/null -H "Cookie: $cookie" "$base$2"; i=$((i + 1)); done
        callgrind_control -z "$vpid" >/dev/null 2>&1
        i=0; while [ $i -lt "$N" ]; do curl -s -o /dev/null -H "Cookie: $cookie" "$base$2"; i=$((i + 1)); done
        callgrind_control -d "$vpid" >/dev/null 2>&1
        f=$(ls -t "$data"/cg."$vpid"* | head -1)
        ir=$(grep -E '^(summary|totals):' "$f" | head -1 | awk '{print $2}')
        # statements: calls to sqlite3_clear_bindings, which the store makes once per
        # statement it runs (db_qv; the read snapshot's BEGIN/COMMIT are not counted)
        stm=$(awk '/^c?fn=\(/ { id = $1; sub(/^c?fn=/, "", id); if (NF > 1) name[id] = $2; callee = ($1 ~ /^cfn=/) ? name[id] : "" }
            /^calls=/ && callee == "sqlite3_clear_bindings" { split($1, c, "="); n += c[2] }
            END { print n + 0 }' "$f")
        echo "$name $1 $((ir / N)) $(awk -v s="$stm" -v n="$N" 'BEGIN{printf "%.2f", s/n}')" >> "$work/counts"
    done
    kill -TERM "$npid" "$vpid" 2>/dev/null || true
    wait "$npid" "$vpid" 2>/dev/null || true
}

: > "$work/counts"
run base "$work/base-tree"
run new "$PWD"

mkdir -p bench/results
out="bench/results/instructions-$(date -u +%Y-%m-%d).md"
{
    echo "# Instructions a request costs the worker: $(git rev-parse --short HEAD) against $REF ($(git rev-parse --short "$REF"))"
    echo
    echo "callgrind, one worker thread, $N requests per page after 20 to warm up; signed in as a Global admin unless (out)."
    echo
    echo "| page | base | this | ratio | statements base | statements this |"
    echo "|---|---|---|---|---|---|"
    awk '$1=="base"{b[$2]=$3; sb[$2]=$4; order[++n]=$2} $1=="new"{t[$2]=$3; st[$2]=$4} END {for (i=1; i<=n; i++) {p=order[i]; printf "| %s | %d | %d | %.3f | %s | %s |\n", p, b[p], t[p], t[p]/b[p], sb[p], st[p]}}' "$work/counts"
} | tee "$out"
