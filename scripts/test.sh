#!/usr/bin/env bash
# Set up what the tests need (scripts/setup-tests.sh), then run the whole test suite. Exits
# non-zero on any failure, and when no tests ran.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-tests.sh
exec .venv/bin/python -m pytest "$@"
