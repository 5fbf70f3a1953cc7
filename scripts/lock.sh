#!/usr/bin/env bash
# Regenerates the hashed lock files from requirements*.txt (pip-tools in a throw-away venv).
# Run after changing a pin; scripts/setup.sh installs from the lock files with --require-hashes.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS=$(mktemp -d)
trap 'rm -rf "$TOOLS"' EXIT
python3 -m venv "$TOOLS" && "$TOOLS/bin/pip" install --quiet pip-tools==7.6.2
COMPILE=("$TOOLS/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras --no-header
         --no-emit-index-url --no-emit-find-links)
"${COMPILE[@]}" --output-file requirements.lock requirements.txt
"${COMPILE[@]}" --constraint requirements.lock --output-file requirements-dev.lock requirements-dev.txt
# Installed without their dependencies: one hash per pinned file.
while read -r pin; do
  case "$pin" in ''|\#*) continue ;; esac
  "$TOOLS/bin/pip" download --quiet --no-deps "$pin" -d "$TOOLS/nodeps"
  echo "$pin \\"
  echo "    $("$TOOLS/bin/pip" hash "$TOOLS"/nodeps/* | tail -1)"
  rm -rf "$TOOLS/nodeps"
done < requirements-nodeps.txt > requirements-nodeps.lock
