"""How 会议简报 reads on a laptop and on a phone: the first screen's blocks of cards and tables that become a
compact list on a narrow screen (its charts: widgets.trend_chart with an entry of the legend a line)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ipmetrics.core.labels import STATUS_BADGE, plain
from ipmetrics.core.progress import Status
from ipmetrics.meeting.first_screen import ScreenItem
from pages.shell import cache

SHOWN = 2          # items a first-screen block shows before its 更多
NARROW_PX = 640    # Streamlit stacks columns below this width: the same line for the lists below
WIDE, NARROW = "meeting_wide_", "meeting_narrow_"  # key prefixes of the two forms of a table
CARD = "meeting_card_"
# Streamlit has no option for these: a table's second form is shown by width; the page's top padding (6rem)
# is cut to just below the header bar (3.75rem); the cards' padding, the alerts' text (the sample banner)
# and a phone's title are made smaller, so that the three blocks reach the first screen of a phone too.
_STYLE = f"""<style>
[class*="st-key-{NARROW}"] {{ display: none; }}
@media (max-width: {NARROW_PX}px) {{
  [class*="st-key-{WIDE}"] {{ display: none; }}
  [class*="st-key-{NARROW}"] {{ display: block; }}
  [data-testid="stMain"] h1 {{ font-size: 1.75rem; padding: 0; }}
  [data-testid="stMain"] [data-testid="stVerticalBlock"] {{ gap: 0.75rem; }}
}}
[data-testid="stMainBlockContainer"] {{ padding-top: 4rem; }}
[class*="st-key-{CARD}"] {{ padding: 0.5rem 0.75rem; }}
[data-testid="stMain"] [data-testid="stAlert"] p {{ font-size: 0.875rem; }}
</style>"""


def page_style() -> None:
    st.html(_STYLE)


def badge(text: str, status: str) -> str:
    return f":{STATUS_BADGE[Status(status)]}-badge[{plain(text)}]"


def _card(item: ScreenItem, key: str) -> None:
    with st.container(border=True, gap="small", key=f"{CARD}{key}"):
        line = f":red[{plain(item.line)}]" if item.urgent else plain(item.line)
        detail = f"  \n:gray[{plain(item.detail)}]" if item.detail else ""
        st.markdown(f"**{plain(item.title)}** {badge(item.badge, item.status)}  \n{line}{detail}")


def screen_block(heading: str, items: list[ScreenItem], empty: str, more: str, anchor: str) -> None:
    """A first-screen block: its heading with a link (`more`) to the section below that holds the full
    table (its heading's `anchor`), the first few items as cards, the rest under 更多."""
    with st.container(key=f"first_{anchor}", gap="small"):
        with st.container(horizontal=True, vertical_alignment="bottom"):
            st.markdown(f"##### {heading}")
            st.markdown(f"[{more} ↓](#{anchor})", width="content")
        if not items:
            st.caption(empty)
        for number, item in enumerate(items[:SHOWN]):
            _card(item, f"{anchor}_{number}")
        if len(items) > SHOWN:
            with st.expander(f"更多（另 {len(items) - SHOWN} 项）"):
                for number, item in enumerate(items[SHOWN:], start=SHOWN):
                    _card(item, f"{anchor}_{number}")


def table(frame: pd.DataFrame, key: str, narrow: str | None = None) -> None:
    """A table on a wide screen and, on a phone, as a list (`narrow`, markdown; by default compact_list: a phone
    shows every column, none scrolled away). The meeting's tables are read, not explored, and hold text (the
    figures come formatted): st.table, a plain HTML table showing every row and its whole text, where a data
    grid scrolled and cut cells and cost the page a canvas grid each (a title-only page with one st.dataframe
    takes 1.3× as long to draw, with one st.table 1.04×; benchmarks/bench_pages.py's floor)."""
    with st.container(key=f"{WIDE}{key}"):
        st.table(frame, hide_index=True)
    with st.container(key=f"{NARROW}{key}"):
        st.markdown(compact_list(frame) if narrow is None else narrow)


def changes_list(changes: pd.DataFrame) -> str:
    """The comparison table (compare.comparison_table) in a line per goal for a phone: **指标** 上次 → 本次
    单位（本次状态；状态变化）."""
    lines = []
    for _, row in changes.iterrows():
        moved = "" if row["状态变化"] == "—" else f"；{plain(row['状态变化'])}"
        lines.append(f"- **{plain(row['指标'])}** {plain(row['上次'])} → {plain(row['本次'])} {plain(row['单位'])}"
                     f"（{plain(row['本次状态'])}{moved}）")
    return "\n".join(lines)


def compact_list(frame: pd.DataFrame) -> str:
    """The rows as markdown bullets: **first column** then 列：值 for the others that are not blank."""
    if frame.empty:
        return ""
    first, *rest = frame.columns
    lines = []
    for _, row in frame.iterrows():
        fields = [f"{plain(column)}：{plain(row[column])}" for column in rest
                  if str(row[column]).strip() not in ("", "—")]
        lines.append(f"- **{plain(row[first])}** " + "；".join(fields))
    return "\n".join(lines)


BRIEFING_FILES = (
    ("docx", "Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("pdf", "PDF", "application/pdf"),
    ("pptx", "PPT", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
)


def briefing_downloads(key: tuple, registry, stem: str) -> None:
    """The briefing's three files. Making them takes seconds (the charts are drawn first), so they are made
    on request, behind a progress bar that counts the charts, and then download at once. `key`: store URL,
    data version, snapshots version, snapshot id, date — what cache.briefing_content is keyed by."""
    if st.session_state.get("briefing_files") != key:
        if not st.button("生成简报文件（Word、PDF、PPT）", icon=":material/description:", key="make_briefing"):
            return
        bar = st.progress(0.0, text="正在准备简报……")
        # the charts are most of the wait: they fill the bar up to 85 %, the three documents the rest
        cache.briefing_content(*key, registry, progress=lambda text, share: bar.progress(share * 0.85, text=text))
        for number, (fmt, title, _) in enumerate(BRIEFING_FILES):
            bar.progress(0.85 + 0.05 * number, text=f"正在生成 {title} 文件……")
            cache.briefing_document(*key, fmt, registry)
        bar.empty()
        st.session_state["briefing_files"] = key
    with st.container(horizontal=True):
        for fmt, title, mime in BRIEFING_FILES:
            st.download_button(
                title, data=lambda fmt=fmt: cache.briefing_document(*key, fmt, registry),
                file_name=f"{stem}.{fmt}", mime=mime, icon=":material/download:", key=f"briefing_{fmt}",
                on_click="ignore")
