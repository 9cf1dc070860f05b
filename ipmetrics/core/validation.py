"""Chinese wording for pydantic validation errors, shared by the goal registry and the importers, and the
bounds a value must keep to be stored as the database declares it (numbers, dates, invisible characters)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Callable

_MESSAGES = {
    "missing": "必填项缺失",
    "string_type": "应为文本",
    "string_too_short": "不能为空",
    "string_pattern_mismatch": "格式不符合要求",
    "string_too_long": "过长（不能超过 {max_length} 个字符）",
    "int_parsing_size": "整数超出范围",
    "date_from_datetime_inexact": "不是有效日期（不能带时间）",
    "date_past": "应为过去的日期",
    "date_future": "应为将来的日期",
    "multiple_of": "应为 {multiple_of} 的整数倍",
    "too_short": "项数过少",
    "too_long": "项数过多",
    "model_type": "格式不符合要求",
    "model_attributes_type": "格式不符合要求",
    "bytes_type": "应为文本",
    "float_from_string": "应为数值",
    "literal_error": "取值不在允许范围内（可选：{expected}）",
    "enum": "取值不在允许范围内（可选：{expected}）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数值",
    "float_type": "应为数值",
    "decimal_parsing": "应为数值",
    "finite_number": "应为有限数值",
    "bool_parsing": "应为 true/false（或 是/否）",
    "bool_type": "应为 true/false（或 是/否）",
    "date_parsing": "不是有效日期（应为 YYYY-MM-DD）",
    "date_from_datetime_parsing": "不是有效日期（应为 YYYY-MM-DD）",
    "date_type": "不是有效日期（应为 YYYY-MM-DD）",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "extra_forbidden": "不认识的字段",
    "dict_type": "应为一个表（table）",
    "list_type": "应为一个列表",
}


_CHINESE = re.compile("[\u4e00-\u9fff]")


def _plain(value: Any) -> str:
    """0.0 reads as 0 in a message about a limit."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def chinese_message(error: dict[str, Any]) -> str:
    """One pydantic error dict in Chinese; our own ValueErrors already carry Chinese text."""
    kind = error.get("type", "")
    if error.get("input", "") is None and kind.endswith("_type"):
        return "必填项为空"  # a blank cell reaches the model as None
    if kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error.get("msg", "")))
        # Ours are Chinese; a ValueError from a library (English) says nothing a user could act on.
        return message if _CHINESE.search(message) else "不符合要求"
    template = _MESSAGES.get(kind)
    if template is None:  # pydantic's own text is English: say only that the value is refused
        return "不符合要求"
    ctx = {k: _plain(v) for k, v in (error.get("ctx") or {}).items()}
    if "expected" in ctx:
        ctx["expected"] = ctx["expected"].replace("'", "").replace(" or ", "、").replace(", ", "、")
    try:
        return template.format(**ctx)
    except KeyError:
        return template


# Zero-width and bidi controls: invisible, they make two keys that look alike differ, and reorder what a name
# shows. Stripped from every text cell before any rule (and before storage).
INVISIBLE_CLASS = "[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"  # also an RE2 class (Arrow)
_INVISIBLE = re.compile(INVISIBLE_CLASS)


def strip_invisible(text: str) -> str:
    """The text without zero-width and bidi control characters."""
    return _INVISIBLE.sub("", text)


@dataclass(frozen=True)
class NumberRange:
    """What a numeric column may hold: below `limit` in magnitude, what its SQL column type stores (the hard
    bound: a larger value would crash the write), and, where one can be justified, at most `plausible` (a
    larger value is surely a mistake, a unit or a typo). With `decimals`, a value is kept rounded as the
    column stores it (DECIMAL(18, 4): four places)."""

    limit: float
    limit_text: str                 # how the bound reads in a message: 最大 99,999,999,999,999.9999
    plausible: float | None = None
    plausible_text: str = ""        # why: 单笔融资不超过 1 万亿元（1 亿万元）…
    decimals: int | None = None
    limit_word: str = "可存储的范围"

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return value
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("应为有限数值")
        if self.decimals is not None:
            value = round(value, self.decimals)
        if abs(value) >= self.limit:
            raise ValueError(f"超出{self.limit_word}（{self.limit_text}）")
        if self.plausible is not None and abs(value) > self.plausible:
            raise ValueError(f"超出合理范围（{self.plausible_text}）")
        return value


