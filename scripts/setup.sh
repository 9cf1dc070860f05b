#!/usr/bin/env bash
# Installs what is missing for ipmetrics on Debian: system packages, then a virtual environment with the
# project and its test tools. Safe to run again: it only does what is not done yet.
# --office (passed by run-tests.sh) also installs LibreOffice's Writer, Impress and Calc and poppler, which
# tests/test_office_render.py uses to render the briefing and the workbook; the app itself does not need them.
set -euo pipefail
office=0
[ "${1:-}" = "--office" ] && office=1
cd "$(dirname "${BASH_SOURCE[0]}")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# Chromium and the CJK fonts: browser tests, screenshots and chart export with Chinese glyphs.
# PostgreSQL: run-tests.sh runs the suite a second time on a throwaway server (scripts/postgres.sh).
missing=()
for package in chromium fonts-noto-cjk postgresql; do
    installed "$package" || missing+=("$package")
done
if [ "$office" = 1 ]; then
    for package in libreoffice-writer libreoffice-impress libreoffice-calc poppler-utils; do
        installed "$package" || missing+=("$package")
    done
fi
command -v python3 >/dev/null 2>&1 || missing+=(python3)
python3 -c "import ensurepip" >/dev/null 2>&1 || missing+=(python3-venv)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "==> apt-get install ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

python3 - <<'PY'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"ipmetrics needs Python 3.11 or newer; python3 is {sys.version.split()[0]}")
PY

# The virtual environment is rebuilt only when pyproject.toml changes.
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
    [ -x .venv/bin/python ] || python3 -m venv .venv
    echo "==> pip install -e .[test]"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
    rm -f .venv/.installed-*
    touch "$stamp"
fi
