#!/usr/bin/env bash
# Set up what is missing and serve the dashboard on the bundled sample data (http://localhost:8501).
# Another store: IPMETRICS_DB_URL=duckdb:///path/to/file.duckdb ./run-app.sh
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
.venv/bin/ipmetrics load-sample --if-empty
exec .venv/bin/python scripts/serve.py --server.port "${PORT:-8501}" "$@"
