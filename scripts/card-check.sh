#!/usr/bin/env bash
# Renders score cards in a real browser (Debian's chromium, headless) to PNG and PDF and
# checks each prints on one or two A4 pages. By hand: scripts/card-check.sh [RUN_DIR] [N]
# (default: a fresh `gongkai run` of the default corpus into target/card-check, 3 cards:
# a real department, a real government, a synthetic county).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-}
n=${2:-3}
bin=${GONGKAI_BIN:-target/debug/gongkai}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "card-check: no chromium on PATH (apt-get install chromium)" >&2
  exit 2
fi
if [ -z "$out" ]; then
  out=target/card-check/run
  rm -rf "$out"
  "$bin" run --out "$out" -q
fi
shots=target/card-check/shots
mkdir -p "$shots"
# Real reports first (codes not starting 99), then one synthetic.
# (awk, not head: under pipefail a reader that stops early kills ls with SIGPIPE.)
cards=$(ls "$out/cards" | awk -v k=$((n - 1)) '!/^99/ && r < k { print; r++ } /^99/ && !s { syn = $0; s = 1 } END { if (s) print syn }')
status=0
for c in $cards; do
  url="file://$(realpath "$out/cards/$c")"
  base="$shots/${c%.html}"
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --screenshot="$base.png" --window-size=900,1400 "$url" 2>/dev/null
  "$browser" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$base.pdf" "$url" 2>/dev/null
  pages=$(python3 - "$base.pdf" <<'PY'
import re, sys
data = open(sys.argv[1], 'rb').read()
print(len(re.findall(rb'/Type\s*/Page(?!s)', data)))
PY
)
  echo "$c: $pages page(s), $base.png, $base.pdf"
  if [ "$pages" -lt 1 ] || [ "$pages" -gt 2 ]; then
    echo "card-check: $c prints on $pages pages (one or two wanted)" >&2
    status=1
  fi
done
exit $status
