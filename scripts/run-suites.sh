#!/bin/sh
# run-suites.sh JOBS NAME 'VAR=value ...' SUITE... — the unit suites (Check programs), JOBS at
# a time (make unit, make asan's unit suites). Each suite's output is kept and printed whole,
# in the suites' order, once all have run; every suite runs even when one fails, and the
# script fails if any did, naming them ("make NAME: FAILED: ...").
# Suites write only in private temp directories and ":memory:" databases, so they do not
# share anything (the PostgreSQL suites share one database: make unit-pg runs them in turn).
set -u
jobs=$1 name=$2 vars=$3
shift 3
out=$(mktemp -d "${TMPDIR:-/tmp}/suites.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM
i=0
for t in "$@"; do
	i=$((i + 1))
	printf '%s %s\n' "$i" "$t"
done | xargs -P "$jobs" -L 1 sh -c '
	# $1: the suite number (its output file), $2: the suite
	env '"$vars"' "$2" > "'"$out"'/$1.out" 2>&1 || echo "${2##*/}" > "'"$out"'/$1.failed"' sh
failed=""
i=0
for t in "$@"; do
	i=$((i + 1))
	cat "$out/$i.out"
	[ -f "$out/$i.failed" ] && failed="$failed ${t##*/}"
done
if [ -n "$failed" ]; then
	echo "make $name: FAILED:$failed"
	exit 1
fi
