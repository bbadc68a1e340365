# bench/signup.sh — sourced by bench/run.sh and bench/compare.sh: signs up "Bench Ltd" through
# the real Create one form at base URL $1 (cookie jar $2) and prints the session cookie's value.
bench_signup() {
    _base=$1 _jar=$2
    _csrf=$(curl -s -c "$_jar" -b "$_jar" "$_base/signup" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
    curl -s -o /dev/null -c "$_jar" -b "$_jar" "$_base/signup" --data-urlencode "csrf=$_csrf" \
        --data-urlencode org="Bench Ltd" --data-urlencode domain=bench.example --data-urlencode country=DE \
        --data-urlencode name="Bench Admin" --data-urlencode email=admin@bench.example \
        --data-urlencode password="correct horse battery" --data-urlencode password2="correct horse battery"
    awk '$6=="sid"{print $7}' "$_jar"
}
