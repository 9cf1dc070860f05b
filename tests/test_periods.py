"""Months one way everywhere (ipmetrics.core.periods): ends as dates, names in Chinese, months from links."""

from datetime import date

import pandas as pd
import pytest

from ipmetrics.core import periods


@pytest.mark.parametrize("given", ["2024-02", pd.Period("2024-02", freq="M"), date(2024, 2, 10),
                                   pd.Timestamp("2024-02-29 13:00")])
def test_month_ends_are_dates_whatever_the_month_is_given_as(given):
    assert periods.month_start(given) == date(2024, 2, 1)
    assert periods.month_end(given) == date(2024, 2, 29)  # a leap year
    assert type(periods.month_end(given)) is date


def test_chinese_names():
    assert periods.month_label("2025-01") == "2025年1月"
    assert periods.month_end_label(pd.Period("2025-12", freq="M")) == "截至2025年12月底"
    assert periods.day_label(date(2026, 1, 5)) == "2026年1月5日"


@pytest.mark.parametrize("text, month", [("2025年12月", "2025-12"), ("2025-12", "2025-12"), ("2025/3", "2025-03"),
                                         (" 2025年3月底 ", "2025-03"), ("2025年13月", None), ("十二月", None),
                                         ("", None), (None, None)])
def test_months_from_links(text, month):
    assert periods.month_from_text(text) == month


def test_month_range_includes_both_ends():
    assert [str(m) for m in periods.months("2024-11", "2025-02")] == ["2024-11", "2024-12", "2025-01", "2025-02"]
