#!/usr/bin/env bash
# Set up everything the tests need, idempotently: what a build needs (scripts/setup.sh), then the
# test tools: pytest and pypdf, Playwright driving Debian's Chromium, Java for the Nu HTML Checker,
# Node for axe-core and vnu-jar (and for recompiling the stylesheet, scripts/build-css.sh), and
# pdftoppm. Fast when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

source scripts/apt.sh

# The browser tests drive Debian's Chromium; Liberation Sans has Arial's metrics, so pages look
# as they will for most readers. The Nu HTML Checker (vnu.jar) needs Java; pdftoppm turns PDF
# pages into PNG.
apt_install chromium fonts-liberation poppler-utils
command -v java >/dev/null 2>&1 || apt_install default-jre-headless
command -v npm >/dev/null 2>&1 || apt_install nodejs npm

# Python: the test extras (pytest, pypdf, Playwright), pinned in pyproject.toml.
stamp=.venv/.jsna-tests-installed
want=$(cat pyproject.toml .venv/.jsna-installed | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install -q -e '.[test]'
  echo "$want" > "$stamp"
fi

# npm: axe-core and vnu-jar for the tests, govuk-frontend and sass for scripts/build-css.sh,
# exactly as package-lock.json pins them.
npm_stamp=node_modules/.jsna-installed
npm_want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$npm_stamp" 2>/dev/null)" != "$npm_want" ]; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  echo "$npm_want" > "$npm_stamp"
fi
