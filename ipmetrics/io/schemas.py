"""One declarative schema per import kind: every column declared once, as a pydantic field.

A field's `title` is the column's Chinese header, its `description` and `examples` explain it in the import
template, and its annotated type says how its cells are read and kept (a day, a month, a region code …).
Row rules are the models' validators (types, allowed values, dates in order); rules across rows and
against the store (duplicate keys, unknown region codes, parents, unknown indicators) are in importer.py,
driven by what each `Kind` declares.
"""

from __future__ import annotations

import re
import typing
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo

from ipmetrics.core import periods
from ipmetrics.core.policy import article_text
from ipmetrics.core.validation import (
    DECIMAL_18_4,
    DOUBLE,
    EARLIEST_TRADEMARK,
    INTEGER,
    NumberRange,
    deadline_day,
    end_day,
    event_day,
    period_year,
    strip_invisible,
)

_TRUE = {"是", "真", "有", "√", "✓"}
_FALSE = {"否", "假", "无", "×", "✗"}
REGION_CODE = r"^[0-9]{6}([0-9]{3})?([0-9]{3})?$"
_SPACES = " \t\r\n\u3000\u00a0\ufeff"
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00)?)?$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:\s*[-/.]\s*0?1\s*日?)?$")


def parse_date(value: Any) -> Any:
    """2025-03-01, 2025/3/1, 2025.3.1 and 2025年3月1日 are the same day; other text is refused."""
    if not isinstance(value, str):
        return value
    match = _DATE.match(value)
    if not match:
        raise ValueError("不是有效日期（可写作 2025-03-01、2025/3/1 或 2025年3月1日）")
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError("不是有效日期（月份或日期超出范围）") from None


