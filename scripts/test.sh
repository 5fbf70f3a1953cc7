#!/usr/bin/env bash
# Sets everything up (venv, test tools, Debian's chromium and postgresql) and runs lint and tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
# Debian's packages the tests drive for real: chromium (browser tests), postgresql (the shared feedback store).
MISSING=""
command -v chromium >/dev/null 2>&1 || MISSING="$MISSING chromium"
command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || MISSING="$MISSING postgresql"
if [ -n "$MISSING" ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $MISSING >/dev/null
fi
source scripts/env.sh
.venv/bin/ruff check .
.venv/bin/mypy  # assistant/ and evals/, configured in pyproject.toml
# The evaluation gate: fails when quality falls below evals/thresholds.toml or the baseline report.
.venv/bin/python -m evals run --out "${TMPDIR:-/tmp}/privacy-assistant-eval-report"
.venv/bin/python -m pytest "$@"
