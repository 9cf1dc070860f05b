"""The goal registry: the goals of article 二 of 罗政〔2021〕28号, declared in data/indicators.toml.

Each goal says what it counts by naming measures (declared in ipmetrics/core/measures.py), so a
new goal is an entry in the file, not a new code path. Loading validates the whole file and names the
line of every error, so another county can swap in its own file with confidence.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from string import Formatter
from typing import Literal

import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ipmetrics.core import periods
from ipmetrics.core.measures import KNOWN_MEASURES
from ipmetrics.core.policy import Article, Assessment, cited_articles
from ipmetrics.core.progress import increasing
from ipmetrics.core.settings import CHOICES, Settings
from ipmetrics.core.validation import chinese_message

# Settings a goal may refer to as {name} inside a measure name, and those naming a start month.
MEASURE_SETTINGS = frozenset(CHOICES)
WINDOW_SETTINGS = frozenset({"financing_since"})

COMPARATOR_TEXT = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}
# How a target reads in a sentence: 2030年达到5,000件, 超过1件, 不超过30天, 低于5%.
COMPARATOR_VERB = {">=": "达到", ">": "超过", "<=": "不超过", "<": "低于"}
FREQUENCIES = periods.FREQUENCIES

# What the code asks the goal file for by tag, never by a goal id: each tag names a place that shows a goal.
TAGS = {
    "trademarks": "商标页的目标图（第一个的数据来源也用于商标各图）",
    "well_known": "商标页驰名商标清单的目标",
    "gi": "品牌培育页：地理标志商标目标的差额与候选",
    "patents": "专利页的目标图（第一个的数据来源也用于专利各图）",
    "financing": "质押融资页的目标图（第一个的数据来源也用于融资各图）",
    "enterprises": "企业培育页的认定企业目标图与名单",
    "ip_standard": "企业培育页的贯标覆盖率目标与待贯标清单",
}
# The thematic areas a goal file may give a policy reference (article) and a note for.
AREAS = {
    "overview": "总览", "trademarks": "商标", "brands": "品牌培育", "patents": "专利", "financing": "质押融资",
    "enterprises": "企业培育", "rewards": "奖励测算", "townships": "乡镇对比", "protection": "知识产权保护",
    "tasks": "任务落实", "policy": "政策全景", "assessment": "乡镇考核",
}


class RegistryError(ValueError):
    """The registry file is not valid; `problems` are Chinese messages that each name a line."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"目标文件 {path} 有误：\n" + "\n".join(problems))


def _placeholders(template: str) -> list[str]:
    return [name for _, name, _, _ in Formatter().parse(template) if name]


def _expand(template: str) -> list[str]:
    """Every measure name a template can become, one per combination of its settings' values."""
    names = [template]
    for setting in _placeholders(template):
        names = [n.replace("{" + setting + "}", value) for n in names for value in CHOICES.get(setting, {})]
    return names


