#!/usr/bin/env bash
# Screenshot every page of a built site at 375 px and 1280 px wide in headless Chromium, and turn
# every PDF page into PNG, into test-artifacts/look/. Needs `bash scripts/setup.sh`. (The browser
# tests keep their own screenshots, served over http, in test-artifacts/browser/.)
set -euo pipefail
cd "$(dirname "$0")/.."
site=${1:-site}
out=test-artifacts/look
rm -rf "$out" && mkdir -p "$out"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
for page in $(cd "$site" && find . -name '*.html' | sort); do
  name=$(echo "${page#./}" | tr '/' '_' | sed 's/\.html$//')
  for width in 375 1280; do
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
      --disable-component-update --no-first-run --disable-sync --hide-scrollbars \
      --user-data-dir="$profile" --window-size="$width,4000" \
      --screenshot="$out/$name-$width.png" "file://$PWD/$site/${page#./}" >/dev/null 2>&1
  done
done
for pdf in $(find "$site" -name '*.pdf' | sort); do
  pdftoppm -r 60 -png "$pdf" "$out/$(basename "$pdf" .pdf)"
done
ls "$out" | wc -l
