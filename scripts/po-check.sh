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
	# {placeholders}: msgexec hands each message's translation on stdin, its id in MSGEXEC_MSGID
	bad=$(msgexec -i "$po" sh -c '
		[ -z "$MSGEXEC_MSGID" ] && exit 0
		want=$( { printf "%s\n" "$MSGEXEC_MSGID"; printf "%s\n" "${MSGEXEC_MSGID_PLURAL:-}"; } | grep -o "{[^{}]*}" | sort -u)
		have=$(grep -o "{[^{}]*}" | sort -u)
		if [ -n "${MSGEXEC_MSGID_PLURAL:-}" ]; then
			extra=$(printf "%s\n" "$have" | grep -v "^$" | grep -vxF "$want" || true)
			[ -z "$extra" ] || echo "$MSGEXEC_MSGID: $extra"
		elif [ "$want" != "$have" ]; then
			echo "$MSGEXEC_MSGID: $have"
		fi' 2>&1)
	if [ -n "$bad" ]; then
		echo "po-check: $po: translations whose {placeholders} differ from the message id's:"
		echo "$bad" | head -20
		failed=1
	fi
done
rm -f /tmp/po-check.$$
[ $failed = 0 ] && echo "po-check: every catalog complete"
exit $failed
