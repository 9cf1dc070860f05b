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


# --- an indicator's own periods: months, quarters or years ------------------------------------------
# An indicator counted by quarter or by year has one value per period; as of a month it shows the latest
# period that has ended by the month's end (as of 2025-11 a quarterly one shows 2025年第三季度).
FREQUENCIES = ("month", "quarter", "year")
PANDAS_FREQ = {"month": "M", "quarter": "Q-DEC", "year": "Y-DEC"}
FREQUENCY_LABEL = {"month": "月度", "quarter": "季度", "year": "年度"}
PERIOD_WORD = {"month": "月", "quarter": "季度", "year": "年"}
MONTHS_PER_PERIOD = {"month": 1, "quarter": 3, "year": 12}
# How many of them: 12个月, 8个季度, 5年 (and 最近一个季度, 最近一年).
COUNT_UNIT = {"month": "个月", "quarter": "个季度", "year": "年"}
_QUARTER_NAMES = "一二三四"


def window_text(length: int, frequency: str) -> str:
    """近12个月, 近8个季度, 近5年: the latest `length` periods of a frequency."""
    return f"近{length}{COUNT_UNIT[frequency]}"


def frequency_of(period: pd.Period) -> str:
    """'month', 'quarter' or 'year' for a pandas Period."""
    return {"M": "month", "Q": "quarter", "Y": "year"}[period.freqstr[0]]


def period(value, frequency: str) -> pd.Period:
    """The period of `frequency` containing a day, a month or a period (2023-12-31 → 2023 for a year)."""
    if isinstance(value, pd.Period):
        return value.asfreq(PANDAS_FREQ[frequency], how="end") if frequency_of(value) != frequency else value
    return pd.Period(pd.Timestamp(value), freq=PANDAS_FREQ[frequency])


def latest_ended(as_of, frequency: str) -> pd.Period:
    """The latest period of `frequency` that has ended by the end of the month `as_of`."""
    if frequency == "month":
        return month(as_of)
    return (month(as_of) + 1).asfreq(PANDAS_FREQ[frequency], how="start") - 1


def end_month(value) -> pd.Period:
    """A period's last month (2025Q3 → 2025-09)."""
    return value.asfreq("M", how="end") if frequency_of(value) != "month" else value


def period_range(first: pd.Period, last: pd.Period) -> pd.PeriodIndex:
    return pd.period_range(first, last, freq=first.freq)


def period_text(value: pd.Period) -> str:
    """The machine form: 2025-09, 2025-Q3, 2025."""
    frequency = frequency_of(value)
    if frequency == "month":
        return f"{value.year:04d}-{value.month:02d}"
    if frequency == "quarter":
        return f"{value.year:04d}-Q{value.quarter}"
    return f"{value.year:04d}"


def period_label(value: pd.Period) -> str:
    """The Chinese name: 2025年9月, 2025年第三季度, 2025年."""
    frequency = frequency_of(value)
    if frequency == "month":
        return month_label(value)
    if frequency == "quarter":
        return f"{value.year}年第{_QUARTER_NAMES[value.quarter - 1]}季度"
    return f"{value.year}年"


def period_from_text(text: str) -> pd.Period:
    """A period from its machine form (2025-09, 2025-Q3, 2025), as period_text writes it."""
    text = str(text)
    if "Q" in text:
        year, quarter = text.split("-Q")
        return pd.Period(year=int(year), quarter=int(quarter), freq="Q-DEC")
    if "-" in text:
        return month(text)
    return pd.Period(year=int(text), freq="Y-DEC")


_PERIOD_MONTH = re.compile(r"(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*月?")
_PERIOD_QUARTER = re.compile(r"(\d{4})\s*(?:年|-|/)?\s*(?:第\s*)?(?:[Qq]\s*([1-4])|([1-4一二三四])\s*季度?)")
_PERIOD_YEAR = re.compile(r"(\d{4})\s*(?:年度?)?")


def parse_period(text) -> pd.Period | None:
    """2025-09, 2025年9月 (a month); 2025-Q3, 2025Q3, 2025年第三季度, 2025年3季度 (a quarter); 2025, 2025年,
    2025年度 (a year). None when the text is none of these."""
    text = " ".join(str(text).split()).replace("－", "-")
    found = _PERIOD_MONTH.fullmatch(text)
    if found:
        number = int(found[2])
        return pd.Period(year=int(found[1]), month=number, freq="M") if 1 <= number <= 12 else None
    found = _PERIOD_QUARTER.fullmatch(text)
    if found and (found[2] or text.endswith("季度") or "第" in text):
        quarter = found[2] or found[3]
        number = int(quarter) if quarter.isdigit() else _QUARTER_NAMES.index(quarter) + 1
        return pd.Period(year=int(found[1]), quarter=number, freq="Q-DEC")
    found = _PERIOD_YEAR.fullmatch(text)
    return pd.Period(year=int(found[1]), freq="Y-DEC") if found else None
