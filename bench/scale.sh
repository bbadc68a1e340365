#!/bin/sh
# bench/scale.sh — `make bench-scale`: every list page on the demo database and on a large one
# (bench/scale-load.sql: 100k partners, 1M customers, 1M subscriptions, 10M audit entries),
# side by side in one run through one nginx configuration, with the ratio; then a worker's
# RSS on the large database under many requests.
#
#   SCALE_DIR       where the two databases live (default /tmp/csp-scale; the large one is
#                   about 3 GiB and is kept for the next run when its schema version and the
#                   loader are unchanged; `make bench-scale-clean` removes it)
#   SCALE_REPS      requests per URL and database (default 15; the median is printed)
#   SCALE_RSS_REQS  requests of the RSS run (default 200000; 0 skips it)
#   SCALE_ONLY      a grep pattern: only the pages whose line matches it
#   SCALE_STAT      median (default) or min: which of each page's times is printed
#   SCALE_RSS_SKIP  a grep pattern: pages the RSS run leaves out (e.g. 'q=\|\.csv' for the
#                   searches and downloads, whose time grows with the data)
# Everything binds 127.0.0.1; what the script starts it stops.
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh

dir=${SCALE_DIR:-/tmp/csp-scale}
reps=${SCALE_REPS:-15}
rss_reqs=${SCALE_RSS_REQS:-200000}
mkdir -p "$dir"
work=$(mktemp -d /tmp/csp-scale-run.XXXXXX)
pids=""
cleanup() {
    for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

make -s all >/dev/null
stamp="$(cat bench/scale-load.sql bench/scale-partners.sql bench/scale-customers.sql | sha256sum | cut -c1-16)"

# make_db NAME: portalctl init + the demo world, multi-factor sign-in not required.
make_db() {
    rm -rf "$dir/$1"
    mkdir -p "$dir/$1"
    PORTAL_DATA="$dir/$1" bin/portalctl init >/dev/null
    PORTAL_DATA="$dir/$1" bin/portalctl demo >/dev/null
    PORTAL_DATA="$dir/$1" bin/portalctl security require-mfa off >/dev/null
}

# The large database: reused when this loader built it; `portalctl init` then brings it to
# this build's schema version (the pending migrations, as an upgrade would).
if [ "$(cat "$dir/large/stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "bench-scale: building the large database in $dir/large (a few minutes)"
    t0=$(date +%s)
    make_db large
    db="$dir/large/portal.db"
    # the ids the loader assumes
    [ "$(sqlite3 "$db" "SELECT count(*) FROM provider_relationships WHERE id = 2 AND provider_id = 1 AND reseller_id = 4")" = 1 ] ||
        { echo "bench-scale: the demo world is not the one the loader expects" >&2; exit 1; }
    # The audit log is filled without its indexes, which are then made again by the schema's
    # own statements (one sort each instead of ten million random inserts).
    sqlite3 "$db" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit' AND sql IS NOT NULL" \
        >"$work/audit-indexes.sql"
    {
        sqlite3 "$db" "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit' AND sql IS NOT NULL"
        cat bench/scale-load.sql
        cat "$work/audit-indexes.sql"
        echo "ANALYZE;"
    } | sqlite3 "$db"
    fk=$(sqlite3 "$db" "PRAGMA foreign_key_check" | wc -l)
    [ "$fk" = 0 ] || { echo "bench-scale: foreign_key_check found $fk rows" >&2; exit 1; }
    # the build's own migrations and checks see it as theirs
    PORTAL_DATA="$dir/large" bin/portalctl init >/dev/null
    echo "$stamp" >"$dir/large/stamp"
    echo "bench-scale: loaded in $(( $(date +%s) - t0 )) s, $(du -h "$db" | cut -f1)"
fi
# The demo database gets the large one's lists in small, by the loader's own formulas, so that
# each list page is the same page on both sides (a full page of 50, a Next page, the same
# search terms matching, the same actor and action choices) and only the database's size
# differs. Without them the demo's Northwind has 1 customer, 2 resellers and an empty log, and
# each ratio compared a page of one or two rows with a full one (session 13: the search
# "customer" was an empty page on the demo, 2.08x). What it adds (a few hundred rows):
#   6,000 of Northwind's audit entries by the same 50 actors doing the same 9 actions (agent45:
#     62, the large database 20,600), so both logs show "1000 or more" for Nora;
#   60 approved providers and 120 resellers (Provider / Reseller XYZ i), the resellers related
#     with Northwind, each with its MPN ID;
#   120 customer organizations (XYzw Customer j) shared by Trey Research and Northwind, each with
#     a subscription.
demo_stamp="$stamp-pages1"
if [ "$(cat "$dir/demo/stamp" 2>/dev/null)" != "$demo_stamp" ]; then
    make_db demo
    sqlite3 "$dir/demo/portal.db" <<'SQL'
CREATE TEMP TABLE actions(k INTEGER PRIMARY KEY, action TEXT NOT NULL);
INSERT INTO actions(k, action) VALUES (0, 'signin'), (1, 'user.update'), (2, 'order.place'), (3, 'signout'),
  (4, 'customer.invite'), (5, 'profile.update'), (6, 'reseller.invite'), (7, 'signin'), (8, 'signin'), (9, 'user.create');
CREATE TEMP TABLE actors(k INTEGER PRIMARY KEY, actor TEXT NOT NULL);
INSERT INTO actors(k, actor) SELECT row_number() OVER (ORDER BY id) - 1, email FROM users WHERE tenant_id = 1 ORDER BY id LIMIT 5;
WITH RECURSIVE i(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM i WHERE i < 45)
INSERT INTO actors(k, actor) SELECT 4 + i, 'agent' || i || '@northwind.example' FROM i;
WITH RECURSIVE m(n) AS (SELECT 0 UNION ALL SELECT n + 5 FROM m WHERE n < 29995)
INSERT INTO audit(at, tenant_id, actor, action, target, outcome, ip, detail)
SELECT 1700000000 + n / 4, 1,
       (SELECT actor FROM actors WHERE k = CASE WHEN (n / 5) % 97 < 50 THEN (n / 5) % 97 ELSE 0 END),
       (SELECT action FROM actions WHERE k = (n / 5) % 10), 'target ' || (n % 1000),
       CASE WHEN (n / 5) % 10 = 0 AND n % 3 = 0 THEN 'failed' ELSE 'ok' END,
       '10.0.' || (n % 250) || '.' || (n % 200), ''
FROM m;
-- the lists, by the large database's own formulas (bench/scale-partners.sql, -customers.sql):
-- providers i 1..60, resellers i 10001..10120 related with Northwind; customers j 1..120 of Trey
-- Research and Northwind
CREATE TEMP TABLE cc(k INTEGER PRIMARY KEY, code TEXT NOT NULL);
INSERT INTO cc(code) SELECT code FROM countries ORDER BY code;
CREATE TEMP TABLE part(i INTEGER PRIMARY KEY);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 10120)
INSERT INTO part(i) SELECT i FROM c WHERE i <= 60 OR i > 10000;
CREATE TEMP VIEW rel AS SELECT i, 1 AS p FROM part WHERE i > 10000;
.read bench/scale-partners.sql
CREATE TEMP TABLE cust(j INTEGER PRIMARY KEY, reseller INTEGER, provider INTEGER, mpn TEXT);
WITH RECURSIVE c(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM c WHERE j < 120)
INSERT INTO cust(j, reseller, provider, mpn) SELECT j, 4, 1, '5300005' FROM c;
CREATE TEMP TABLE offer_k(k INTEGER PRIMARY KEY, offer_id TEXT NOT NULL);
INSERT INTO offer_k(k, offer_id) SELECT row_number() OVER (ORDER BY offer_id) - 1, offer_id FROM offers WHERE active = 1;
.read bench/scale-customers.sql
ANALYZE;
SQL
    fk=$(sqlite3 "$dir/demo/portal.db" "PRAGMA foreign_key_check" | wc -l)
    [ "$fk" = 0 ] || { echo "bench-scale: foreign_key_check found $fk rows in the demo" >&2; exit 1; }
    echo "$demo_stamp" >"$dir/demo/stamp"
fi
for n in demo large; do
    t0=$(date +%s)
    PORTAL_DATA="$dir/$n" bin/portalctl init | grep -q 'schema version' || { echo "bench-scale: init $n failed" >&2; exit 1; }
    [ $(( $(date +%s) - t0 )) -lt 2 ] || echo "bench-scale: $n migrated in $(( $(date +%s) - t0 )) s"
done

# start NAME: the portal and nginx on the database in $dir/NAME; sets port_NAME.
start() {
    _d="$dir/$1"
    _port=$(free_port)
    mkdir -p "$work/$1"
    scripts/render-nginx.sh "$work/$1/nginx.conf" "$_port" "$work/$1" "$work/$1/portal.sock" off >/dev/null
    PORTAL_DATA="$_d" PORTAL_BASE_URL="http://127.0.0.1:$_port" PORTAL_SOCKET="$work/$1/portal.sock" \
        cgi-bin/portal.fcgi 2>"$work/$1/portal.log" &
    pids="$pids $!"
    eval "portal_$1=$!"
    while [ ! -S "$work/$1/portal.sock" ]; do sleep 0.05; done
    nginx -p "$work/$1" -c "$work/$1/nginx.conf" -g 'daemon off;' 2>"$work/$1/nginx.err" &
    pids="$pids $!"
    until curl -sf "http://127.0.0.1:$_port/healthz" >/dev/null; do sleep 0.05; done
    eval "port_$1=$_port"
}
start demo
start large

# Sessions for the demo's Nora (Northwind, provider: Global admin) and Tara (Trey Research,
# reseller: Global admin), written as the portal writes them (only the token's hash).
session() {
    python3 - "$1" "$2" <<'EOF'
import base64, hashlib, os, sqlite3, sys, time
raw = os.urandom(32)
db = sqlite3.connect(sys.argv[1], timeout=30)
now = int(time.time())
db.execute("INSERT INTO sessions(token_hash, user_id, created_at, seen_at, ip, auth_at, mfa)"
           " SELECT ?, id, ?, ?, '127.0.0.1', ?, 1 FROM users WHERE email = ?",
           (hashlib.blake2b(raw, digest_size=32).digest(), now, now, now, sys.argv[2]))
db.commit()
print(base64.urlsafe_b64encode(raw).decode().rstrip('='))
EOF
}
for n in demo large; do
    eval "nora_$n=$(session "$dir/$n/portal.db" nora.north@northwind.example)"
    eval "tara_$n=$(session "$dir/$n/portal.db" tara.trey@treyresearch.example)"
done
# An operator (the console's pages: "op") and an API credential of Nora's organization ("api",
# made through the portal's own form with her session): each database gets its own.
for n in demo large; do
    PORTAL_DATA="$dir/$n" bin/portalctl operator add op.bench@operators.example --role admin >/dev/null 2>&1 || true
    # (an operator must have a second factor; the session below says it was used)
    sqlite3 "$dir/$n/portal.db" "UPDATE users SET mfa_enabled_at = 1700000000
        WHERE email = 'op.bench@operators.example' AND mfa_enabled_at IS NULL"
    eval "op_$n=$(session "$dir/$n/portal.db" op.bench@operators.example)"
    eval "_p=\$port_$n _s=\$nora_$n"
    _k=$(python3 bench/session.py apikeys "http://127.0.0.1:$_p" "$_s" 1)
    eval "api_$n=$_k"
done

# The pages: "who url" per line (who: nora, tara, op the operator, api Nora's organization's API
# credential, anon). Every list page of routes.def, first and last page, every
# sort and filter. Pages with a Next/Previous pager are asked for their last page through
# the pager's own link to the oldest end (bench/scale-pages.py follows "last" links);
# page=next on a First/Next pager (the Relationships page) is the first page's Next link.
cat >"$work/pages" <<'EOF'
nora /customers
nora /customers?page=999999
nora /customers?sort=name&dir=desc
nora /customers?sort=since&dir=asc
nora /customers?sort=since&dir=desc
nora /customers?sort=since&dir=desc&page=999999
nora /settings/audit
nora /settings/audit?page=999999
nora /settings/audit?action=signin
nora /settings/audit?action=signin&page=999999
nora /settings/audit?action=customer.invite
nora /settings/audit?actor=nora.north%40northwind.example
nora /settings/audit?actor=agent45%40northwind.example
nora /settings/audit?actor=agent45%40northwind.example&page=999999
nora /settings/audit?actor=nora.north%40northwind.example&action=signin
nora /settings/audit?action=no.such.action
nora /settings/audit.csv?actor=agent45%40northwind.example
nora /resellers
nora /resellers?page=999999
nora /resellers?sort=name&dir=desc
nora /resellers?sort=since&dir=desc&page=999999
nora /resellers?ipage=999999
nora /customers?q=contoso
nora /customers?q=no-such-customer
nora /customers?q=customer&sort=since&dir=desc&page=999999
nora /resellers?q=trey
nora /resellers?q=no-such-reseller
nora /resellers?q=reseller&page=999999
nora /resellers/2
nora /relationships
nora /relationships?page=next
nora /relationships?sort=name&dir=desc
nora /relationships?sort=since
nora /relationships?sort=since&dir=desc
nora /relationships?sort=since&dir=desc&page=next
nora /relationships?kind=reseller
nora /relationships?kind=customer&sort=since
nora /relationships?kind=delegated
nora /relationships?state=pending
nora /relationships?state=active&sort=name&dir=desc
nora /relationships?state=terminated
nora /relationships?state=ended
nora /relationships?days=30
nora /relationships?q=contoso
nora /relationships?q=no-such-organization
nora /customers/6
nora /customers/6/order
nora /settings/users
nora /settings/users?sort=email&dir=desc
nora /settings/users?q=nora
nora /settings/security/compliance
nora /settings/security/compliance?mfa=off
nora /account
nora /
tara /providers
tara /providers/2/customers
tara /providers/2/customers?page=999999
tara /providers/2/customers?ipage=999999
anon /find-a-provider
anon /find-a-provider?page=999999
anon /find-a-provider?q=provider+abc
anon /find-a-provider?country=DE
anon /find-a-provider?region=EUR&page=999999
op /operator/partners?q=trey
op /operator/partners?q=no-such-partner
api /api/v1/customers?q=contoso
api /api/v1/customers?q=no-such-customer
EOF

if [ -n "${SCALE_ONLY:-}" ]; then
    grep -e "$SCALE_ONLY" "$work/pages" >"$work/pages.only" || true
    mv "$work/pages.only" "$work/pages"
fi
printf '\n%-64s %10s %10s %7s\n' "page (${SCALE_STAT:-median} of $reps, ms)" demo large ratio
python3 bench/scale-pages.py "$work/pages" "$reps" \
    "$port_demo" "$nora_demo" "$tara_demo" "$port_large" "$nora_large" "$tara_large" \
    "$op_demo" "$api_demo" "$op_large" "$api_large"

# RSS of the large database's worker under many requests of the list pages (the URLs as the
# timing run asked for them: a cursor pager's last page through its link).
if [ "$rss_reqs" -gt 0 ]; then
    worker=$(pgrep -P "$portal_large" | head -1)
    rss() { awk '/^VmRSS/{r=$2} /^RssAnon/{a=$2} /^RssFile/{f=$2} END{printf "%.1f (anonymous %.1f, file %.1f)", r/1024, a/1024, f/1024}' "/proc/$worker/status"; }
    echo
    echo "worker RSS on the large database (MiB): start $(rss)"
    if [ -n "${SCALE_RSS_SKIP:-}" ]; then
        grep -v -e "$SCALE_RSS_SKIP" "$work/pages.resolved" >"$work/pages.rss" || true
        mv "$work/pages.rss" "$work/pages.resolved"
    fi
    cat >"$work/rss.lua" <<EOF
local paths = {}
for line in io.lines("$work/pages.resolved") do
  local who, url = line:match("^(%S+) (%S+)")
  if who == "nora" then paths[#paths + 1] = url end
end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], { Cookie = "sid=$nora_large" })
end
EOF
    done=0
    step=$((rss_reqs / 4))
    while [ $done -lt "$rss_reqs" ]; do
        t0=$(date +%s)
        out=$(wrk -t2 -c8 -d20s -s "$work/rss.lua" "http://127.0.0.1:$port_large/" 2>&1)
        n=$(printf '%s\n' "$out" | awk '/requests in/{print $1}')
        done=$((done + n))
        printf '  after %8d requests: %s MiB (%s req/s)\n' "$done" "$(rss)" \
            "$(printf '%s\n' "$out" | awk '/Requests\/sec/{print $2}')"
        [ "$n" -gt 0 ] || break
        [ $step -gt 0 ] || break
    done
fi