class Compute(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    numerator: str = Field(min_length=1)
    denominator: str | None = None
    scale: float = Field(default=1.0, gt=0)
    since: str | None = None

    @field_validator("numerator", "denominator")
    @classmethod
    def _known_measure(cls, template: str | None) -> str | None:
        if template is None:
            return None
        unknown_settings = [s for s in _placeholders(template) if s not in MEASURE_SETTINGS]
        if unknown_settings:
            raise ValueError(f"引用了不存在的设置 {{{unknown_settings[0]}}}（可用：{'、'.join(sorted(MEASURE_SETTINGS))}）")
        for name in _expand(template):
            if name not in KNOWN_MEASURES:
                raise ValueError(f"不认识的度量 {name}（可用：{'、'.join(sorted(KNOWN_MEASURES))}）")
        return template

    @field_validator("since")
    @classmethod
    def _known_window(cls, value: str | None) -> str | None:
        if value is not None and value not in WINDOW_SETTINGS:
            raise ValueError(f"since 应为设置名之一：{'、'.join(sorted(WINDOW_SETTINGS))}")
        return value

    def numerator_for(self, settings: Settings) -> str:
        return self.numerator.format(**_setting_values(settings))

    def denominator_for(self, settings: Settings) -> str | None:
        return None if self.denominator is None else self.denominator.format(**_setting_values(settings))

    def measure_names(self) -> list[str]:
        """Every measure this computation can read, whatever the settings."""
        return [name for template in (self.numerator, self.denominator) if template for name in _expand(template)]

    def settings_used(self) -> list[str]:
        used = _placeholders(self.numerator) + (_placeholders(self.denominator) if self.denominator else [])
        return list(dict.fromkeys(used + ([self.since] if self.since else [])))


def _setting_values(settings: Settings) -> dict[str, str]:
    return {name: getattr(settings, name) for name in CHOICES}


class Goal(BaseModel):
    """One indicator of the plan. It is counted from records (`compute`) or reported by an office (no
    `compute`: the value is only what is reported); it has a target to reach by its target date or none (a
    monitoring indicator, 监测指标); it is counted by month, quarter or year."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    short_zh: str | None = None
    unit: str = Field(min_length=1)
    kind: Literal["count", "amount", "ratio", "share"]
    # The direction that counts as progress: >= and > for "reach" and "exceed", <= and < for "reduce to".
    comparator: Literal[">=", ">", "<=", "<"] = ">="
    target: float | None = None
    # The policy's own words for the target (基本实现“贯标”全覆盖) when they are not a figure: `target` is then
    # the threshold the region chose to judge them by, and every text of the target says both.
    target_wording: str | None = Field(default=None, min_length=1)
    baseline: float | None = None  # the plan's own baseline figure, when it states one
    baseline_date: date | None = None
    target_date: date | None = None
    frequency: Literal["month", "quarter", "year"] = "month"
    decimals: int = Field(default=0, ge=0, le=4)
    article: str = Field(min_length=1)
    definition: str = Field(min_length=1)
    source: str = Field(min_length=1)
    reported_by: str | None = None  # the office that reports the figures (上报单位)
    theme: str | None = None        # the group the pages show it in (创造、运用、保护 …)
    tags: tuple[str, ...] = ()
    compute: Compute | None = None
    # The target the wording was declared with: a copy given a township's assigned target (scorecard) keeps
    # this, so the county's wording is not put on a target the county set for a township.
    _worded_target: float | None = PrivateAttr(default=None)

    @field_validator("tags")
    @classmethod
    def _known_tags(cls, tags: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [tag for tag in tags if tag not in TAGS]
        if unknown:
            raise ValueError(f"不认识的标签 {unknown[0]}（可用：{'、'.join(TAGS)}）")
        return tags

    @model_validator(mode="after")
    def _consistent(self) -> "Goal":
        if self.target is not None:
            if self.baseline_date is None or self.target_date is None:
                raise ValueError("有目标值（target）的指标须同时给出 baseline_date 和 target_date")
            if self.increasing and self.target <= 0:
                raise ValueError(f"比较方式为 {self.comparator} 时目标值应大于 0")
            if self.target < 0:
                raise ValueError("目标值不能为负数")
        if self.baseline_date and self.target_date and self.target_period <= self.baseline_period:
            raise ValueError("target_date 应晚于 baseline_date（且不在同一个统计期内）")
        if self.baseline is not None and self.baseline_date is None:
            raise ValueError("给出基期值（baseline）时须给出 baseline_date")
        if self.tags and self.compute is None:
            raise ValueError("带标签的指标由专题页按明细记录分析，须有 [indicators.compute]")
        # Words without a threshold are kept but not shown: the goal is then a monitoring indicator, as a
        # region that removes `target` to stop judging it means.
        self._worded_target = self.target
        return self

    @property
    def label(self) -> str:
        return self.short_zh or self.name_zh

    @property
    def target_year(self) -> int | None:
        return self.target_date.year if self.target_date else None

    @property
    def per_region(self) -> bool:
        """Ratios and shares keep their target in every region; counts and amounts are county totals."""
        return self.kind in ("ratio", "share")

    @property
    def increasing(self) -> bool:
        """Whether progress means going up (>=, >) rather than down (<=, <)."""
        return increasing(self.comparator)

    @property
    def monitoring(self) -> bool:
        """A monitoring indicator (监测指标): shown with its value and trend, with no target to meet."""
        return self.target is None

    @property
    def reported_only(self) -> bool:
        """Whether the values come only from reported figures (no computation from records)."""
        return self.compute is None

    @property
    def baseline_period(self) -> pd.Period | None:
        return None if self.baseline_date is None else periods.period(self.baseline_date, self.frequency)

    @property
    def target_period(self) -> pd.Period | None:
        return None if self.target_date is None else periods.period(self.target_date, self.frequency)

    @property
    def frequency_label(self) -> str:
        return periods.FREQUENCY_LABEL[self.frequency]

    def _target_figure(self) -> str:
        target = float(self.target)
        return f"{target:,.0f}" if target.is_integer() else self.format_value(target)

    @property
    def worded(self) -> bool:
        """Whether the target is the policy's wording judged by a threshold (not a township's own target)."""
        return self.target_wording is not None and self.target is not None and self.target == self._worded_target

    def threshold_text(self) -> str:
        """≥ 95 %: the threshold alone, as the comparator and figure."""
        return f"{COMPARATOR_TEXT[self.comparator]} {self._target_figure()} {self.unit}"

    def target_phrase(self) -> str:
        """2030年达到5,000件 (超过, 不超过, 低于 by the comparator): the goal in words, for help texts; a worded
        target reads 2030年基本实现“贯标”全覆盖（按 ≥ 95 % 判定）."""
        if self.target is None:
            return "监测指标，不设目标值"
        if self.worded:
            return f"{self.target_year}年{self.target_wording}（按 {self.threshold_text()} 判定）"
        return f"{self.target_year}年{COMPARATOR_VERB[self.comparator]}{self._target_figure()}{self.unit}"

    def target_text(self) -> str:
        """≥ 5,000 件; a worded target with its threshold: 基本实现“贯标”全覆盖（≥ 95 %）."""
        if self.target is None:
            return "监测指标"
        if self.worded:
            return f"{self.target_wording}（{self.threshold_text()}）"
        return self.threshold_text()

    def threshold_note(self) -> str | None:
        """Which threshold stands for the policy's wording, and that the goal file sets it; None without one."""
        if not self.worded:
            return None
        quoted = self.target_wording.replace("“", "‘").replace("”", "’")  # quotes inside quotes
        return f"政策表述为“{quoted}”，本系统按{self.label} {self.threshold_text()} 判定；可在目标文件中调整"

    def format_value(self, value: float | None, extra_decimals: int = 0) -> str:
        """Rounded half up (四舍五入) to the goal's decimals, with thousands separators."""
        if value is None or value != value:
            return "—"
        decimals = self.decimals + extra_decimals
        rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        return f"{rounded:,.{decimals}f}"

    def format_estimate(self, value: float | None, extra_decimals: int = 1) -> str:
        """A planned or projected value: small targets (2 marks, 1 per 10,000) get more decimals,
        since 0.5 of the way to 1 enterprise says more than a rounded 0 or 1."""
        # A share is already in points of a per cent: 102.5 %, never 102.48 %, whatever its target.
        small = self.target is not None and self.target < 100 and self.kind != "share"
        return self.format_value(value, extra_decimals if small else 0)

    def definition_in_force(self, settings: Settings) -> str:
        """The definition with the wording of every setting this goal depends on."""
        notes = []
        for name in self.compute.settings_used() if self.compute else []:
            if name == "population_basis":
                notes.append(f"人口口径：{settings.label(name)}")
            elif name == "trademark_basis":
                notes.append(f"统计口径：{settings.label(name)}")
            elif name == "financing_since":
                notes.append(f"累计起点：{periods.month_label(settings.financing_since)}")
        if self.threshold_note():
            notes.append(self.threshold_note())
        return "。".join([self.definition, *notes])


