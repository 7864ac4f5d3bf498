#!/usr/bin/env bash
# The test suite N times in a row (default 10) while one core is kept busy by a spin loop, on a fresh clone of this
# checkout's HEAD (npm ci first; the first run builds): issue 10's "10 consecutive runs with one core busy".
# Prints one line per run: exit status, wall time, vitest's Duration, the summary line and the load average.
#   bash bench/suite-under-load.sh [RUNS]
set -u
runs=${1:-10}
src=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
dir=$(mktemp -d "${TMPDIR:-/tmp}/aerakictl-load-XXXXXX")
git clone -q "$src" "$dir/repo" && cd "$dir/repo" && npm ci >/dev/null 2>&1 || { echo "clone or npm ci failed in $dir"; exit 1; }
export NO_COLOR=1 CI=true OCLIF_SKIP_NEW_VERSION_CHECK=true
echo "$(git log --oneline -1) — $runs runs, one core spinning"
failed=0
for i in $(seq 1 "$runs"); do
  node -e 'for(;;){}' & spin=$!
  start=$(date +%s)
  npx vitest run > "$dir/run-$i.log" 2>&1; rc=$?
  end=$(date +%s)
  kill "$spin"
  [ "$rc" -eq 0 ] || failed=$((failed + 1))
  duration=$(sed 's/\x1b\[[0-9;]*m//g' "$dir/run-$i.log" | awk '/^ +Duration/ {print $2}')
  echo "run $i: exit $rc, wall $((end - start)) s, vitest $duration, $(tail -1 "$dir/run-$i.log"), load $(cut -d' ' -f1-3 /proc/loadavg)"
done
echo "$failed of $runs runs failed; logs in $dir"
[ "$failed" -eq 0 ]
