#!/usr/bin/env bash
# Sets everything up on a fresh machine and starts the product on http://127.0.0.1:7860/
# (extra arguments go to app.py, e.g. --port 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
exec .venv/bin/python app.py "$@"
