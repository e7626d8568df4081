#!/usr/bin/env bash
# The hostile batch of tests/hostile.rs at the sizes of issue 18, timed in release with
# /usr/bin/time -v. Its peak RSS is the largest of the batch process and of each worker it
# waited for (getrusage's children figure), not their sum. By hand:
#   cargo build --release --locked && bash benches/hostile.sh
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
GONGKAI_HOSTILE_FULL="$dir/in" cargo test --quiet --test it hostile::a_batch >/dev/null 2>&1
du -sh "$dir/in"
/usr/bin/time -v target/release/gongkai ingest "$dir/in" --out "$dir/o" --no-cache -q \
  2> "$dir/time" || true
grep -E "Elapsed|Maximum resident" "$dir/time"
python3 -c 'import csv,sys; print("rows:", sum(1 for _ in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))))' "$dir/o/reports.csv"
