"""The Streamlit entry point: page setup (titled by the goal file) and navigation.

Run with `streamlit run app.py` (see README). The pages are listed here, not discovered; each page
starts with pages.shell.sidebar.start_page(), which draws the sidebar and the sample banner.
"""

import streamlit as st

from ipmetrics.core.settings import Settings
from pages.shell import cache, context

_settings = Settings.from_env()
_registry = cache.get_registry(str(_settings.indicators_path), _settings.indicators_path.stat().st_mtime)
st.set_page_config(page_title=_registry.dashboard_title, page_icon="📈", layout="wide")

# At the top of the page, a menu per section: the sidebar keeps the editor's login, the month and the region
# above the fold (with nineteen links in the sidebar the login sat below it). On a phone Streamlit moves the
# navigation back into the collapsed sidebar.
navigation = st.navigation({
    "目标进展": [
        st.Page(context.OVERVIEW_PAGE, title="总览", icon=":material/dashboard:", default=True),
        st.Page(context.MEETING_PAGE, title="会议简报", icon=":material/groups:"),
        st.Page(context.DETAIL_PAGE, title="指标详情", icon=":material/query_stats:"),
    ],
    "政策落实": [
        st.Page(context.POLICY_PAGE, title="政策全景", icon=":material/account_tree:"),
        st.Page(context.TASKS_PAGE, title="任务落实", icon=":material/task_alt:"),
        st.Page(context.PROTECTION_PAGE, title="知识产权保护", icon=":material/shield:"),
        st.Page(context.ASSESSMENT_PAGE, title="乡镇考核", icon=":material/military_tech:"),
    ],
    "专题": [
        st.Page("pages/trademarks.py", title="商标", icon=":material/verified:"),
        st.Page("pages/brands.py", title="品牌培育", icon=":material/workspace_premium:"),
        st.Page("pages/patents.py", title="专利", icon=":material/lightbulb:"),
        st.Page("pages/financing.py", title="质押融资", icon=":material/account_balance:"),
        st.Page("pages/enterprises.py", title="企业培育", icon=":material/domain:"),
        st.Page("pages/rewards.py", title="奖励测算", icon=":material/payments:"),
        st.Page(context.TOWNSHIPS_PAGE, title="乡镇对比", icon=":material/map:"),
        st.Page(context.PEERS_PAGE, title="同级对比", icon=":material/leaderboard:"),
    ],
    "月度工作": [
        st.Page(context.SNAPSHOT_PAGE, title="月度快照", icon=":material/photo_camera:"),
        st.Page(context.ACTIONS_PAGE, title="督办事项", icon=":material/assignment:"),
        st.Page(context.EXPORT_PAGE, title="导出中心", icon=":material/download:"),
        st.Page(context.IMPORT_PAGE, title="数据导入", icon=":material/upload_file:"),
    ],
}, position="top")
with cache.store_busy():  # a page that waited its turn for the store in vain ends with a notice, not an error
    navigation.run()
