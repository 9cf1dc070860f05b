"""Serve the dashboard: `streamlit run app.py`, with Streamlit's older pages/-folder mode switched off.

Streamlit treats a folder named pages/ as a v1 multipage app until st.navigation has run once in the
process; if the first request after a start is a deep link (say /goal_detail?goal=…), it would run that
page alone, without app.py's navigation and page setup. Clearing the flag before the server starts
makes every request go through app.py. (PagesManager is internal to Streamlit; pages.common keeps a
fallback for a plain `streamlit run app.py`.)

    .venv/bin/python scripts/serve.py --server.port 8501
"""

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

if __name__ == "__main__":
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(Path(__file__).resolve().parents[1] / "app.py"), *sys.argv[1:]]
    sys.exit(cli.main())