# The column types of sql/migrations: INTEGER (32 bits), DECIMAL(18, 4) (14 digits before the point),
# DOUBLE PRECISION (any finite number, but sums and ratios of numbers near 1e308 overflow to inf: above 1e15
# a double no longer holds every whole number exactly, and no indicator figure comes near that).
INTEGER = NumberRange(2_147_483_648, "最大 2,147,483,647")
DECIMAL_18_4 = NumberRange(1e14, "最大 99,999,999,999,999.9999", decimals=4)
DOUBLE = NumberRange(1e15, "绝对值须小于 1,000,000,000,000,000", limit_word="可计算的范围")

# Dates a row's events may have happened on: China's IP system restarted around 1980 (WIPO 1980, Trademark Law
# 1982, Patent Law 1985); trademarks registered since 1950 stay valid under the 1982 law, so a mark's
# registration may be older. Events happen at most a year ahead (a date fixed in advance); 0001-01-01,
# Excel's day 0 (1899-12-30) or 9999-12-31 are mistakes or placeholders.
EARLIEST_EVENT = date(1980, 1, 1)
EARLIEST_TRADEMARK = date(1950, 1, 1)
# From this day on an end date or a deadline is a placeholder meaning "none" (2099-12-31, 2999-12-31,
# 9999-12-31): no patent (20 years), trademark term (10 years) or designation (3 years) recorded now runs that long.
NO_END_FROM = date(2099, 1, 1)


def latest_event(today: date | None = None) -> date:
    """The last day an event may be dated: a year from today (28 February for 29 February)."""
    today = today or date.today()
    return today.replace(year=today.year + 1, day=min(today.day, 28 if today.month == 2 else today.day))


def event_day(earliest: date = EARLIEST_EVENT) -> Callable[[date], date]:
    """A check that a day an event happened on lies between `earliest` and a year from today."""
    def check(value: date) -> date:
        latest = latest_event()
        if not earliest <= value <= latest:
            raise ValueError(f"日期超出合理范围（应在 {earliest.isoformat()} 至 {latest.isoformat()} 之间）")
        return value
    return check


def end_day(value: date) -> date | None:
    """An end date: a placeholder from NO_END_FROM on (9999-12-31 …) means no end (None), like a blank."""
    if value >= NO_END_FROM:
        return None
    if value < EARLIEST_EVENT:
        raise ValueError(f"日期超出合理范围（应不早于 {EARLIEST_EVENT.isoformat()}；"
                         f"无终止日期的留空，或写 9999-12-31）")
    return value


def deadline_day(value: date) -> date:
    """A due or target date: between EARLIEST_EVENT and the day before NO_END_FROM (a placeholder for "no
    deadline" cannot be one)."""
    if not EARLIEST_EVENT <= value < NO_END_FROM:
        raise ValueError(f"日期超出合理范围（应在 {EARLIEST_EVENT.isoformat()} 至 "
                         f"{(NO_END_FROM - timedelta(days=1)).isoformat()} 之间；"
                         f"{NO_END_FROM.year} 年及以后的日期是“无期限”的占位写法，不能作为期限）")
    return value


def period_year(value: str) -> str:
    """A month, quarter or year in machine form (2025-09, 2025-Q3, 2025) whose year an event may have."""
    latest = latest_event().year
    if not EARLIEST_EVENT.year <= int(value[:4]) <= latest:
        raise ValueError(f"期间超出合理范围（年份应在 {EARLIEST_EVENT.year} 至 {latest} 之间）")
    return value
