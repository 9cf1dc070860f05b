"""Streamlit's own words in Chinese: the few texts of its widgets that take no argument (the uploader's
button and hint, the running indicator's Stop), rewritten by a style sheet the pages share."""

from __future__ import annotations

import streamlit as st

# Each English text is shrunk to nothing and the Chinese put after it, so the control keeps its place, its
# click and its accessible role. The selectors are Streamlit's data-testid attributes (stable across
# releases, and what its own tests use); tests/test_chinese_chrome.py checks the result in a browser.
_STYLE = """
<style>
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p {
  font-size: 0;
}
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p::after {
  content: "选择文件"; font-size: 0.875rem;
}
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "或把文件拖放到此处"; font-size: 0.875rem;
}
[data-testid="stStatusWidget"] button { font-size: 0; }
[data-testid="stStatusWidget"] button::after { content: "停止"; font-size: 0.875rem; }
</style>
"""


def chinese_chrome() -> None:
    """Put the style sheet on the page (it draws nothing itself)."""
    st.html(_STYLE)
