# bench/lib.sh — what the benchmark scripts share (sourced by bench/run.sh, bench/compare.sh
# and bench/instructions.sh): a free port, a signed-in user made through the real Create one,
# and for the side-by-side scripts the two builds and a portal + nginx per build.
# Everything binds 127.0.0.1; what a script starts it stops (bench_cleanup, on exit).

# nginx's workers run as the user who runs the benchmark, as in the tests, so they can reach the
# portal's socket (make run as root uses www-data and a socket group); every bench script
# takes it from here
NGINX_USER=${NGINX_USER:-$(id -un)}
export NGINX_USER
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# bench_signup BASE JAR DATA: signs up "Bench Ltd" through the real Create one form at base URL
# BASE (cookie jar JAR; the portal's data directory DATA, whose mail spool holds the emailed
# link) and prints the session cookie's value. Create one is confirmed from the emailed link
# (/signup/confirm); a build from before that signs in straight from the form, and both are
# handled.
bench_signup() {
    _base=$1 _jar=$2 _data=$3
    _csrf=$(curl -s -c "$_jar" -b "$_jar" "$_base/signup" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
    curl -s -o /dev/null -c "$_jar" -b "$_jar" "$_base/signup" --data-urlencode "csrf=$_csrf" \
        --data-urlencode org="Bench Ltd" --data-urlencode domain=bench.example --data-urlencode country=DE \
        --data-urlencode name="Bench Admin" --data-urlencode email=admin@bench.example \
        --data-urlencode password="correct horse battery" --data-urlencode password2="correct horse battery"
    if ! awk '$6=="sid"{f=1} END{exit !f}' "$_jar"; then
        _link=""
        _n=0
        while [ -z "$_link" ] && [ $_n -lt 50 ]; do
            _link=$(cat "$_data"/mail/*.eml 2>/dev/null | grep -o "$_base/signup/confirm?t=[A-Za-z0-9_-]*" | tail -1)
            [ -n "$_link" ] || sleep 0.1
            _n=$((_n + 1))
        done
        # the link's first request: nginx keeps the token in the landing cookie, 303 to the bare path
        curl -s -o /dev/null -c "$_jar" -b "$_jar" "$_link"
        _page=$(curl -s -c "$_jar" -b "$_jar" "$_base/signup/confirm")
        _csrf=$(printf '%s' "$_page" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
        _t=$(printf '%s' "$_page" | sed -n 's/.*name="t" value="\([^"]*\)".*/\1/p' | head -1)
        curl -s -o /dev/null -c "$_jar" -b "$_jar" "$_base/signup/confirm" --data-urlencode "csrf=$_csrf" \
            --data-urlencode "t=$_t"
    fi
    awk '$6=="sid"{print $7}' "$_jar"
}

# bench_two_builds NAME REF: $work (a temp directory /tmp/NAME.*) and $pids, removed and
# stopped on exit; the baseline REF checked out into $work/base-tree; both builds made.
bench_two_builds() {
    work=$(mktemp -d "/tmp/$1.XXXXXX")
    pids=""
    trap bench_cleanup EXIT INT TERM
    git worktree add --detach "$work/base-tree" "$2" >/dev/null 2>&1
    make -s -C "$work/base-tree" all >/dev/null
    make -s all >/dev/null
}

bench_cleanup() {
    for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    git worktree remove --force "$work/base-tree" 2>/dev/null || true
    rm -rf "$work"
}

# bench_start NAME TREE THREADS [LAUNCHER ...]: the build in TREE (its portalctl, templates and
# nginx.conf) with its data in $work/NAME: initialized (multi-factor sign-in not required:
# the benchmarks measure password-only sessions; trees from before the setting ignore it),
# the portal (with THREADS worker threads, run through LAUNCHER when given, e.g. valgrind)
# and nginx started, and a user signed up. Sets data, base, sid, portal_pid, nginx_pid.
bench_start() {
    _name=$1 _tree=$2 _threads=$3
    shift 3
    data="$work/$_name"
    _port=$(free_port)
    base="http://127.0.0.1:$_port"
    mkdir -p "$data"
    (
        export PORTAL_DATA="$data" PORTAL_BASE_URL="$base" PORTAL_SOCKET="$data/run/portal.sock"
        export PORTAL_TEMPLATES="$_tree/templates"
        cd "$_tree"
        bin/portalctl init >/dev/null
        bin/portalctl security require-mfa off >/dev/null 2>&1 || true
        scripts/render-nginx.sh "$data/nginx/nginx.conf" "$_port" "$data" "$PORTAL_SOCKET" off
    )
    PORTAL_DATA="$data" PORTAL_BASE_URL="$base" PORTAL_SOCKET="$data/run/portal.sock" \
        PORTAL_TEMPLATES="$_tree/templates" PORTAL_THREADS="$_threads" \
        "$@" "$_tree/cgi-bin/portal.fcgi" 2>"$data/portal.log" &
    portal_pid=$!
    pids="$pids $portal_pid"
    while [ ! -S "$data/run/portal.sock" ]; do sleep 0.05; done
    nginx -p "$data/nginx" -c "$data/nginx/nginx.conf" -g 'daemon off;' &
    nginx_pid=$!
    pids="$pids $nginx_pid"
    # bounded: nginx's workers that cannot reach the portal's socket (NGINX_USER, at the top)
    # answer 502 for ever, and a loop without an end hid that for an hour (session 16)
    _n=0
    until curl -sf "$base/healthz" >/dev/null; do
        _n=$((_n + 1))
        [ $_n -lt 600 ] || { echo "bench: $_name: $base/healthz answered $(curl -s -o /dev/null -w '%{http_code}' "$base/healthz") for 30 s (can nginx's user $NGINX_USER open $data/run/portal.sock?)" >&2; exit 1; }
        sleep 0.05
    done
    sid=$(bench_signup "$base" "$data/jar" "$data")
    [ -n "$sid" ] || { echo "bench: $_name: could not sign up" >&2; exit 1; }
}
