#!/usr/bin/env bash
# Times `gongkai ingest` of one cli-scale corpus with two or more binaries run alternately,
# so that all of them meet the machine in the same state (its speed varies by the hour).
# By hand only. Usage: benches/ab.sh RUNS CORPUS BINARY... (CORPUS: t1k, t10k, t100k or m10k,
# made by benches/cli-scale.sh under ${TMPDIR:-/tmp}/gongkai-cli-scale).
set -euo pipefail
runs=$1 corpus=$2
shift 2
tmp=${TMPDIR:-/tmp}/gongkai-cli-scale
for i in $(seq "$runs"); do
  for b in "$@"; do
    rm -rf "$tmp/ab-out"
    sync
    /usr/bin/time -f "$(basename "$b") %e s wall %U u %S s %M KB" \
      "$b" ingest "$tmp/$corpus/reports" --out "$tmp/ab-out" --quiet --no-cache
  done
done 2>&1 | sort | awk '{ print; w[$1] = w[$1] " " $2; c[$1] = c[$1] " " ($5 + $7) }
  END { for (k in w) print k, "wall:", w[k], " cpu (user+sys):", c[k] }'
