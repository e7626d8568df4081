#!/usr/bin/env bash
# Builds the seed corpora for the fuzz targets from the real reports and synthetic office
# files (nothing binary is committed). Run from the repository root: bash fuzz/seed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/read fuzz/corpus/value fuzz/corpus/pdf
tmp=$(mktemp -d)
cargo run --quiet -- synth --out "$tmp" --issuers 5 --years 2020-2021 \
  --formats html,pipe,markdown,layout,glued,xlsx,sheets,docx,csv,ods >/dev/null
i=0
# The first byte picks the file-name extension (see fuzz_targets/read.rs): 0 txt, 1 html,
# 2 csv, 3 xlsx, 4 docx, 5 pdf, 6 ods, 7 md.
pick() { case "$1" in *.html) echo 1;; *.csv) echo 2;; *.xlsx) echo 3;; *.docx) echo 4;;
  *.pdf) echo 5;; *.ods) echo 6;; *.md) echo 7;; *) echo 0;; esac; }
for f in tests/fixtures/real/* "$tmp"/reports/*; do
  [ -f "$f" ] || continue
  case "$f" in *README*) continue;; esac
  { printf "\\x0$(pick "$f")"; cat "$f"; } > "fuzz/corpus/read/seed-$i"
  i=$((i + 1))
done
for v in 447228 "19024.59萬元" "12/0" "12/" "/" "3,119" "25.1万元" "0" "—" "不适用" "640020470"; do
  printf '%s' "$v" > "fuzz/corpus/value/seed-$i"
  i=$((i + 1))
done
# The pdf target: the committed PDFs as they are (it adds the header when one is missing).
for f in tests/fixtures/pdf/*.pdf tests/fixtures/real/*.pdf tests/fixtures/fuzz/*pdf*; do
  cp "$f" "fuzz/corpus/pdf/seed-$i"
  i=$((i + 1))
done
rm -rf "$tmp"
echo "seeds: $(ls fuzz/corpus/read | wc -l) read, $(ls fuzz/corpus/value | wc -l) value, $(ls fuzz/corpus/pdf | wc -l) pdf"
