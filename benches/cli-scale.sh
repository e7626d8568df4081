#!/usr/bin/env bash
# `gongkai ingest` through the binary (release) on synthetic text corpora of 1k / 10k / 100k
# reports, against the floor of reading the same bytes (`cat`, in the same run), printing
# reports/s and the ratio; and `gongkai run` on 10k mixed reports (every shape, office files
# included), first with an empty cache and then unchanged with it (issue 20's figures). By
# hand only: it builds in release and writes about 4 GB under ${TMPDIR:-/tmp}.
# Usage: benches/cli-scale.sh [RUNS] [SIZES]   (SIZES default "t1k t10k t100k")
# GONGKAI_BIN=path runs that binary instead of building target/release/gongkai.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
sizes=${2:-t1k t10k t100k}
tmp=${TMPDIR:-/tmp}/gongkai-cli-scale
mkdir -p "$tmp"
if [ -n "${GONGKAI_BIN:-}" ]; then
  g=$GONGKAI_BIN
else
  cargo build --release --locked -q
  g=target/release/gongkai
fi
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
# Each run writes a directory of its own, all deleted at the end: `run` writes 10,002 score
# cards, and ext4 allocating inodes minutes after ten thousand were deleted scans past the
# deleted ones (`recently_deleted`) — writing 10,000 small files in a directory right after
# deleting 10,000 took 4.5 s wall and 8.3 s of system time here, 0.6 s a minute later.
# Each timed run starts with the disk at rest (`sync`), as the ingest runs above do: without
# it a run shares the two cores and the disk with the writeback of the previous runs' 1.3 GB.
# The file system's recent history still shows in the report stage (10,002 cards created):
# in session 17, `run` took 4.41-5.07 s on ext4 after `sync` and minutes after any mass
# deletion, and 8.26-9.28 s (report stage 4.2-4.7 s) within minutes of one.
stamp=$(date +%s)
for i in $(seq "$runs"); do
  o="$tmp/run-m10k-$stamp-$i"
  sync
  /usr/bin/time -f "run m10k (10002 mixed files): %e s wall, %U s user, %S s sys, %M KB peak" \
    "$g" run "$tmp/m10k/reports" --out "$o" --quiet --no-cache
  python3 -c "import json,sys; print('  stages:', json.load(open(sys.argv[1]))['timings_s'])" "$o/run.json"
  # With the cache, unchanged: nothing to parse.
  c="$tmp/run-m10k-c-$stamp-$i"
  "$g" run "$tmp/m10k/reports" --out "$c" --quiet
  sync
  /usr/bin/time -f "run m10k unchanged rerun (cache): %e s wall, %U s user, %M KB peak" \
    "$g" run "$tmp/m10k/reports" --out "$c" --quiet
done
rm -rf "$tmp"/run-m10k-*"$stamp"* "$tmp"/.run-m10k-c-"$stamp"-*.cache
