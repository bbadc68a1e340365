# bench/signup.sh — sourced by bench/run.sh, bench/compare.sh and bench/instructions.sh: signs
# up "Bench Ltd" through the real Create one form at base URL $1 (cookie jar $2; the portal's
# data directory $3, whose mail spool holds the emailed link) and prints the session cookie's
# value. Create one is confirmed from the emailed link (/signup/confirm); a build from before
# that signs in straight from the form, and both are handled.
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
