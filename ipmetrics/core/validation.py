"""Chinese wording for pydantic validation errors, shared by the goal registry and the importers."""

from __future__ import annotations

from typing import Any

_MESSAGES = {
    "missing": "必填项缺失",
    "string_type": "应为文本",
    "string_too_short": "不能为空",
    "string_pattern_mismatch": "格式不符合要求",
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
        return message
    template = _MESSAGES.get(kind)
    if template is None:
        return f"不符合要求（{error.get('msg', kind)}）"
    ctx = {k: _plain(v) for k, v in (error.get("ctx") or {}).items()}
    if "expected" in ctx:
        ctx["expected"] = ctx["expected"].replace("'", "").replace(" or ", "、").replace(", ", "、")
    try:
        return template.format(**ctx)
    except KeyError:
        return template
