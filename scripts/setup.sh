#!/usr/bin/env bash
# Set up everything jsna and its tests need, idempotently: a virtualenv with the package and its
# test tools, and the system libraries WeasyPrint and the checks use. Fast when already done.
#   bash scripts/setup.sh          # build and test dependencies
#   bash scripts/setup.sh --look   # also chromium and pdftoppm, to screenshot pages and PDFs
set -euo pipefail
cd "$(dirname "$0")/.."

want_look=0
[ "${1:-}" = "--look" ] && want_look=1

apt_install() {
  # Install Debian packages not yet present (root, or via sudo when available).
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
    $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  }
}

# WeasyPrint needs Pango; charts and PDFs use DejaVu Sans; pdftoppm turns PDF pages into PNG.
apt_install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils
[ "$want_look" -eq 1 ] && apt_install chromium

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.jsna-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[test]'
  echo "$want" > "$stamp"
fi
