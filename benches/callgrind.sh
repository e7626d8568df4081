#!/usr/bin/env bash
# Counts the instructions `gongkai ingest` takes (callgrind), free of the machine's noise:
# the 1k text corpus of benches/cli-scale.sh in one process and one thread, the same with its
# worker processes (every process counted, parent first), and 300 reports of each text shape
# in one process. The method of benches/README.md's sessions 20 onwards, as one command.
# By hand only (valgrind, about eight minutes a binary on two cores).
# Usage: benches/callgrind.sh BINARY...   (release binaries; build them with
#   CARGO_PROFILE_RELEASE_DEBUG=line-tables-only for callgrind_annotate to name lines)
# Each run's profile is kept under ${TMPDIR:-/tmp}/gongkai-callgrind/NAME-CORPUS.out, NAME the
# binary's file name, for callgrind_annotate.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 BINARY..." >&2; exit 2; }
tmp=${TMPDIR:-/tmp}
corpora=$tmp/gongkai-cli-scale
out=$tmp/gongkai-callgrind
mkdir -p "$corpora" "$out"
g=$1
# The corpora, made once by the first binary as benches/cli-scale.sh makes t1k.
[ -f "$corpora/t1k/truth_cells.csv" ] || "$g" synth --out "$corpora/t1k" --issuers 167 \
  --years 2019-2024 --seed 2026 --formats html,pipe,markdown,layout,glued >/dev/null
shapes=(pipe markdown layout html glued)
for s in "${shapes[@]}"; do
  [ -f "$corpora/s-$s/truth_cells.csv" ] || "$g" synth --out "$corpora/s-$s" --issuers 50 \
    --years 2019-2024 --seed 2026 --formats "$s" >/dev/null
done
# Instructions of one run in one process and thread: BINARY CORPUS_DIR NAME
one() {
  local dest=$tmp/gongkai-callgrind-out
  rm -rf "$dest"
  RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$out/$3.out" \
    "$1" ingest "$2" --out "$dest" --no-cache -q --isolation none 2>&1 |
    awk '/refs:/ { gsub(",", "", $NF); print $NF }'
  rm -rf "$dest"
}
# Instructions of one run with its workers, each process: BINARY NAME
workers() {
  local dest=$tmp/gongkai-callgrind-out
  rm -rf "$dest" "$out/$2.workers"
  mkdir -p "$out/$2.workers"
  valgrind --tool=callgrind --trace-children=yes \
    --callgrind-out-file="$out/$2.workers/cg.%p" \
    "$1" ingest "$corpora/t1k/reports" --out "$dest" --no-cache -q >/dev/null 2>&1
  rm -rf "$dest"
  # The parent is the process whose command is `ingest`; the others are its workers.
  local parent=0 rest=0 f n
  for f in "$out/$2.workers"/cg.*; do
    n=$(awk '/^summary:/ { print $2; exit }' "$f")
    if grep -q '^cmd: .* ingest ' "$f"; then parent=$((parent + n)); else rest=$((rest + n)); fi
  done
  echo "$((parent + rest)) $parent $rest"
}
m() { awk -v n="$1" 'BEGIN { printf "%.1f M", n / 1e6 }'; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for b in "$@"; do
  name=$(basename "$b")
  echo "== $name"
  echo "t1k in process: $(m "$(one "$b" "$corpora/t1k/reports" "$name-t1k")")"
  read -r all parent rest <<<"$(workers "$b" "$name-t1k")"
  echo "t1k with workers: $(m "$all") (parent $(m "$parent"), workers $(m "$rest"))"
  for s in "${shapes[@]}"; do
    echo "$s (300 reports) in process: $(m "$(one "$b" "$corpora/s-$s/reports" "$name-$s")")"
  done
done
