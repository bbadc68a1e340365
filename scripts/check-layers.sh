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
set -u
cd "$(dirname "$0")/.."

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

for dir in src/*/; do
	layer=$(basename "$dir")
	ok=$(allowed "$layer")
	[ -n "$ok" ] || { say "$dir is not a known layer"; continue; }
	for f in "$dir"*.c "$dir"*.h "$dir"*.def; do
		[ -f "$f" ] || continue
		# project includes: "layer/file.h"
		grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" | while IFS= read -r line; do
			n=${line%%:*}
			inc=$(printf '%s\n' "$line" | sed 's/.*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/')
			case "$inc" in
			*/*) to=${inc%%/*} ;;
			*) echo "check-layers: $f:$n: include \"$inc\" does not name its layer (write \"<layer>/$inc\")"; continue ;;
			esac
			case " $ok " in
			*" $to "*) ;;
			*) echo "check-layers: $f:$n: $layer may not include $inc ($layer may use: $ok)" ;;
			esac
		done
		if [ "$layer" != store ] && grep -nE '#[[:space:]]*include[[:space:]]*<(sqlite3|libpq-fe)\.h>' "$f" >/dev/null; then
			grep -nE '#[[:space:]]*include[[:space:]]*<(sqlite3|libpq-fe)\.h>' "$f" | sed "s|^|check-layers: $f:|; s|\$| (database engine headers belong in src/store/)|"
		fi
		if [ "$layer" != web ] && grep -nE '#[[:space:]]*include[[:space:]]*<fcgiapp\.h>' "$f" >/dev/null; then
			grep -nE '#[[:space:]]*include[[:space:]]*<fcgiapp\.h>' "$f" | sed "s|^|check-layers: $f:|; s|\$| (libfcgi belongs in src/web/)|"
		fi
		case "$layer" in
		web|pages)
			grep -nE '(^|[^a-z_])st_[a-z0-9_]+[[:space:]]*\(' "$f" | sed "s|^|check-layers: $f:|; s|\$| (data calls go through the domain layer)|"
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