class Method(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    on_track: float = Field(default=0.95, gt=0)
    at_risk: float = Field(default=0.60, gt=0)
    # The trend is fitted through an indicator's latest values: this many months, quarters or years.
    projection_months: int = Field(default=12, ge=2, le=60)
    projection_quarters: int = Field(default=8, ge=2, le=40)
    projection_years: int = Field(default=5, ge=2, le=20)
    # A count goal whose target is at most this many units from its baseline is projected by its rate of
    # events since the baseline, with its pipeline beside it, not by a line through its latest steps
    # (README 小目标); 0 turns this off.
    small_count_gap: float = Field(default=10, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> "Method":
        if self.at_risk >= self.on_track:
            raise ValueError("at_risk 应小于 on_track")
        return self

    def window(self, frequency: str) -> int:
        """How many of an indicator's latest periods its trend is fitted through."""
        return {"month": self.projection_months, "quarter": self.projection_quarters,
                "year": self.projection_years}[frequency]


OTHER_INDUSTRIES = "其他"

# Events of the reward_events view (sql/migrations/003_…) a reward rule may pay for.
REWARD_EVENTS = frozenset({"national_enterprise", "provincial_enterprise", "foreign_patent", "domestic_invention"})


class RewardRule(BaseModel):
    """One cash reward of article 十: so much per event (a designation, a patent granted)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    event: str
    rate_wan: float = Field(ge=0)
    per: str = Field(min_length=1)          # 家 or 件
    payee: str = Field(min_length=1)        # who receives it: the enterprise, the inventor
    article: str = Field(min_length=1)

    @field_validator("event")
    @classmethod
    def _known_event(cls, value: str) -> str:
        if value not in REWARD_EVENTS:
            raise ValueError(f"不认识的奖励事件 {value}（可用：{'、'.join(sorted(REWARD_EVENTS))}）")
        return value


class IndustryGroup(BaseModel):
    """Industries counted together in the breakdowns (the emerging industries a policy names, say)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    industries: tuple[str, ...] = Field(min_length=1)
    article: str | None = None


def _check_synonyms(synonyms: dict[str, tuple[str, ...]], known: list[str]) -> None:
    """Each synonym names a listed industry, is not itself one, and stands for one industry only."""
    owner: dict[str, str] = {}
    for industry, words in synonyms.items():
        if industry not in known:
            listed = "、".join(known) or "（本文件未列出任何行业）"
            raise ValueError(f"“{industry}”不是 industry_groups 或 other_industries 列出的行业（已列出：{listed}）")
        for word in words:
            if word in known:
                raise ValueError(f"同义词“{word}”本身是已列出的行业，不能作为“{industry}”的同义词")
            if word in owner:
                raise ValueError(f"同义词“{word}”同时列在“{owner[word]}”和“{industry}”下")
            owner[word] = industry


class Area(BaseModel):
    """A thematic page's reference to the policy, and a note on what the policy asks of it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    article: str = Field(min_length=1)
    note: str | None = None


class Rate(BaseModel):
    """A rate of two reported indicators of the same frequency, as a page shows it beside them: 办结率 = 12315
    complaints closed ÷ received × 100. The goal file names the pair, so the code never picks indicators by id."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str = Field(min_length=1)
    numerator: str = Field(min_length=1)    # an indicator id of this file (结案数, 办结量)
    denominator: str = Field(min_length=1)  # an indicator id of this file (立案数, 受理量)
    scale: float = Field(default=100.0, gt=0)
    unit: str = Field(default="%", min_length=1)
    decimals: int = Field(default=1, ge=0, le=4)

    def value(self, numerator: float | None, denominator: float | None) -> float | None:
        """numerator ÷ denominator × scale; None when either is missing or the denominator is zero."""
        if numerator is None or denominator is None or numerator != numerator or denominator != denominator:
            return None
        return None if denominator == 0 else numerator / denominator * self.scale


class Registry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    app_title: str | None = None       # the dashboard's name; the title when not given
    policy: str = Field(min_length=1)
    policy_title: str = Field(min_length=1)
    region: str = Field(min_length=1)
    # The day the policy was issued (印发): rewards count only events on or after it; every event without it.
    policy_effective: date | None = None
    method: Method = Method()
    indicators: list[Goal] = Field(min_length=1)
    rewards: list[RewardRule] = []
    industry_groups: list[IndustryGroup] = []
    # The region's industries outside every group (counted as 其他), and other spellings of any industry:
    # canonical name → the words files may use for it. With any industry listed, imports accept only these.
    other_industries: tuple[str, ...] = ()
    industry_synonyms: dict[str, tuple[str, ...]] = {}
    areas: dict[str, Area] = {}
    articles: list[Article] = []           # the policy's articles in its parts (政策全景)
    assessment: Assessment | None = None   # the township assessment (乡镇考核)
    rates: list[Rate] = []                 # rates of two reported indicators (办结率), shown beside them

    @field_validator("areas")
    @classmethod
    def _known_areas(cls, areas: dict[str, Area]) -> dict[str, Area]:
        unknown = [name for name in areas if name not in AREAS]
        if unknown:
            raise ValueError(f"不认识的板块 {unknown[0]}（可用：{'、'.join(AREAS)}）")
        return areas

    @model_validator(mode="after")
    def _industries_once(self) -> "Registry":
        seen: dict[str, str] = {}
        for group in self.industry_groups:
            for industry in group.industries:
                if industry in seen:
                    raise ValueError(f"行业“{industry}”同时列在“{seen[industry]}”和“{group.name}”中")
                seen[industry] = group.name
        return self

    @field_validator("other_industries")
    @classmethod
    def _other_industries_outside_groups(cls, others: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        grouped = {industry: group.name for group in info.data.get("industry_groups") or []
                   for industry in group.industries}
        for industry in others:
            if industry in grouped:
                raise ValueError(f"行业“{industry}”同时列在“{grouped[industry]}”和 other_industries 中")
        if len(set(others)) < len(others):
            raise ValueError("other_industries 中有重复的行业")
        return others

    @field_validator("industry_synonyms")
    @classmethod
    def _synonyms_of_listed_industries(cls, synonyms: dict[str, tuple[str, ...]],
                                       info: ValidationInfo) -> dict[str, tuple[str, ...]]:
        if "industry_groups" not in info.data or "other_industries" not in info.data:
            return synonyms  # the lists themselves are wrong, and say so
        known = [industry for group in info.data["industry_groups"] for industry in group.industries]
        _check_synonyms(synonyms, known + list(info.data["other_industries"]))
        return synonyms

    @model_validator(mode="after")
    def _unique_ids(self) -> "Registry":
        seen = set()
        for goal in self.indicators:
            if goal.id in seen:
                raise ValueError(f"指标 id 重复：{goal.id}")
            seen.add(goal.id)
        return self

    @model_validator(mode="after")
    def _articles_once(self) -> "Registry":
        seen = set()
        for article in self.articles:
            if article.number in seen:
                raise ValueError(f"条款重复：{article.text}")
            seen.add(article.number)
        return self

    @model_validator(mode="after")
    def _assessed_indicators_declared(self) -> "Registry":
        if self.assessment is None:
            return self
        ids = set(self.ids())
        for item in self.assessment.items:
            if item.indicator not in ids:
                raise ValueError(f"考核指标 {item.indicator} 不在本文件的指标中")
        if len({item.indicator for item in self.assessment.items}) < len(self.assessment.items):
            raise ValueError("考核指标重复")
        return self

    @model_validator(mode="after")
    def _rates_of_declared_indicators(self) -> "Registry":
        by_id = {goal.id: goal for goal in self.indicators}
        for rate in self.rates:
            for part in (rate.numerator, rate.denominator):
                if part not in by_id:
                    raise ValueError(f"比率 {rate.id} 引用的指标 {part} 不在本文件的指标中")
            if rate.numerator == rate.denominator:
                raise ValueError(f"比率 {rate.id} 的分子与分母是同一指标")
            if by_id[rate.numerator].frequency != by_id[rate.denominator].frequency:
                raise ValueError(f"比率 {rate.id} 的分子与分母统计频率不同")
        return self

    @property
    def goals(self) -> list[Goal]:
        return list(self.indicators)

    @property
    def parts(self) -> list[tuple[str, list[Article]]]:
        """The policy's parts with their articles, parts in the order of their first article (none when the
        file declares no articles)."""
        groups: dict[str, list[Article]] = {}
        for article in sorted(self.articles, key=lambda a: a.number):
            groups.setdefault(article.part, []).append(article)
        return list(groups.items())

    def article_goals(self, number: int) -> list[Goal]:
        """The indicators whose `article` cites article `number`, in the file's order."""
        return [goal for goal in self.indicators if number in cited_articles(goal.article)]

    def rates_among(self, goals: list[Goal]) -> list[Rate]:
        """The declared rates whose numerator and denominator are both among `goals`, in the file's order."""
        ids = {goal.id for goal in goals}
        return [rate for rate in self.rates if rate.numerator in ids and rate.denominator in ids]

    def goal(self, goal_id: str) -> Goal:
        for goal in self.indicators:
            if goal.id == goal_id:
                return goal
        raise KeyError(goal_id)

    def ids(self) -> list[str]:
        return [g.id for g in self.indicators]

    def tagged(self, tag: str) -> list[Goal]:
        """The goals carrying `tag`, in the file's order."""
        if tag not in TAGS:
            raise KeyError(tag)
        return [g for g in self.indicators if tag in g.tags]

    def first_tagged(self, tag: str) -> Goal | None:
        found = self.tagged(tag)
        return found[0] if found else None

    @property
    def dashboard_title(self) -> str:
        return self.app_title or self.title

    @property
    def basis(self) -> str:
        """依据《…实施意见》（罗政〔2021〕28号）"""
        return f"依据《{self.policy_title}》（{self.policy}）"

    def article(self, area: str) -> str:
        """The policy reference of a thematic area, e.g. 罗政〔2021〕28号 第（八）条; the policy alone when the
        file gives no article for it."""
        if area not in AREAS:
            raise KeyError(area)
        found = self.areas.get(area)
        return f"{self.policy} {found.article}" if found else self.policy

    def area_article(self, area: str) -> str | None:
        """The article alone (第（十）条), None when the file gives none for the area."""
        found = self.areas.get(area)
        return found.article if found else None

    def cited_article(self, area: str) -> str | None:
        """The policy reference of a thematic area (罗政〔2021〕28号 第（五）条) when the file gives an article
        for it, None when it gives none (where a citation of the policy alone would say nothing)."""
        return self.article(area) if self.area_article(area) else None

    def area_note(self, area: str) -> str | None:
        found = self.areas.get(area)
        return found.note if found else None

    @property
    def target_year(self) -> int | None:
        """The year every goal is due, when they share one (None for a plan with several target years)."""
        years = {g.target_year for g in self.targeted}
        return years.pop() if len(years) == 1 else None

    def target_year_text(self) -> str:
        """2030年, or 目标年 when the goals are due in different years."""
        return f"{self.target_year}年" if self.target_year else "目标年"

    @property
    def themes(self) -> list[tuple[str | None, list[Goal]]]:
        """The indicators grouped by their `theme`, groups in the order the file first names them (one
        group, named None, when the file gives no themes)."""
        groups: dict[str | None, list[Goal]] = {}
        for goal in self.indicators:
            groups.setdefault(goal.theme, []).append(goal)
        return list(groups.items())

    @property
    def targeted(self) -> list[Goal]:
        """The indicators with a target (the monitoring ones left out)."""
        return [g for g in self.indicators if g.target is not None]

    @property
    def industries(self) -> list[str]:
        """The industries of the groups, in the file's order."""
        return [industry for group in self.industry_groups for industry in group.industries]

    @property
    def known_industries(self) -> list[str]:
        """Every industry the file names: the groups' and the other industries (empty: the file lists none)."""
        return self.industries + list(self.other_industries)

    def industry_spellings(self) -> dict[str, str]:
        """Each way files may write an industry → its canonical name: the names themselves, then the synonyms.
        Empty when the file lists no industries (an import then takes any text)."""
        spellings = {industry: industry for industry in self.known_industries}
        for industry, synonyms in self.industry_synonyms.items():
            spellings.update(dict.fromkeys(synonyms, industry))
        return spellings

    def effective_text(self) -> str | None:
        """2021年12月15日: the policy's effective date as the pages write it; None without one."""
        return None if self.policy_effective is None else periods.day_label(self.policy_effective)

    def industry_group(self, industry: str) -> str:
        """The group of an industry or of a synonym of one (records stored before a synonym was declared)."""
        for canonical, synonyms in self.industry_synonyms.items():
            if industry in synonyms:
                industry = canonical
        for group in self.industry_groups:
            if industry in group.industries:
                return group.name
        return OTHER_INDUSTRIES


# --- loading, with the line of every error -------------------------------------------------------
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.]+)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_]+)\s*=")


