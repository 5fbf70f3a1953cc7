#!/usr/bin/env bash
# Sets up everything and starts the product.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
exec .venv/bin/python -m assistant "${@:-corpus check}"
