"""Serve the dashboard: `streamlit run app.py`, with Streamlit's older pages/-folder mode switched off
from the start, so that a deep link as the first request after a start (say /goal_detail?goal=…) runs
through app.py's navigation and page setup like every other request. The how, and why it needs a
Streamlit internal, is in pages/shell/internals.py (the one module allowed to touch them).

    .venv/bin/python scripts/serve.py --server.port 8501
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the page shell lives beside app.py and is not installed with ipmetrics

from pages.shell import internals  # noqa: E402

if __name__ == "__main__":
    sys.exit(internals.serve(str(ROOT / "app.py"), sys.argv[1:]))