def parse_month(value: Any) -> Any:
    """2025-03, 2025/3, 2025年3月, or the first day of the month (an Excel date cell) → 2025-03."""
    if not isinstance(value, str):
        return value
    match = _MONTH.match(value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError("不是有效月份（可写作 2025-03、2025/3 或 2025年3月）")
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


# How each frequency's periods are written (templates, and the message refusing a period of another).
PERIOD_NOUN = {"month": "月份", "quarter": "季度", "year": "年份"}
PERIOD_SPELLINGS = {"month": "2025-09 或 2025年9月", "quarter": "2025-Q3 或 2025年第三季度", "year": "2025 或 2025年"}
EXAMPLE_PERIOD = {"month": "2025-09", "quarter": "2025-Q3", "year": "2025"}


def parse_period_cell(value: Any) -> Any:
    """A month, quarter or year in any spelling periods.parse_period knows (2025-09, 2025年9月, 2025-Q3,
    2025年第三季度, 2025, 2025年 …), a day (an Excel date cell: its month) or a whole number (a year), kept
    as its machine form (periods.period_text), so two spellings of one period compare equal."""
    if isinstance(value, (date, datetime)):
        return periods.period_text(periods.month(value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return value
    if _DATE.match(value):
        return periods.period_text(periods.month(parse_date(value)))
    found = periods.parse_period(value)
    if found is None:
        raise ValueError("不是有效期间（月写作 2025-09 或 2025年9月，季度写作 2025-Q3 或 2025年第三季度，"
                         "年写作 2025 或 2025年）")
    return periods.period_text(found)


def describe_period(text: str) -> str:
    """A period's machine form with what it is: 月份 2025-09, 季度 2025-Q3, 年份 2025."""
    return f"{PERIOD_NOUN[periods.frequency_of(periods.period_from_text(text))]} {text}"


class ColumnError(ValueError):
    """A rule across a row's cells that one column answers for: the importer names that column."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column


_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


def ungroup(value: Any) -> Any:
    """1,200.5 as Excel shows a number in a CSV reads as 1200.5."""
    if isinstance(value, str) and _GROUPED.match(value):
        return value.replace(",", "")
    return value


@dataclass(frozen=True)
class Dated:
    """Marks a column of calendar cells: how the template tells staff to write them, and how a valid cell
    is kept — a day, a month as 'YYYY-MM' text, a month as its last day (a month a figure stands for), or a
    month, quarter or year as its machine form (2025-09, 2025-Q3, 2025)."""

    format: str
    kept_as: Literal["day", "month", "month_end", "period"]


@dataclass(frozen=True)
class LocalValues:
    """Marks a column whose usual values are the region's own, listed in its goal file (its industries, its
    goal ids): a template names them when the caller passes them; the schema itself fixes no list."""

    listing: str


_DAY_FORMAT = "日期：2025-03-01、2025/3/1 或 2025年3月1日"
_MONTH_FORMAT = "月份：2025-03 或 2025年3月"
_PERIOD_FORMAT = "期间：月 2025-09 或 2025年9月；季度 2025-Q3 或 2025年第三季度；年 2025 或 2025年"
INDUSTRIES = LocalValues("industries")
GOAL_IDS = LocalValues("goal_ids")

# Days by what they mean (core/validation.py gives each its plausible range): an event that happened (Day), a
# trademark's registration (older marks stay valid), an end (EndDay: 9999-12-31 and other placeholders read as
# no end, a blank), a deadline or target date (DueDay).
Day = Annotated[date, BeforeValidator(parse_date), AfterValidator(event_day()), Dated(_DAY_FORMAT, "day")]
TrademarkDay = Annotated[date, BeforeValidator(parse_date), AfterValidator(event_day(EARLIEST_TRADEMARK)),
                         Dated(_DAY_FORMAT, "day")]
EndDay = Annotated[date, BeforeValidator(parse_date), AfterValidator(end_day), Dated(_DAY_FORMAT, "day")]
DueDay = Annotated[date, BeforeValidator(parse_date), AfterValidator(deadline_day), Dated(_DAY_FORMAT, "day")]
Month = Annotated[str, BeforeValidator(parse_month), AfterValidator(period_year), Dated(_MONTH_FORMAT, "month")]
MonthEnd = Annotated[str, BeforeValidator(parse_month), AfterValidator(period_year),
                     Dated(_MONTH_FORMAT, "month_end")]
PeriodText = Annotated[str, BeforeValidator(parse_period_cell), AfterValidator(period_year),
                       Dated(_PERIOD_FORMAT, "period")]
# 是/否 with a blank cell meaning 否.
NoIfBlank = Annotated[bool, BeforeValidator(lambda value: False if value is None else value)]
Whole = Annotated[int, BeforeValidator(ungroup), AfterValidator(INTEGER)]
# A figure kept as DOUBLE PRECISION (a reported value, a target).
Amount = Annotated[float, BeforeValidator(ungroup), AfterValidator(DOUBLE)]
# People in a region (INTEGER): no province has 200 million (the largest, Guangdong, has under 130 million).
Population = Annotated[int, BeforeValidator(ungroup), AfterValidator(NumberRange(
    INTEGER.limit, INTEGER.limit_text, 200_000_000, "一个地区的人口不超过 2 亿，人口最多的省份也不到 1.3 亿"))]
# A pledge deal in 万元 (DECIMAL(18, 4)): China's IP pledge financing in a whole year is under 1 万亿元
# (2023: 8,539 亿元), so no single deal reaches 1 亿万元; a larger figure is in 元, or a typo.
WanAmount = Annotated[float, BeforeValidator(ungroup), AfterValidator(NumberRange(
    DECIMAL_18_4.limit, DECIMAL_18_4.limit_text, 1e8, "单笔融资不超过 100,000,000 万元（1 万亿元）；请核对单位是否为万元",
    DECIMAL_18_4.decimals))]

# Columns many kinds share, declared once; a kind overrides a description or example where it differs.
RegionCode = Annotated[str, Field(pattern=REGION_CODE, title="区划代码",
                                  description="持有人所在乡镇（街道）的统计区划代码：县 6 位，乡镇 9 位",
                                  examples=["411521001"])]
Industry = Annotated[str | None, Field(title="行业", description="所属行业"), INDUSTRIES]
GoalId = Annotated[str, Field(min_length=1, title="指标", description="目标 id（见 data/indicators.toml）"), GOAL_IDS]


def _markers(annotation: Any) -> list[Any]:
    """The metadata objects of an annotation, looking inside Optional[...] and nested Annotated[...]."""
    if typing.get_origin(annotation) is Annotated:
        return [*annotation.__metadata__, *_markers(annotation.__origin__)]
    return [marker for argument in typing.get_args(annotation) for marker in _markers(argument)]


def column_markers(field: FieldInfo) -> list[Any]:
    """What a field's annotated type declares about its column: its Dated and LocalValues markers."""
    return [m for m in [*field.metadata, *_markers(field.annotation)] if isinstance(m, (Dated, LocalValues))]


class Row(BaseModel):
    """How a cell's text is read before the rules apply.

    Blank cells are missing values; surrounding spaces (full-width ones too) are dropped; codes,
    numbers, dates and choices are NFKC-normalised so full-width digits and letters read as ASCII;
    是/否 are booleans. Names and titles (`free_text`) keep their characters as typed.
    """

    model_config = ConfigDict(extra="ignore")
    free_text: ClassVar[frozenset[str]] = frozenset()
    # Chinese words staff write for a choice → the stored value.
    aliases: ClassVar[dict[str, dict[str, str]]] = {}

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, data: Any) -> Any:
        return cls.cleaned(data) if isinstance(data, dict) else data

    @classmethod
    def cleaned(cls, data: dict) -> dict:
        """The cells as the rules see them and the store keeps them (text cells; other values unchanged):
        invisible controls and surrounding spaces gone, NFKC but in free text, a choice's word as its value."""
        return {key: cls.clean_cell(key, value) for key, value in data.items()}

    @classmethod
    def clean_cell(cls, key: str, value: Any) -> Any:
        """One cell of column `key` as cleaned() gives it."""
        if not isinstance(value, str):
            return value
        return clean_text(value, key in cls.free_text, cls.aliases.get(key, {}))


def clean_text(value: str, free_text: bool, aliases: dict[str, str]) -> str | None:
    """A text cell as the rules see it (Row.cleaned; io/columnar.py cleans whole columns the same way)."""
    value = strip_invisible(value).strip(_SPACES)
    if not free_text:
        value = unicodedata.normalize("NFKC", value).strip()
        value = aliases.get(value, value)
    if value == "":
        return None
    if value in _TRUE:
        return "true"
    if value in _FALSE:
        return "false"
    return value


@dataclass(frozen=True)
class DateOrder:
    """A row rule: the day in `later` may not come before the day in `earlier` (both optional). The error is
    the later column's, saying `message` with the earlier day ({earlier}). Declared once, it is the model's
    field validator (not_before) and io/columnar.py's column check alike."""

    later: str
    earlier: str
    message: str

    def check(self, later: date | None, info: ValidationInfo) -> date | None:
        earlier = info.data.get(self.earlier)
        if later is not None and earlier is not None and later < earlier:
            raise ValueError(self.message.format(earlier=earlier.isoformat()))
        return later


def not_before(later: str, earlier: str, message: str) -> Any:
    """The field validator of a DateOrder, for a model's class body; the rule rides on the validator
    (`date_order`), where io/columnar.py finds it."""
    rule = DateOrder(later, earlier, message)

    def validate(cls: type, value: date | None, info: ValidationInfo) -> date | None:
        return rule.check(value, info)

    validate.date_order = rule  # type: ignore[attr-defined]
    return field_validator(later)(validate)


class RegionRow(Row):
    free_text = frozenset({"name"})
    aliases = {"level": {"省": "province", "市": "city", "县": "county", "区": "county", "县级": "county",
                         "乡镇": "township", "乡": "township", "镇": "township", "街道": "township"}}
    code: RegionCode = Field(description="统计用区划代码")
    # Region names appear in every title and file name: letters (Chinese included), digits, spaces and
    # the punctuation real names use — nothing markdown, HTML or a file system would read as syntax.
    name: str = Field(min_length=1, max_length=40, pattern=r"^[\w\u3000-\u30ff\u4e00-\u9fff（）()·・\- ]+$",
                      title="名称", description="名称", examples=["丽水街道"])
    level: Literal["province", "city", "county", "township"] = Field(
        title="层级", description="层级：province 省、city 市、county 县、township 乡镇街道（可写中文）",
        examples=["township"])
    parent_code: str | None = Field(default=None, pattern=REGION_CODE, title="上级区划代码",
                                    description="上级区划代码；最上一级留空", examples=["411521"])

    @field_validator("parent_code")
    @classmethod
    def _not_own_parent(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and value == info.data.get("code"):
            raise ValueError("上级区划不能是自身")
        return value


class PopulationRow(Row):
    region_code: RegionCode
    year: Whole = Field(ge=1949, le=2100, title="年份", description="年份（年末数）", examples=["2024"])
    resident: Population | None = Field(default=None, ge=0, title="常住人口", description="年末常住人口",
                                   examples=["479500"])
    registered: Population | None = Field(default=None, ge=0, title="户籍人口", description="年末户籍人口",
                                     examples=["761800"])

    @model_validator(mode="after")
    def _some_figure(self) -> "PopulationRow":
        if self.resident is None and self.registered is None:
            raise ValueError("常住人口和户籍人口至少填写一项")
        return self


class TrademarkRow(Row):
    free_text = frozenset({"mark_name", "holder", "industry"})
    aliases = {"mark_type": {"普通商标": "ordinary", "普通": "ordinary", "集体商标": "collective",
                             "集体": "collective", "证明商标": "certification", "证明": "certification"}}
    reg_no: str = Field(min_length=1, title="注册号", description="商标注册号", examples=["61894002"])
    mark_name: str = Field(min_length=1, title="商标名称", description="商标名称", examples=["铁铺豆腐"])
    holder: str = Field(min_length=1, title="注册人", description="注册人", examples=["罗山县铁铺镇豆腐产业协会"])
    region_code: RegionCode
    mark_type: Literal["ordinary", "collective", "certification"] = Field(
        title="商标类型", description="ordinary 普通、collective 集体、certification 证明（可写中文）",
        examples=["certification"])
    is_gi: bool = Field(title="地理标志", description="是否地理标志（集体或证明）商标", examples=["是"])
    industry: Industry = None
    registered_on: TrademarkDay = Field(title="注册日期", description="核准注册日期", examples=["2024-09-20"])
    ended_on: EndDay | None = Field(default=None, title="终止日期",
                                 description="注销、无效、期满未续展等终止日期；有效期内留空")
    well_known_on: Day | None = Field(default=None, title="驰名商标认定日期",
                                      description="认定为驰名商标的日期；无则留空")

    _ended_after_registered = not_before("ended_on", "registered_on", "终止日期早于注册日期 {earlier}")
    _known_after_registered = not_before("well_known_on", "registered_on", "驰名商标认定日期早于注册日期 {earlier}")


class PatentRow(Row):
    free_text = frozenset({"title", "holder", "industry"})
    aliases = {"patent_type": {"发明": "invention", "发明专利": "invention", "实用新型": "utility_model",
                               "外观设计": "design"},
               "office": {"中国": "CN", "国内": "CN", "美国": "US", "欧洲": "EP", "日本": "JP", "韩国": "KR"}}
    patent_no: str = Field(min_length=1, title="专利号", description="专利号（国外授权写该国的专利号）",
                           examples=["ZL202310123456.7"])
    title: str = Field(min_length=1, title="名称", description="专利名称", examples=["一种茶叶杀青装置"])
    holder: str = Field(min_length=1, title="专利权人", description="专利权人", examples=["罗山县灵山茶业有限公司"])
    region_code: RegionCode
    patent_type: Literal["invention", "utility_model", "design"] = Field(
        title="专利类型", description="invention 发明、utility_model 实用新型、design 外观设计（可写中文）",
        examples=["invention"])
    office: str = Field(pattern=r"^[A-Z]{2}$", title="授权机构",
                        description="授权机构：CN 国内；国外授权写 US、EP、JP、KR 等", examples=["CN"])
    industry: Industry = None
    applied_on: Day | None = Field(default=None, title="申请日期", description="申请日", examples=["2023-02-10"])
    granted_on: Day = Field(title="授权日期", description="授权公告日", examples=["2025-04-18"])
    ended_on: EndDay | None = Field(default=None, title="失效日期",
                                 description="终止（未缴年费、无效、期满）日期；有效留空")
    high_value: NoIfBlank = Field(
        default=False, title="高价值专利",
        description="是否高价值发明专利（国家统计口径：战略性新兴产业的发明专利、在海外有同族专利权的发明专利、"
                    "质押融资1000万元以上的发明专利、维持年限超过10年的发明专利、获得国家级科学技术奖或中国专利奖的"
                    "发明专利）；留空即为否",
        examples=["否"])

    @field_validator("office", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    _granted_after_applied = not_before("granted_on", "applied_on", "授权日期早于申请日期 {earlier}")
    _ended_after_granted = not_before("ended_on", "granted_on", "失效日期早于授权日期 {earlier}")


class PledgeRow(Row):
    free_text = frozenset({"enterprise", "ip_type", "lender"})
    contract_no: str = Field(min_length=1, title="合同编号", description="质押登记或合同编号", examples=["ZY2025001"])
    enterprise: str = Field(min_length=1, title="出质企业", description="出质企业", examples=["罗山县某科技有限公司"])
    region_code: RegionCode
    ip_type: str | None = Field(default=None, title="质押物类型", description="质押物：专利权、商标权等",
                                examples=["专利权"])
    lender: str | None = Field(default=None, title="质权人（银行）", description="质权人（放款银行）",
                               examples=["中原银行罗山支行"])
    amount_wan: WanAmount = Field(gt=0, allow_inf_nan=False, title="融资金额（万元）", description="融资金额（万元）",
                               examples=["500"])
    registered_on: Day = Field(title="登记日期", description="质押登记日期", examples=["2025-03-15"])


class EnterpriseRow(Row):
    free_text = frozenset({"name", "industry"})
    credit_code: str = Field(pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$", title="统一社会信用代码",
                             description="18 位统一社会信用代码", examples=["91411521MA9XXXXX1A"])
    name: str = Field(min_length=1, title="企业名称", description="企业名称", examples=["罗山县灵山茶业有限公司"])
    region_code: RegionCode
    industry: Industry = None
    high_tech: bool = Field(title="高新技术企业", description="是否高新技术企业", examples=["是"])
    tech_sme: bool = Field(title="科技型中小企业", description="是否科技型中小企业", examples=["否"])
    ip_standard_on: Day | None = Field(default=None, title="贯标认证日期",
                                       description="通过 GB/T 29490 认证的日期；未认证留空", examples=["2023-06-30"])
    national_ip_on: Day | None = Field(default=None, title="国家优势示范企业认定日期",
                                       description="首次获国家知识产权优势或示范企业认定的日期（由优势企业升级为"
                                                   "示范企业的，仍填优势企业的认定日期）；无则留空")
    provincial_strong_on: Day | None = Field(default=None, title="省强企认定日期",
                                             description="获河南省知识产权强企认定的日期；无则留空")
    # Issue 16: upgrades, validity and applications — optional, so files without them still import.
    national_demo_on: Day | None = Field(default=None, title="国家示范企业认定日期",
                                         description="升级（或直接认定）为国家知识产权示范企业的日期；"
                                                     "仍为优势企业或未认定的留空", examples=["2026-09-25"])
    national_ip_until: EndDay | None = Field(default=None, title="国家优势示范企业失效日期",
                                          description="国家级认定失效（复核未通过、被撤销或期满未续）的日期；"
                                                      "仍有效留空")
    provincial_strong_until: EndDay | None = Field(default=None, title="省强企失效日期",
                                                description="省知识产权强企认定失效（复核未通过、被撤销或期满未续）"
                                                            "的日期；仍有效留空")
    national_ip_applied_on: Day | None = Field(default=None, title="国家优势示范企业申报日期",
                                               description="申报（或被推荐）国家知识产权优势/示范企业的日期；"
                                                           "未申报留空")
    provincial_strong_applied_on: Day | None = Field(default=None, title="省强企申报日期",
                                                     description="申报（或被推荐）河南省知识产权强企的日期；未申报留空",
                                                     examples=["2026-06-12"])

    @model_validator(mode="after")
    def _designation_dates_in_order(self) -> "EnterpriseRow":
        """A directly designated 示范企业 is first designated then; each level's dates run application ≤
        designation ≤ end, and an upgrade comes after the first national designation."""
        if self.national_ip_on is None and self.national_demo_on is not None:
            self.national_ip_on = self.national_demo_on
        # (earlier, later, the column at fault, what is wrong — followed by the other column's date)
        checks = [("national_ip_on", "national_demo_on", "national_demo_on", "国家示范企业认定日期早于优势企业认定日期"),
                  ("national_ip_on", "national_ip_until", "national_ip_until", "国家优势示范企业失效日期早于认定日期"),
                  ("national_demo_on", "national_ip_until", "national_ip_until",
                   "国家优势示范企业失效日期早于国家示范企业认定日期"),
                  ("provincial_strong_on", "provincial_strong_until", "provincial_strong_until",
                   "省强企失效日期早于认定日期"),
                  ("national_ip_applied_on", "national_ip_on", "national_ip_applied_on",
                   "国家优势示范企业申报日期晚于认定日期"),
                  ("provincial_strong_applied_on", "provincial_strong_on", "provincial_strong_applied_on",
                   "省强企申报日期晚于认定日期")]
        for earlier_field, later_field, at_fault, message in checks:
            earlier, later = getattr(self, earlier_field), getattr(self, later_field)
            if earlier is not None and later is not None and later < earlier:
                other = later if at_fault == earlier_field else earlier
                raise ColumnError(at_fault, f"{message} {other.isoformat()}")
        for until_field, on_field, word in [("national_ip_until", "national_ip_on", "国家优势示范企业"),
                                            ("provincial_strong_until", "provincial_strong_on", "省强企")]:
            if getattr(self, until_field) is not None and getattr(self, on_field) is None:
                raise ColumnError(until_field, f"填写了{word}失效日期，但没有{word}认定日期")
        return self


class BrandRow(Row):
    """A brand article 五 names, with the dates of its application steps (blank until reached)."""

    free_text = frozenset({"name", "applicant", "note"})
    aliases = {"brand_type": {"集体商标": "collective", "集体": "collective", "地理标志": "gi",
                              "地理标志商标": "gi", "证明商标": "gi"}}

    name: str = Field(min_length=1, title="品牌名称", description="第（五）条点名培育的品牌", examples=["罗山渔稻米"])
    brand_type: Literal["collective", "gi"] = Field(
        title="类型", description="collective 集体商标、gi 地理标志商标（可写中文）", examples=["gi"])
    applicant: str | None = Field(default=None, title="申请人", description="申请人",
                                  examples=["罗山县稻渔综合种养协会"])
    region_code: RegionCode
    filed_on: Day | None = Field(default=None, title="申报日期", description="向商标局申报的日期",
                                 examples=["2026-04-22"])
    accepted_on: Day | None = Field(default=None, title="受理日期", description="受理日期")
    published_on: Day | None = Field(default=None, title="初审公告日期", description="初审公告日期")
    registered_on: Day | None = Field(default=None, title="注册日期", description="核准注册日期")
    rejected_on: Day | None = Field(default=None, title="驳回日期", description="驳回日期")
    reg_no: str | None = Field(default=None, title="注册号", description="注册后的商标注册号")
    note: str | None = Field(default=None, title="备注", description="备注")

    _accepted_after_filed = not_before("accepted_on", "filed_on", "受理日期早于申报日期 {earlier}")
    _published_after_accepted = not_before("published_on", "accepted_on", "初审公告日期早于受理日期 {earlier}")
    _registered_after_published = not_before("registered_on", "published_on", "注册日期早于初审公告日期 {earlier}")
    _rejected_after_filed = not_before("rejected_on", "filed_on", "驳回日期早于申报日期 {earlier}")


class ReportedRow(Row):
    """A figure an office reports for an indicator, a region and one of the indicator's periods (a month, a
    quarter or a year, as the indicator is counted); it is kept at the period's last day."""

    indicator: GoalId
    region_code: RegionCode
    period: PeriodText | None = Field(
        default=None, title="期间",
        description="数值所属的统计期间，按指标的统计频率写（见“指标清单”）：按月的写月份，按季度的写季度，"
                    "按年的写年份；与“月份”列二选一填写",
        examples=["2025-Q3"])
    month: MonthEnd | None = Field(default=None, title="月份",
                                   description="月份（按月统计的指标也可只填此列，不填“期间”）")
    value: Amount = Field(allow_inf_nan=False, title="数值", description="上报的数值，优先于由明细计算的值",
                          examples=["0.68"])

    @model_validator(mode="after")
    def _one_period(self) -> "ReportedRow":
        if self.period is None and self.month is None:
            raise ColumnError("period", "请填写期间（如 2025-Q3、2025年），或按月统计的指标填写月份")
        if self.period is None:
            self.period = self.month  # a month's machine form is its 'YYYY-MM'
        elif self.month is not None and self.month != self.period:
            raise ColumnError("period", f"期间（{describe_period(self.period)}）与月份 {self.month} 不是同一期，"
                                        "两列只需填一项")
        # What is stored: the period's last month, kept (like any MonthEnd) as that month's last day.
        self.month = periods.period_text(periods.end_month(periods.period_from_text(self.period)))
        return self


class ActionRow(Row):
    """督办事项: what the leadership group asked for, until it is closed — on any indicator of the goal file,
    or on none (a meeting decision, 会议决定: goal_id blank)."""

    free_text = frozenset({"problem", "measure", "lead_unit", "co_units", "progress"})
    # The words the page and the briefing show for an item on no indicator read back as a blank (cells are
    # NFKC-normalised first, so full-width brackets arrive as ASCII ones).
    aliases = {"status": {"办理中": "open", "在办": "open", "未办结": "open", "督办中": "open",
                          "已办结": "closed", "办结": "closed", "已完成": "closed"},
               "goal_id": {"会议决定": "", "无": "", "无(会议决定)": ""}}
    code: str = Field(min_length=1, max_length=40, title="编号",
                      description="督办事项编号；同一编号再次导入即更新该事项", examples=["DB-2025-12-01"])
    goal_id: Annotated[str | None, Field(
        title="指标", description="目标文件中任一指标的 id；会议决定等不针对某一指标的事项留空（或写“会议决定”）"),
        GOAL_IDS] = None
    region_code: RegionCode = Field(description="责任区划：县 6 位，乡镇 9 位", examples=["411521"])
    problem: str = Field(min_length=1, title="存在问题", description="存在问题",
                         examples=["低于序时进度，按近期趋势难以如期完成"])
    measure: str = Field(min_length=1, title="工作措施", description="工作措施",
                         examples=["制定专项推进计划，逐月调度，下次例会报告进展"])
    lead_unit: str = Field(min_length=1, title="牵头单位", description="牵头单位", examples=["县市场监督管理局"])
    co_units: str | None = Field(default=None, title="配合单位", description="配合单位，可写多个",
                                 examples=["县农业农村局、各乡镇"])
    due_on: DueDay = Field(title="完成时限", description="完成时限", examples=["2026-06-30"])
    raised_month: Month = Field(title="提出月份", description="提出督办的会议月份", examples=["2025-12"])
    # A blank status is a new item, still open.
    status: Annotated[Literal["open", "closed"], BeforeValidator(lambda v: "open" if v is None else v)] = Field(
        default="open", title="办理状态", description="办理中（open）或 已办结（closed）", examples=["办理中"])
    closed_on: Day | None = Field(default=None, title="办结日期", description="办结日期；已办结时必填")
    progress: str | None = Field(default=None, title="进展情况", description="最新进展")
    task_code: str | None = Field(default=None, max_length=40, title="任务编号",
                                  description="督办的政策任务（任务分工中的编号）；不针对某项任务的留空",
                                  examples=["RW-08-01"])

    @field_validator("closed_on")
    @classmethod
    def _closed_has_date(cls, value: date | None, info: ValidationInfo) -> date | None:
        status = info.data.get("status")
        if status == "closed" and value is None:
            raise ValueError("已办结的事项须填写办结日期")
        if status == "open" and value is not None:
            raise ValueError("填写了办结日期，办理状态应为“已办结”")
        return value


# 长期 tasks have no due date: the words staff write for one.
ONGOING_WORDS = frozenset({"长期", "长期坚持", "持续推进"})
_ID_SEPARATORS = re.compile(r"[,，、;；\s]+")


def indicator_list(value: Any) -> Any:
    """Indicator ids separated by commas, 顿号, semicolons or spaces, kept as 'a,b' in the order given."""
    if not isinstance(value, str):
        return value
    ids = [part for part in _ID_SEPARATORS.split(value) if part]
    return ",".join(ids) or None


class TaskRow(Row):
    """任务分工: a task of one of the policy's articles, the unit that leads it and when it is due."""

    free_text = frozenset({"task", "lead_unit", "co_units"})
    code: str = Field(min_length=1, max_length=40, title="任务编号",
                      description="任务编号；同一编号再次导入即更新该任务", examples=["RW-11-01"])
    article: Annotated[str, BeforeValidator(article_text)] = Field(
        title="政策条款", description="任务所属的政策条款，按文件写法（也可写 第十一条 或 11）", examples=["第（十一）条"])
    task: str = Field(min_length=1, title="任务内容", description="任务内容",
                      examples=["开展知识产权执法“铁拳”行动，查处商标侵权、假冒专利案件"])
    lead_unit: str = Field(min_length=1, title="牵头单位", description="牵头单位", examples=["县市场监督管理局"])
    co_units: str | None = Field(default=None, title="配合单位", description="配合单位，可写多个",
                                 examples=["县公安局、各乡镇人民政府"])
    due_on: DueDay | None = Field(default=None, title="完成时限",
                               description="完成时限：日期；长期任务写“长期”（或 长期坚持、持续推进），不填日期",
                               examples=["2025-12-31"])
    ongoing: NoIfBlank = Field(default=False, title="长期任务",
                               description="是否长期任务；完成时限写“长期”时自动为是，可不填", examples=["否"])
    indicator_ids: Annotated[str | None, BeforeValidator(indicator_list)] = Field(
        default=None, title="关联指标",
        description="任务关联的指标 id，多个用逗号或顿号分隔（见目标文件的指标清单）；可不填", examples=["gi_marks"])

    @model_validator(mode="before")
    @classmethod
    def _ongoing_words(cls, data: Any) -> Any:
        """长期 in the due-date column: an ongoing task, without a date."""
        if isinstance(data, dict) and isinstance(data.get("due_on"), str) \
                and data["due_on"].strip(_SPACES) in ONGOING_WORDS:
            return {**data, "due_on": None, "ongoing": "true"}
        return data

    @model_validator(mode="after")
    def _due_or_ongoing(self) -> "TaskRow":
        if self.due_on is None and not self.ongoing:
            raise ColumnError("due_on", "请填写完成时限（日期），长期任务写“长期”")
        if self.due_on is not None and self.ongoing:
            raise ColumnError("due_on", "长期任务不设完成日期：完成时限写“长期”，或把“长期任务”改为否")
        return self


_REPORT_PERIOD_FORMAT = "期间：月 2025-09 或 2025年9月；季度 2025-Q3 或 2025年第三季度"
TASK_STATUSES = ("not_started", "in_progress", "done", "behind")
TASK_STATUS_WORDS = {"未启动": "not_started", "推进中": "in_progress", "进行中": "in_progress",
                     "正在推进": "in_progress", "已完成": "done", "完成": "done", "滞后": "behind", "进度滞后": "behind"}


class TaskReportRow(Row):
    """任务进展: what a unit reports on a task for a month or a quarter (one report per task and period)."""

    free_text = frozenset({"progress", "reporting_unit"})
    aliases = {"status": TASK_STATUS_WORDS}
    task_code: str = Field(min_length=1, max_length=40, title="任务编号", description="所汇报任务的编号（见任务分工）",
                           examples=["RW-11-01"])
    period: Annotated[str, BeforeValidator(parse_period_cell), AfterValidator(period_year),
                      Dated(_REPORT_PERIOD_FORMAT, "period")] = Field(
        title="汇报期间", description="进展所属的月份或季度（按季度汇报，写 2025-Q3 或 2025年第三季度）",
        examples=["2025-Q3"])
    status: Literal["not_started", "in_progress", "done", "behind"] = Field(
        title="进展状态", description="未启动、推进中、已完成 或 滞后", examples=["推进中"])
    progress: str | None = Field(default=None, title="进展情况", description="进展情况",
                                 examples=["已开展专项执法检查2次，立案3起"])
    reporting_unit: str = Field(min_length=1, title="报送单位", description="报送进展的单位",
                                examples=["县市场监督管理局"])
    reported_on: Day = Field(title="报送日期", description="报送日期", examples=["2025-10-10"])

    @field_validator("period")
    @classmethod
    def _month_or_quarter(cls, value: str) -> str:
        if periods.frequency_of(periods.period_from_text(value)) == "year":
            raise ValueError(f"任务进展按月或按季度汇报，期间应为月份或季度（如 2025-Q3 或 2025年第三季度），"
                             f"不能是年份 {value}")
        return value

    @field_validator("status", mode="before")
    @classmethod
    def _known_status(cls, value: Any) -> Any:
        if value is None or isinstance(value, str) and value not in TASK_STATUSES:
            raise ValueError(("必填项为空" if value is None else "不认识的进展状态") + "（可填：未启动、推进中、已完成、滞后）")
        return value


class TargetRow(Row):
    """乡镇目标: the target the plan's region assigns to one of the regions below it (a township of the county)
    on an indicator of the goal file, and the date it is due. The plan's own target is in its goal file."""

    free_text = frozenset({"note"})
    indicator: GoalId
    region_code: RegionCode = Field(title="地区代码",
                                    description="下达目标的乡镇（街道）的区划代码（9 位）；县本级的目标写在目标文件中",
                                    examples=["411521001"])
    target: Amount = Field(ge=0, allow_inf_nan=False, title="目标值",
                           description="下达给该乡镇的目标值（与指标同一单位，不小于 0）", examples=["260"])
    target_date: DueDay = Field(title="目标日期", description="目标的完成日期（如年度考核写当年 12 月 31 日）",
                             examples=["2026-12-31"])
    note: str | None = Field(default=None, title="备注", description="备注（如下达文件）")


@dataclass(frozen=True)
class Reference:
    """A column naming a row of another kind by its (one-column) key: the key must be in the store (listed by
    the query `query`) or in a file of that kind imported with it."""

    column: str
    kind: str
    query: str


@dataclass(frozen=True)
class Kind:
    """An import kind: its row model (the columns, in file order) and what the importer checks across rows.

    `parent_column` names a row's parent region, which must be a region the store knows or a key (one
    column) of the same file; `period_columns` the columns a row may name its period in (the first holds
    the period, in its machine form, once the row is read); `event_columns` are the dated events a file of
    this kind vouches for, up to the latest (see importer.inferred_through); kinds without them are lists,
    current when imported. `indicator_list_column` names goal ids of the definitions file, several to a cell;
    `reference` a column naming a row of another kind (a task report's task, a 督办事项's task; a blank in an
    optional column names none); `below_plan_region` that a row's region must lie below the goal file's own
    region (a target the county assigns to a township).
    """

    name: str
    title: str                       # Chinese name of the kind
    model: type[Row]
    key: tuple[str, ...]
    region_column: str | None = "region_code"
    indicator_column: str | None = None  # a column naming a goal id of the definitions file
    # Columns naming the period a figure is for, the one kept first: its frequency must be the indicator's.
    period_columns: tuple[str, ...] = ()
    parent_column: str | None = None
    event_columns: tuple[str, ...] = ()
    indicator_list_column: str | None = None  # a column of goal ids separated by commas ('a,b'), optional
    reference: Reference | None = None
    below_plan_region: bool = False  # the region must lie below the goal file's region (a township's target)

    def __post_init__(self) -> None:
        fields = self.model.model_fields
        untitled = [name for name, field in fields.items() if not field.title]
        if untitled:
            raise TypeError(f"{self.model.__name__}: columns without a Chinese title: {untitled}")
        named = [*self.key, self.region_column, self.indicator_column, self.parent_column, *self.event_columns,
                 *self.period_columns, self.indicator_list_column, self.reference and self.reference.column]
        unknown = [name for name in named if name is not None and name not in fields]
        if unknown:
            raise TypeError(f"{self.name}: no such columns: {unknown}")
        if self.parent_column and len(self.key) != 1:
            raise TypeError(f"{self.name}: a parent column refers to a one-column key")

    @cached_property
    def labels(self) -> dict[str, str]:
        """Column → Chinese header, in file order (the fields' titles)."""
        return {name: field.title for name, field in self.model.model_fields.items()}

    @property
    def columns(self) -> list[str]:
        return list(self.labels)

    @property
    def required(self) -> list[str]:
        return [name for name, f in self.model.model_fields.items() if f.is_required()]

    def dated(self, column: str) -> Dated | None:
        """How a calendar column is written and kept, or None for any other column."""
        return next((m for m in column_markers(self.model.model_fields[column]) if isinstance(m, Dated)), None)

    def columns_kept_as(self, kept_as: str) -> list[str]:
        """The columns kept as days ('day'), as month text ('month'), as month ends ('month_end') or as
        period text ('period')."""
        return [c for c in self.columns if (marker := self.dated(c)) is not None and marker.kept_as == kept_as]


KINDS: dict[str, Kind] = {k.name: k for k in [
    Kind("regions", "行政区划", RegionRow, ("code",), region_column=None, parent_column="parent_code"),
    Kind("population", "人口", PopulationRow, ("region_code", "year")),
    Kind("enterprises", "企业", EnterpriseRow, ("credit_code",)),
    Kind("trademarks", "商标", TrademarkRow, ("reg_no",),
         event_columns=("registered_on", "ended_on", "well_known_on")),
    Kind("patents", "专利", PatentRow, ("patent_no",), event_columns=("granted_on", "ended_on")),
    Kind("pledges", "知识产权质押融资", PledgeRow, ("contract_no",), event_columns=("registered_on",)),
    Kind("brands", "品牌培育", BrandRow, ("name",)),
    Kind("reported", "上报数值", ReportedRow, ("indicator", "region_code", "period"), indicator_column="indicator",
         period_columns=("period", "month"), event_columns=("month",)),
    Kind("actions", "督办事项", ActionRow, ("code",), indicator_column="goal_id",
         reference=Reference("task_code", "tasks", "task_codes")),
    Kind("tasks", "任务分工", TaskRow, ("code",), region_column=None, indicator_list_column="indicator_ids"),
    Kind("task_reports", "任务进展", TaskReportRow, ("task_code", "period"), region_column=None,
         reference=Reference("task_code", "tasks", "task_codes")),
    Kind("targets", "乡镇目标", TargetRow, ("indicator", "region_code"), indicator_column="indicator",
         below_plan_region=True),
]}

# The order in which kinds are loaded when several come together: regions before what refers to them, and
# the tasks before the 督办事项 that may name them.
LOAD_ORDER = [name for name in KINDS if name != "actions"] + ["actions"]


# Other headers offices write for a column (besides its Chinese title and its English name), by kind. Matching
# ignores full-/half-width, spaces and a unit in brackets ("有效量（件）"), so only the words are listed here.
# A column named in "*" applies to every kind that has it.
COLUMN_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "*": {
        "region_code": ("区划", "行政区划代码", "统计区划代码", "乡镇", "所属乡镇", "乡镇（街道）", "所属乡镇（街道）",
                        "乡镇街道", "所属乡镇街道", "所在乡镇", "所在乡镇（街道）", "乡镇名称", "街道"),
        "industry": ("所属行业", "行业类别", "产业"),
    },
    "regions": {"code": ("区划代码", "行政区划代码", "代码"), "name": ("区划名称", "地区名称", "乡镇名称"),
                "parent_code": ("上级代码", "上级区划")},
    "population": {"year": ("年度",), "resident": ("年末常住人口", "常住人口数"),
                   "registered": ("年末户籍人口", "户籍人口数")},
    "enterprises": {"credit_code": ("信用代码", "社会信用代码"), "name": ("单位名称", "企业")},
    "trademarks": {
        "reg_no": ("商标注册号", "商标号", "注册证号"),
        "mark_name": ("商标", "商标文字"),
        "holder": ("申请人", "商标注册人", "申请人名称", "注册人名称", "商标权人", "权利人", "商标申请人"),
        "mark_type": ("类型", "商标种类"),
        "is_gi": ("是否地理标志", "地理标志商标", "是否地理标志商标"),
        "registered_on": ("核准注册日期", "注册时间", "注册公告日期"),
        "ended_on": ("失效日期", "注销日期"),
    },
    "patents": {
        "patent_no": ("专利申请号", "申请号"), "title": ("专利名称", "发明名称"),
        "holder": ("权利人", "专利权人名称", "申请人", "申请（专利权）人"),
        "patent_type": ("类型", "专利种类"), "granted_on": ("授权公告日", "授权公告日期", "授权时间"),
        "applied_on": ("申请日",),
    },
    "pledges": {
        "contract_no": ("登记编号", "质押登记号", "合同号"), "enterprise": ("出质人", "企业名称", "出质企业名称"),
        "lender": ("质权人", "银行", "放款银行", "贷款银行"), "amount_wan": ("融资金额", "金额", "质押金额", "融资额"),
        "registered_on": ("质押登记日期", "登记时间"), "ip_type": ("质押物", "质押类型"),
    },
}
