"""Months, one way everywhere: a month is a pandas monthly Period, its ends are `datetime.date`s, and its
name in Chinese is 2025年12月 (截至2025年12月底 for a figure at its end).

Queries bind month ends as dates; pandas code that compares timestamps wraps them in pd.Timestamp.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

_LINKED_MONTH = re.compile(r"\s*(\d{4})\s*(?:年|-|/)\s*(\d{1,2})\s*(?:月底?)?\s*")


def month(value) -> pd.Period:
    """A month from a Period, 'YYYY-MM', a date or a timestamp."""
    return pd.Period(value, freq="M")


def month_start(period) -> date:
    return month(period).to_timestamp(how="start").date()


def month_end(period) -> date:
    """The month's last day: what a figure "at" the month counts up to."""
    return month(period).to_timestamp(how="end").date()


def month_label(period) -> str:
    """2025年12月"""
    period = month(period)
    return f"{period.year}年{period.month}月"


def month_end_label(period) -> str:
    """截至2025年12月底"""
    return f"截至{month_label(period)}底"


def day_label(day: date) -> str:
    """2026年1月5日"""
    return f"{day.year}年{day.month}月{day.day}日"


def month_from_text(text) -> str | None:
    """2025年12月, 2025-12, 2025/12 or 2025年12月底 as 'YYYY-MM'; None when the text is not a month."""
    if not text:
        return None
    match = _LINKED_MONTH.fullmatch(str(text))
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    return f"{match[1]}-{int(match[2]):02d}"


def months(first, last) -> pd.PeriodIndex:
    """Every month from `first` to `last`, both included."""
    return pd.period_range(month(first), month(last), freq="M")
