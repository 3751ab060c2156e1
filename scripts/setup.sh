#!/usr/bin/env bash
# Set up what building a site needs, idempotently: the system libraries WeasyPrint and the charts
# use, and a virtualenv with jsna (editable) and its dependencies, Pagefind's bundled binary
# included. Fast when already done (each step checks a stamp or what is installed). The tests
# need more (Chromium, Java, Node): scripts/setup-tests.sh, which scripts/test.sh runs.
#   bash scripts/setup.sh          # what a build needs
#   bash scripts/setup.sh --look   # and Chromium and pdftoppm, for scripts/look.sh
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/apt.sh

# WeasyPrint needs Pango; charts and PDFs use DejaVu Sans.
apt_install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
# scripts/look.sh screenshots pages in Chromium (Liberation Sans has Arial's metrics, so pages
# look as they will for most readers) and turns PDF pages into PNG with pdftoppm.
if [ "${1:-}" = "--look" ]; then
  apt_install chromium fonts-liberation poppler-utils
fi

# Python: the package and its dependencies (Pagefind's PyPI package bundles its binary, so a
# build indexes the site for search offline).
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.jsna-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e .
  echo "$want" > "$stamp"
fi
