#!/usr/bin/env bash
# Sets up everything (venv, test tools, Debian's chromium for browser tests) and runs the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
source scripts/env.sh
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
