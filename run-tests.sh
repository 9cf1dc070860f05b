#!/usr/bin/env bash
# Set up what is missing and run the whole test suite (unit, page and browser tests).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
