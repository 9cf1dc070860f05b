"""The policy's structure: its articles (第（十一）条) in its parts (三、实行严格的知识产权保护).

A goal file declares the articles (`[[articles]]`: number, title, part); indicators and tasks cite them in
the policy's own wording (第（二）条、第（五）条), which is read here, so the 政策全景 page can set each
article beside its indicators and tasks. Also the township assessment (`[assessment]`): the indicators a
township is scored on and their weights.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

_CHINESE_DIGITS = "一二三四五六七八九"
_ARTICLE = re.compile(r"^第?\s*[（(]?\s*([一二三四五六七八九十]+|\d{1,2})\s*[)）]?\s*条?$")
_CITED = re.compile(r"第\s*[（(]?\s*([一二三四五六七八九十]+|\d{1,2})\s*[)）]?\s*条")


def chinese_number(number: int) -> str:
    """1…99 in Chinese numerals as articles are numbered: 十一, 二十, 十七."""
    tens, ones = divmod(number, 10)
    text = ("" if tens == 0 else ("十" if tens == 1 else _CHINESE_DIGITS[tens - 1] + "十"))
    return text + (_CHINESE_DIGITS[ones - 1] if ones else "")


def arabic_number(text: str) -> int:
    """十一 → 11, 二十 → 20, 七 → 7 (the inverse of chinese_number). Raises ValueError otherwise."""
    if "十" not in text:
        return _CHINESE_DIGITS.index(text) + 1
    tens, _, ones = text.partition("十")
    return (_CHINESE_DIGITS.index(tens) + 1 if tens else 1) * 10 + (_CHINESE_DIGITS.index(ones) + 1 if ones else 0)


def article_text(value: str) -> str:
    """An article as the policy writes it, 第（十一）条, from 第（十一）条, 第(十一)条, 第十一条, 十一 or 11."""
    match = _ARTICLE.match(value)
    if not match:
        raise ValueError("不是有效条款（写作 第（十一）条、第十一条 或 11）")
    number = match.group(1)
    try:
        number = int(number) if number.isdigit() else arabic_number(number)
    except ValueError:
        raise ValueError("不是有效条款（写作 第（十一）条、第十一条 或 11）") from None
    if not 1 <= number <= 99:
        raise ValueError("条款序号应在 1 至 99 之间")
    return f"第（{chinese_number(number)}）条"


def article_number(text: str) -> int:
    """第（十一）条 → 11: an article's place in the policy, to sort by."""
    return arabic_number(article_text(text)[2:-2])


def cited_articles(text: str | None) -> list[int]:
    """The article numbers a citation names, in its order: 第（二）条、第（五）条 → [2, 5]."""
    found = []
    for numeral in _CITED.findall(text or ""):
        try:
            number = int(numeral) if numeral.isdigit() else arabic_number(numeral)
        except ValueError:
            continue
        if number not in found:
            found.append(number)
    return found


class Article(BaseModel):
    """One article of the policy: its number (11 for 第（十一）条), its title, and the part it belongs to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int = Field(ge=1, le=99)
    title: str = Field(min_length=1)
    part: str = Field(min_length=1)

    @property
    def text(self) -> str:
        """第（十一）条"""
        return f"第（{chinese_number(self.number)}）条"

    @property
    def heading(self) -> str:
        """（十一）构建知识产权大保护工作格局"""
        return f"（{chinese_number(self.number)}）{self.title}"


class AssessmentItem(BaseModel):
    """An indicator a township is scored on, and its weight in the score."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    indicator: str = Field(min_length=1)
    weight: float = Field(gt=0)


class Assessment(BaseModel):
    """The county's assessment of its townships (乡镇考核): the indicators and their weights. A township is
    scored only on the indicators the county assigned it a target for (import kind `targets`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(default="乡镇知识产权工作考核", min_length=1)
    items: list[AssessmentItem] = Field(min_length=1)

    @property
    def weights(self) -> dict[str, float]:
        return {item.indicator: item.weight for item in self.items}
