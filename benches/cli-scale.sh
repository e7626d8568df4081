#!/usr/bin/env bash
# `gongkai ingest` through the binary (release) on synthetic text corpora of 1k / 10k / 100k
# reports, against the floor of reading the same bytes; and `gongkai run` on 10k mixed
# reports (every shape, office files included). By hand only: it builds in release and
# writes about 4 GB under ${TMPDIR:-/tmp}. Usage: benches/cli-scale.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
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
for n in t1k t10k t100k; do
  files=$(find "$tmp/$n/reports" -type f | wc -l)
  for i in $(seq "$runs"); do
    sync; rm -rf "$tmp/out-$n"
    /usr/bin/time -f "ingest $n ($files files): %e s wall, %U s user, %S s sys, %M KB peak" \
      "$g" ingest "$tmp/$n/reports" --out "$tmp/out-$n" --quiet --no-cache
    /usr/bin/time -f "cat floor $n: %e s wall" \
      sh -c "find '$tmp/$n/reports' -type f -print0 | xargs -0 cat > /dev/null"
  done
done
for i in $(seq "$runs"); do
  rm -rf "$tmp/run-m10k"
  /usr/bin/time -f "run m10k (10002 mixed files): %e s wall, %U s user, %S s sys, %M KB peak" \
    "$g" run "$tmp/m10k/reports" --out "$tmp/run-m10k" --quiet --no-cache
  python3 -c "import json,sys; print('  stages:', json.load(open(sys.argv[1]))['timings_s'])" "$tmp/run-m10k/run.json"
done
