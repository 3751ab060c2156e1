#!/usr/bin/env bash
# Set up everything jsna and its tests need, idempotently: a virtualenv with the package and its
# test tools, the system packages WeasyPrint and the browser tests use, and the npm packages the
# browser tests use. Fast when already done (each step checks a stamp or what is installed).
#   bash scripts/setup.sh          # build and test dependencies
#   bash scripts/setup.sh --look   # the same (kept for scripts/look.sh, which needs nothing more)
#
# Building a site needs only the virtualenv; Node is for the tests (axe-core, the Nu HTML Checker)
# and for recompiling the stylesheet (scripts/build-css.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

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
# The browser tests drive Debian's Chromium; Liberation Sans has Arial's metrics, so pages look
# as they will for most readers. The Nu HTML Checker (vnu.jar) needs Java.
apt_install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils chromium fonts-liberation
command -v java >/dev/null 2>&1 || apt_install default-jre-headless
command -v npm >/dev/null 2>&1 || apt_install nodejs npm

# Python: the package with its test extras, then the browser-test and search tools, pinned.
# Pagefind's PyPI package bundles its binary, so the build indexes the site for search offline.
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
pins=("playwright==1.65.2" "pagefind[extended]==1.5.2")
stamp=.venv/.jsna-installed
want=$( (cat pyproject.toml; printf '%s\n' "${pins[@]}") | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[test]' "${pins[@]}"
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
