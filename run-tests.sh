#!/usr/bin/env bash
# Set up what is missing and run the whole test suite (unit, page and browser tests) twice: on DuckDB,
# then on PostgreSQL. Arguments go to both pytest runs (./run-tests.sh -k import -x).
#
# The PostgreSQL run uses a throwaway server (scripts/postgres.sh), stopped and removed on exit, unless
# IPMETRICS_TEST_PG_URL names a server already (its account must be allowed to create databases).
# IPMETRICS_TEST_DB=duckdb or =postgresql runs one engine only.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh

engines=${IPMETRICS_TEST_DB:-duckdb postgresql}
pgdir=""
cleanup() { if [ -n "$pgdir" ]; then scripts/postgres.sh stop "$pgdir"; fi; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

failed=()
for engine in $engines; do
    case "$engine" in
    duckdb) ;;
    postgresql)
        if [ -z "${IPMETRICS_TEST_PG_URL:-}" ]; then
            pgdir=$(mktemp -d /tmp/ipmetrics-pg.XXXXXX)
            IPMETRICS_TEST_PG_URL=$(scripts/postgres.sh start "$pgdir")
            export IPMETRICS_TEST_PG_URL
        fi
        ;;
    *) echo "IPMETRICS_TEST_DB must be duckdb or postgresql, not $engine" >&2; exit 2 ;;
    esac
    echo "==> tests on $engine"
    started=$SECONDS
    code=0
    IPMETRICS_TEST_DB=$engine .venv/bin/python -m pytest "$@" || code=$?
    echo "==> tests on $engine: exit code $code after $((SECONDS - started)) s"
    [ "$code" -eq 0 ] || failed+=("$engine:$code")
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "==> failed: ${failed[*]}" >&2
    code=${failed[0]#*:}
    exit "$code"
fi
