#!/bin/sh
# check-layers.sh — dependencies point only down (README "Layout", ../shared/STYLE.md):
#
#   layer    may include headers of
#   base     base
#   store    store base                 (the only layer that sees a database engine)
#   domain   domain store base
#   mail     mail store base
#   web      web domain mail base       (the only layers that see libfcgi: web)
#   pages    pages web domain mail base
#   cli      cli domain store mail base
#
# Every project include names its layer ("base/arena.h"), so the rule is a look at each
# #include line. Also: engine headers (sqlite3.h, libpq-fe.h) only under src/store/,
# fcgiapp.h only under src/web/, and the store's data calls (st_*) only from domain, cli
# and the store itself — web and pages reach data through the domain. Prints every
# violation as file:line and exits 1 if there is any.
#
#   scripts/check-layers.sh            the tree
#   scripts/check-layers.sh DIR        a tree at DIR (its src/)
#   scripts/check-layers.sh --self-test  plants one violation of each kind in a copy of the
#                                       layout and fails unless every one is reported
set -u
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--self-test" ]; then
	t=$(mktemp -d)
	trap 'rm -rf "$t"' EXIT
	mkdir -p "$t/src/base" "$t/src/store" "$t/src/domain" "$t/src/web" "$t/src/pages" "$t/src/cli"
	printf '#include "base/util.h"\n#include "web/http.h"\n' > "$t/src/domain/up.c"
	printf '#include <sqlite3.h>\n' > "$t/src/pages/engine.c"
	printf 'int f(void) { return st_users_page(0); }\n' > "$t/src/pages/data.c"
	printf '#include "util.h"\n' > "$t/src/base/bare.c"
	printf '#include <fcgiapp.h>\n' > "$t/src/cli/fcgi.c"
	printf '#include "store/store.h"\n#include "domain/access.h"\n' > "$t/src/cli/ok.c"
	out=$(scripts/check-layers.sh "$t" 2>&1) && { echo "check-layers: self-test: a planted violation passed"; exit 1; }
	for want in 'src/domain/up.c:2: domain may not include web/http.h' 'src/pages/engine.c:1:' \
	    'src/pages/data.c:1:' 'src/base/bare.c:1: include "util.h" does not name its layer' 'src/cli/fcgi.c:1:'; do
		case "$out" in *"$want"*) ;; *) echo "check-layers: self-test: not reported: $want"; echo "$out"; exit 1 ;; esac
	done
	case "$out" in *ok.c*) echo "check-layers: self-test: an allowed include was reported"; echo "$out"; exit 1 ;; esac
	echo "check-layers: self-test: every planted violation reported"
	exit 0
fi
root=${1:-.}

allowed() {
	case "$1" in
	base)   echo "base" ;;
	store)  echo "store base" ;;
	domain) echo "domain store base" ;;
	mail)   echo "mail store base" ;;
	web)    echo "web domain mail base" ;;
	pages)  echo "pages web domain mail base" ;;
	cli)    echo "cli domain store mail base" ;;
	*)      echo "" ;;
	esac
}

bad=0
say() { echo "check-layers: $*"; bad=1; }

for dir in "$root"/src/*/; do
	layer=$(basename "$dir")
	ok=$(allowed "$layer")
	[ -n "$ok" ] || { say "$dir is not a known layer"; continue; }
	for f in "$dir"*.c "$dir"*.h "$dir"*.def; do
		[ -f "$f" ] || continue
		# project includes: "layer/file.h"
		rel=${f#"$root"/}
		grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" | while IFS= read -r line; do
			n=${line%%:*}
			inc=$(printf '%s\n' "$line" | sed 's/.*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/')
			case "$inc" in
			*/*) to=${inc%%/*} ;;
			*) echo "check-layers: $rel:$n: include \"$inc\" does not name its layer (write \"<layer>/$inc\")"; continue ;;
			esac
			case " $ok " in
			*" $to "*) ;;
			*) echo "check-layers: $rel:$n: $layer may not include $inc ($layer may use: $ok)" ;;
			esac
		done
		if [ "$layer" != store ] && grep -nE '#[[:space:]]*include[[:space:]]*<(sqlite3|libpq-fe)\.h>' "$f" >/dev/null; then
			grep -nE '#[[:space:]]*include[[:space:]]*<(sqlite3|libpq-fe)\.h>' "$f" | sed "s|^|check-layers: $rel:|; s|\$| (database engine headers belong in src/store/)|"
		fi
		if [ "$layer" != web ] && grep -nE '#[[:space:]]*include[[:space:]]*<fcgiapp\.h>' "$f" >/dev/null; then
			grep -nE '#[[:space:]]*include[[:space:]]*<fcgiapp\.h>' "$f" | sed "s|^|check-layers: $rel:|; s|\$| (libfcgi belongs in src/web/)|"
		fi
		case "$layer" in
		web|pages)
			grep -nE '(^|[^a-z_])st_[a-z0-9_]+[[:space:]]*\(' "$f" | sed "s|^|check-layers: $rel:|; s|\$| (data calls go through the domain layer)|"
			;;
		esac
	done
done >/tmp/check-layers.$$ 2>&1
if [ -s /tmp/check-layers.$$ ]; then
	cat /tmp/check-layers.$$
	echo "check-layers: $(wc -l </tmp/check-layers.$$) violation(s)"
	rm -f /tmp/check-layers.$$
	exit 1
fi
rm -f /tmp/check-layers.$$
[ $bad -eq 0 ] || exit 1
echo "check-layers: ok"
