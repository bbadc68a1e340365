#!/bin/sh
# Runs the libFuzzer targets named on the command line, FUZZ_JOBS at a time, each for
# FUZZ_SECONDS (make fuzz builds them into build/fuzz/ first). A target's log is
# build/fuzz/<name>.log, a crash build/fuzz/<name>-crash-*. Prints each target's summary when it
# ends; exits non-zero if any target found a crash, a leak or a timeout.
set -u
: "${FUZZ_SECONDS:=60}" "${FUZZ_JOBS:=2}"
export FUZZ_SECONDS
[ $# -gt 0 ] || { echo "usage: scripts/fuzz-run.sh NAME..." >&2; exit 2; }
printf '%s\n' "$@" | xargs -P "$FUZZ_JOBS" -I{} sh -c '
  n=$1; mkdir -p build/fuzz/corpus/$n
  if build/fuzz/$n -max_total_time=$FUZZ_SECONDS -timeout=20 -print_final_stats=1 \
      -artifact_prefix=build/fuzz/$n- build/fuzz/corpus/$n tests/fuzz/seeds/$n >build/fuzz/$n.log 2>&1; then
    echo "fuzz: $n for ${FUZZ_SECONDS}s: $(grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb)" build/fuzz/$n.log | tr "\n" " ")"
  else
    tail -40 build/fuzz/$n.log; echo "fuzz: $n FAILED"; exit 1
  fi' sh {}
