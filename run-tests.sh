#!/usr/bin/env bash
# Set up what is missing and run the whole test suite (unit, page and browser tests) twice: on DuckDB,
# then on PostgreSQL. Arguments go to both pytest runs (./run-tests.sh -k import -x).
#
# The PostgreSQL run uses a throwaway server (scripts/postgres.sh), stopped and removed on exit, unless
# IPMETRICS_TEST_PG_URL names a server already (its account must be allowed to create databases).
# IPMETRICS_TEST_DB=duckdb or =postgresql runs one engine only.
#
# Everything runs on both engines, the browser tests (pytest -m browser: Chromium against the served app)
# included: about 14 minutes on a 2-core machine. IPMETRICS_TEST_PG_BROWSER=0 leaves the browser tests
# out of the PostgreSQL run (about 4 minutes less) when iterating locally.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --office  # LibreOffice for tests/test_office_render.py

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
    marker=()
    if [ "$engine" = postgresql ] && [ "${IPMETRICS_TEST_PG_BROWSER:-1}" = 0 ]; then
        marker=(-m "not browser")  # a later -m among the arguments wins
    fi
    echo "==> tests on $engine ${marker[*]}"
    started=$SECONDS
    code=0
    IPMETRICS_TEST_DB=$engine .venv/bin/python -m pytest "${marker[@]}" "$@" || code=$?
    if [ "$code" -eq 5 ] && [ "${#marker[@]}" -gt 0 ]; then
        code=0  # only browser tests were asked for, and those ran on DuckDB
    fi
    echo "==> tests on $engine: exit code $code after $((SECONDS - started)) s"
    [ "$code" -eq 0 ] || failed+=("$engine:$code")
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "==> failed: ${failed[*]}" >&2
    code=${failed[0]#*:}
    exit "$code"
fi
