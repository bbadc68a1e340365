#!/bin/sh
# bench/instructions.sh — instructions a request costs the portal's worker, this tree against
# another commit: each build runs under valgrind's callgrind (one worker thread, no
# supervisor) behind its own nginx; for each page, 20 requests warm it up, the counters are
# zeroed, N requests are sent, the counters dumped. Instruction counts do not drift with
# what else the machine does, so small differences show (wall-clock: bench/compare.sh).
# The kernel's share (syscalls) is not counted; nginx is not counted.
#
#   bench/instructions.sh [REF]          REF: the baseline commit (default: BENCH_BASE, else main)
#   N=200 bench/instructions.sh 5a473d5
#
# Prints and writes bench/results/instructions-<date>.md.
# Needs valgrind (on every machine of this kind) and curl. Binds 127.0.0.1 only.
set -eu
# nginx's workers as this user, as in the tests (make run as root uses www-data and a socket group).
NGINX_USER=${NGINX_USER:-$(id -un)}
export NGINX_USER
cd "$(dirname "$0")/.."
REF=${1:-${BENCH_BASE:-main}}
N=${N:-200}
work=$(mktemp -d /tmp/csp-instr.XXXXXX)
pids=""
cleanup() {
    for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    git worktree remove --force "$work/base-tree" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
. bench/signup.sh
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

git worktree add --detach "$work/base-tree" "$REF" >/dev/null 2>&1
make -s -C "$work/base-tree" all >/dev/null
make -s all >/dev/null

# run NAME TREE: per page "NAME page instructions-per-request" lines into $work/counts.
run() {
    name=$1 tree=$2 data="$work/$1" port=$(free_port)
    base="http://127.0.0.1:$port"
    mkdir -p "$data"
    export PORTAL_DATA="$data" PORTAL_BASE_URL="$base" PORTAL_SOCKET="$data/run/portal.sock"
    export PORTAL_TEMPLATES="$tree/templates" PORTAL_THREADS=1 PORTAL_SUPERVISE=0
    (cd "$tree" && bin/portalctl init >/dev/null && { bin/portalctl security require-mfa off >/dev/null 2>&1 || true; })
    scripts/render-nginx.sh "$data/nginx/nginx.conf" "$port" "$data" "$PORTAL_SOCKET" off
    valgrind --tool=callgrind --callgrind-out-file="$data/cg.%p" --dump-instr=no "$tree/cgi-bin/portal.fcgi" \
        2>"$data/valgrind.log" &
    vpid=$!
    pids="$pids $vpid"
    while [ ! -S "$PORTAL_SOCKET" ]; do sleep 0.2; done
    nginx -p "$data/nginx" -c "$data/nginx/nginx.conf" -g 'daemon off;' &
    npid=$!
    pids="$pids $npid"
    until curl -sf "$base/healthz" >/dev/null; do sleep 0.2; done
    sid=$(bench_signup "$base" "$data/jar" "$data")
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
        echo "$name $1 $((ir / N))" >> "$work/counts"
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
    echo "| page | base | this | ratio |"
    echo "|---|---|---|---|"
    awk '$1=="base"{b[$2]=$3; order[++n]=$2} $1=="new"{t[$2]=$3} END {for (i=1; i<=n; i++) {p=order[i]; printf "| %s | %d | %d | %.3f |\n", p, b[p], t[p], t[p]/b[p]}}' "$work/counts"
} | tee "$out"
