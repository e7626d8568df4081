#!/usr/bin/env bash
# CPU (user + sys seconds) to read the PDF fixtures, gongkai against `pdftotext -layout` on
# the same files, alternately, RUNS times; prints each run and the medians. The fixtures
# (tests/fixtures/pdf, its real/ and the Huaian PDF) are copied COPIES times so that start-up
# weighs little. gongkai's figure is a whole ingest (reading, extraction, frames), in one
# process (--isolation none), no cache. Needs poppler-utils. By hand, never in CI:
#   cargo build --release --locked && bash benches/pdf.sh 7 5
set -euo pipefail
runs=${1:-7}
copies=${2:-5}
bin=${3:-target/release/gongkai}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/in"
for i in $(seq "$copies"); do
  for f in tests/fixtures/pdf/*.pdf tests/fixtures/pdf/real/*.pdf tests/fixtures/real/*.pdf; do
    cp "$f" "$dir/in/${i}_$(basename "$f")"
  done
done
echo "$(ls "$dir/in" | wc -l) PDFs"
cpu() { /usr/bin/time -f "%U %S" "$@" 2>&1 >/dev/null | tail -1 | awk '{print $1 + $2}'; }
: > "$dir/p"; : > "$dir/g"
for r in $(seq "$runs"); do
  p=$(cpu bash -c 'for f in "$0"/in/*.pdf; do pdftotext -layout "$f" /dev/null; done' "$dir")
  g=$(cpu "$bin" ingest --no-cache --isolation none -q --out "$dir/out" "$dir/in")
  echo "run $r: pdftotext ${p}s, gongkai ${g}s"
  echo "$p" >> "$dir/p"; echo "$g" >> "$dir/g"
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mp=$(median "$dir/p"); mg=$(median "$dir/g")
echo "median CPU: pdftotext ${mp}s, gongkai ${mg}s, ratio $(awk -v g="$mg" -v p="$mp" 'BEGIN {printf "%.2f", g / p}')"