def _line_index(text: str) -> dict[tuple, int]:
    """Where each table, array element and key of the file is, as a pydantic-style loc → line number."""
    index: dict[tuple, int] = {}
    counters: dict[str, int] = {}
    current: tuple = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            parts = header.group(2).split(".")
            if header.group(1) == "[[":
                counters[parts[0]] = counters.get(parts[0], -1) + 1
                current = (parts[0], counters[parts[0]], *parts[1:])
            elif parts[0] in counters:  # a sub-table of the latest array element
                current = (parts[0], counters[parts[0]], *parts[1:])
            else:
                current = tuple(parts)
            index.setdefault(current, number)
            continue
        key = _KEY.match(line)
        if key:
            index.setdefault((*current, key.group(1)), number)
    return index


def _line_of(loc: tuple, index: dict[tuple, int]) -> int | None:
    for end in range(len(loc), 0, -1):
        if loc[:end] in index:
            return index[loc[:end]]
    return None


def _describe(loc: tuple, data: dict) -> str:
    if len(loc) >= 2 and loc[0] == "indicators" and isinstance(loc[1], int):
        items = data.get("indicators") or []
        goal_id = items[loc[1]].get("id", f"第{loc[1] + 1}个") if loc[1] < len(items) else f"第{loc[1] + 1}个"
        rest = ".".join(str(p) for p in loc[2:])
        return f"指标 {goal_id}" + (f" 的 {rest}" if rest else "")
    return ".".join(str(p) for p in loc) or "文件"


def parse_registry(text: str, path: Path) -> Registry:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        place = f"第{where.group(1)}行第{where.group(2)}列" if where else "某处"
        raise RegistryError(path, [f"{path.name} {place}：TOML 语法错误（{exc}）"]) from None
    try:
        return Registry.model_validate(data)
    except ValidationError as exc:
        index = _line_index(text)
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            line = _line_of(loc, index)
            place = f"第{line}行" if line else "（位置未知）"
            problems.append(f"{path.name} {place}，{_describe(loc, data)}：{chinese_message(error)}")
        raise RegistryError(path, problems) from None


def load_registry(path: Path | str) -> Registry:
    path = Path(path)
    if not path.is_file():
        raise RegistryError(path, [f"找不到目标文件 {path}"])
    return parse_registry(path.read_text(encoding="utf-8"), path)
