"""罗山县知识产权工作目标监测 — the Streamlit entry point: page setup, sidebar, navigation.

Run with `streamlit run app.py` (see README). The pages are listed here, not discovered.
"""

import streamlit as st

from ipmetrics import labels
from pages import common

st.set_page_config(page_title=labels.APP_TITLE, page_icon="📈", layout="wide")

context = common.sidebar()
st.session_state["context"] = context

navigation = st.navigation([
    st.Page(common.OVERVIEW_PAGE, title="总览", icon=":material/dashboard:", default=True),
    st.Page(common.DETAIL_PAGE, title="指标详情", icon=":material/query_stats:"),
])
common.banner(context)
if context is None:
    common.no_data_notice()
else:
    navigation.run()
