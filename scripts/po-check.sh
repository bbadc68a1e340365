#!/bin/sh
# po-check.sh POT LANG... — the catalogs are complete (issue 18, `make po-check`):
#   every message id marked in the code and templates (POT, just extracted) is in po/<lang>.po
#   and translated there (msgcmp), no entry is untranslated or fuzzy (msgfmt --check
#   --statistics), and each translation names exactly the {placeholders} of its message id
#   (a plural form may leave out the count's, as "jeden" for 1).
set -u
pot=$1; shift
failed=0
for l in "$@"; do
	po=po/$l.po
	if ! msgcmp --use-untranslated "$po" "$pot" 2>/tmp/po-check.$$; then
		echo "po-check: $po lacks message ids marked in the code or templates (make update-po, then translate):"
		head -20 /tmp/po-check.$$
		failed=1
	fi
	stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1) || { echo "$stats"; failed=1; continue; }
	echo "po-check: $l: $stats"
	case $stats in
	*fuzzy*|*untranslated*) echo "po-check: $po has fuzzy or untranslated entries"; failed=1 ;;
	esac
	# {placeholders}: one awk over the catalog (msgattrib --no-wrap: each string on its lines, no
	# obsolete entries), each translation (each plural form) against its id's placeholders (a
	# shell and four greps per message under msgexec took four minutes of make test's time)
	norm=$(msgattrib --no-wrap --no-obsolete "$po") || { echo "po-check: msgattrib could not read $po"; failed=1; continue; }
	bad=$(printf '%s\n' "$norm" | awk '
		function ph(s, out, t) {	# the sorted distinct {placeholders} of s, space separated
			delete seen; n = 0
			while (match(s, /\{[^{}]*\}/)) { t = substr(s, RSTART, RLENGTH); if (!(t in seen)) { seen[t] = 1; list[++n] = t } s = substr(s, RSTART + RLENGTH) }
			for (i = 2; i <= n; i++) { t = list[i]; for (j = i - 1; j >= 1 && list[j] > t; j--) list[j + 1] = list[j]; list[j + 1] = t }
			out = ""; for (i = 1; i <= n; i++) out = out (i > 1 ? " " : "") list[i]
			return out
		}
		function unq(line) { sub(/^[^"]*"/, "", line); sub(/"[ \t]*$/, "", line); return line }
		function check(   w, h, k, x, m, extra) {
			if (id == "" || nstr == 0) return
			w = ph(id "\n" plural)
			for (k = 1; k <= nstr; k++) {
				h = ph(str[k])
				if (plural != "") {
					m = split(h, x, " "); extra = ""
					for (i2 = 1; i2 <= m; i2++) if (index(" " w " ", " " x[i2] " ") == 0) extra = extra (extra == "" ? "" : " ") x[i2]
					if (extra != "") print id ": " extra
				} else if (h != w) print id ": " h
			}
		}
		/^#/ { next }
		/^msgid / { check(); id = unq($0); plural = ""; nstr = 0; field = "id"; next }
		/^msgid_plural / { plural = unq($0); field = "plural"; next }
		/^msgstr/ { str[++nstr] = unq($0); field = "str"; next }
		/^"/ { if (field == "id") id = id unq($0); else if (field == "plural") plural = plural unq($0); else if (field == "str") str[nstr] = str[nstr] unq($0); next }
		END { check() }
	')
	if [ -n "$bad" ]; then
		echo "po-check: $po: translations whose {placeholders} differ from the message id's:"
		echo "$bad" | head -20
		failed=1
	fi
done
rm -f /tmp/po-check.$$
[ $failed = 0 ] && echo "po-check: every catalog complete"
exit $failed
