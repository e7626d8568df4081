#!/usr/bin/env bash
# MD5s of every output, for "byte-identical before and after" (issues 17 and 20). By hand only.
# Usage: benches/md5s.sh BINARY OUT.txt
# Runs BINARY on: the default corpus (`run`), the development corpora (`run` and `ingest` on
# data/corpus/real, tests/fixtures, ../shared/corpus/real2 when present) and a 10,002-report
# synthetic corpus of every format (`run` and `ingest`), each with --no-cache, then lists the
# MD5 of every file written. run.json's timings and the output directory's own path are the
# only parts that differ between two runs of one binary, so run.json is hashed without them.
set -euo pipefail
cd "$(dirname "$0")/.."
g=$(realpath "$1") out=$(realpath -m "$2")
tmp=${TMPDIR:-/tmp}/gongkai-md5s
mkdir -p "$tmp"
syn=$tmp/m10k
[ -f "$syn/truth_cells.csv" ] || "$g" synth --out "$syn" --issuers 1667 --years 2019-2024 --seed 2026 \
  --formats html,pipe,markdown,layout,glued,xlsx,sheets,docx,csv,ods >/dev/null
jobs=("default run" "real run data/corpus/real" "fixtures run tests/fixtures" "synth run $syn/reports"
      "real-ingest ingest data/corpus/real" "synth-ingest ingest $syn/reports")
[ -d ../shared/corpus/real2 ] && jobs+=("real2 run ../shared/corpus/real2")
: > "$out"
for j in "${jobs[@]}"; do
  read -r name cmd path <<<"$j"
  d=$tmp/out-$name
  rm -rf "$d"
  "$g" $cmd $path --out "$d" --quiet --no-cache >/dev/null 2>&1 || true
  (cd "$d" && find . -type f ! -name run.json -print0 | sort -z | xargs -0 md5sum | sed "s|^|$name |") >> "$out"
  if [ -f "$d/run.json" ]; then
    python3 - "$d/run.json" "$d" <<'PY' | md5sum | sed "s|-|./run.json (no timings)|;s|^|$name |" >> "$out"
import json, sys
def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if not k.startswith("timing") and k not in ("elapsed_s", "seconds")}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v.replace(sys.argv[2], "OUT") if isinstance(v, str) else v
print(json.dumps(strip(json.load(open(sys.argv[1]))), sort_keys=True, ensure_ascii=False))
PY
  fi
done
wc -l < "$out"
