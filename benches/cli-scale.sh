#!/usr/bin/env bash
# `gongkai ingest` through the binary (release) on synthetic text corpora of 1k / 10k / 100k
# reports, against the floor of reading the same bytes (`cat`, in the same run), printing
# reports/s and the ratio; and `gongkai run` on 10k mixed reports (every shape, office files
# included), first with an empty cache and then unchanged with it (issue 20's figures). By
# hand only: it builds in release and writes about 4 GB under ${TMPDIR:-/tmp}.
# Usage: benches/cli-scale.sh [RUNS] [SIZES]   (SIZES default "t1k t10k t100k")
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
sizes=${2:-t1k t10k t100k}
tmp=${TMPDIR:-/tmp}/gongkai-cli-scale
mkdir -p "$tmp"
cargo build --release --locked -q
g=target/release/gongkai
corpus() { # NAME ISSUERS YEARS FORMATS
  [ -f "$tmp/$1/truth_cells.csv" ] || "$g" synth --out "$tmp/$1" --issuers "$2" --years "$3" --seed 2026 --formats "$4" >/dev/null
}
text=html,pipe,markdown,layout,glued
corpus t1k 167 2019-2024 "$text"
corpus t10k 1667 2019-2024 "$text"
corpus t100k 9091 2014-2024 "$text"
corpus m10k 1667 2019-2024 "$text,xlsx,sheets,docx,csv,ods"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
secs() { # COMMAND... → wall seconds on stdout (the command's own output dropped)
  local t0 t1
  t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
for n in $sizes; do
  files=$(find "$tmp/$n/reports" -type f | wc -l)
  for i in $(seq "$runs"); do
    sync; rm -rf "$tmp/out-$n"
    /usr/bin/time -f "ingest $n ($files files): %e s wall, %U s user, %S s sys, %M KB peak" \
      "$g" ingest "$tmp/$n/reports" --out "$tmp/out-$n" --quiet --no-cache
    rm -rf "$tmp/out-$n"
    ing=$(secs "$g" ingest "$tmp/$n/reports" --out "$tmp/out-$n" --quiet --no-cache)
    cat=$(secs sh -c "find '$tmp/$n/reports' -type f -print0 | xargs -0 cat > /dev/null")
    printf '%s: ingest %.2f s = %.0f reports/s; cat %.3f s = %.0f reports/s; ingest/cat %.1fx\n' \
      "$n" "$ing" "$(echo "$files / $ing" | bc -l)" "$cat" "$(echo "$files / $cat" | bc -l)" \
      "$(echo "$ing / $cat" | bc -l)"
  done
done
for i in $(seq "$runs"); do
  rm -rf "$tmp/run-m10k"
  /usr/bin/time -f "run m10k (10002 mixed files): %e s wall, %U s user, %S s sys, %M KB peak" \
    "$g" run "$tmp/m10k/reports" --out "$tmp/run-m10k" --quiet --no-cache
  python3 -c "import json,sys; print('  stages:', json.load(open(sys.argv[1]))['timings_s'])" "$tmp/run-m10k/run.json"
  # With the cache, unchanged: nothing to parse.
  rm -rf "$tmp/run-m10k-c" "$tmp/.run-m10k-c.cache"
  "$g" run "$tmp/m10k/reports" --out "$tmp/run-m10k-c" --quiet
  /usr/bin/time -f "run m10k unchanged rerun (cache): %e s wall, %U s user, %M KB peak" \
    "$g" run "$tmp/m10k/reports" --out "$tmp/run-m10k-c" --quiet
done
