"""One declarative schema per import kind: columns, Chinese labels, natural key and row rules.

Row rules are pydantic models (types, allowed values, dates in order); rules across rows and against the
store (duplicate keys, unknown region codes, unknown indicators) are in importer.py.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator

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


_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


def ungroup(value: Any) -> Any:
    """1,200.5 as Excel shows a number in a CSV reads as 1200.5."""
    if isinstance(value, str) and _GROUPED.match(value):
        return value.replace(",", "")
    return value


Day = Annotated[date, BeforeValidator(parse_date)]
Month = Annotated[str, BeforeValidator(parse_month)]
Whole = Annotated[int, BeforeValidator(ungroup)]
Amount = Annotated[float, BeforeValidator(ungroup)]


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
        if not isinstance(data, dict):
            return data
        cleaned = {}
        for key, value in data.items():
            if isinstance(value, str):
                value = value.strip(_SPACES)
                if key not in cls.free_text:
                    value = unicodedata.normalize("NFKC", value).strip()
                    value = cls.aliases.get(key, {}).get(value, value)
                if value == "":
                    value = None
                elif value in _TRUE:
                    value = "true"
                elif value in _FALSE:
                    value = "false"
            cleaned[key] = value
        return cleaned


def _not_before(later: date | None, info: ValidationInfo, earlier_field: str, message: str) -> date | None:
    earlier = info.data.get(earlier_field)
    if later is not None and earlier is not None and later < earlier:
        raise ValueError(message.format(earlier=earlier.isoformat()))
    return later


class RegionRow(Row):
    free_text = frozenset({"name"})
    aliases = {"level": {"省": "province", "市": "city", "县": "county", "区": "county", "县级": "county",
                         "乡镇": "township", "乡": "township", "镇": "township", "街道": "township"}}
    code: str = Field(pattern=REGION_CODE)
    # Region names appear in every title and file name: letters (Chinese included), digits, spaces and
    # the punctuation real names use — nothing markdown, HTML or a file system would read as syntax.
    name: str = Field(min_length=1, max_length=40, pattern=r"^[\w\u3000-\u30ff\u4e00-\u9fff（）()·・\- ]+$")
    level: Literal["province", "city", "county", "township"]
    parent_code: str | None = Field(default=None, pattern=REGION_CODE)

    @field_validator("parent_code")
    @classmethod
    def _not_own_parent(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and value == info.data.get("code"):
            raise ValueError("上级区划不能是自身")
        return value


class PopulationRow(Row):
    region_code: str = Field(pattern=REGION_CODE)
    year: Whole = Field(ge=1949, le=2100)
    resident: Whole | None = Field(default=None, ge=0)
    registered: Whole | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _some_figure(self) -> "PopulationRow":
        if self.resident is None and self.registered is None:
            raise ValueError("常住人口和户籍人口至少填写一项")
        return self


class TrademarkRow(Row):
    free_text = frozenset({"mark_name", "holder", "industry"})
    aliases = {"mark_type": {"普通商标": "ordinary", "普通": "ordinary", "集体商标": "collective",
                             "集体": "collective", "证明商标": "certification", "证明": "certification"}}
    reg_no: str = Field(min_length=1)
    mark_name: str = Field(min_length=1)
    holder: str = Field(min_length=1)
    region_code: str = Field(pattern=REGION_CODE)
    mark_type: Literal["ordinary", "collective", "certification"]
    is_gi: bool
    industry: str | None = None
    registered_on: Day
    ended_on: Day | None = None
    well_known_on: Day | None = None

    @field_validator("ended_on")
    @classmethod
    def _ended_after_registered(cls, value: date | None, info: ValidationInfo) -> date | None:
        return _not_before(value, info, "registered_on", "终止日期早于注册日期 {earlier}")

    @field_validator("well_known_on")
    @classmethod
    def _known_after_registered(cls, value: date | None, info: ValidationInfo) -> date | None:
        return _not_before(value, info, "registered_on", "驰名商标认定日期早于注册日期 {earlier}")


class PatentRow(Row):
    free_text = frozenset({"title", "holder", "industry"})
    aliases = {"patent_type": {"发明": "invention", "发明专利": "invention", "实用新型": "utility_model",
                               "外观设计": "design"},
               "office": {"中国": "CN", "国内": "CN", "美国": "US", "欧洲": "EP", "日本": "JP", "韩国": "KR"}}
    patent_no: str = Field(min_length=1)
    title: str = Field(min_length=1)
    holder: str = Field(min_length=1)
    region_code: str = Field(pattern=REGION_CODE)
    patent_type: Literal["invention", "utility_model", "design"]
    office: str = Field(pattern=r"^[A-Z]{2}$")
    industry: str | None = None
    applied_on: Day | None = None
    granted_on: Day
    ended_on: Day | None = None

    @field_validator("office", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("granted_on")
    @classmethod
    def _granted_after_applied(cls, value: date, info: ValidationInfo) -> date:
        return _not_before(value, info, "applied_on", "授权日期早于申请日期 {earlier}")

    @field_validator("ended_on")
    @classmethod
    def _ended_after_granted(cls, value: date | None, info: ValidationInfo) -> date | None:
        return _not_before(value, info, "granted_on", "失效日期早于授权日期 {earlier}")


class PledgeRow(Row):
    free_text = frozenset({"enterprise", "ip_type", "lender"})
    contract_no: str = Field(min_length=1)
    enterprise: str = Field(min_length=1)
    region_code: str = Field(pattern=REGION_CODE)
    ip_type: str | None = None
    lender: str | None = None
    amount_wan: Amount = Field(gt=0, allow_inf_nan=False)
    registered_on: Day


class EnterpriseRow(Row):
    free_text = frozenset({"name", "industry"})
    credit_code: str = Field(pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$")
    name: str = Field(min_length=1)
    region_code: str = Field(pattern=REGION_CODE)
    industry: str | None = None
    high_tech: bool
    tech_sme: bool
    ip_standard_on: Day | None = None
    national_ip_on: Day | None = None
    provincial_strong_on: Day | None = None


class BrandRow(Row):
    """A brand article 五 names, with the dates of its application steps (blank until reached)."""

    free_text = frozenset({"name", "applicant", "note"})
    aliases = {"brand_type": {"集体商标": "collective", "集体": "collective", "地理标志": "gi",
                              "地理标志商标": "gi", "证明商标": "gi"}}

    name: str = Field(min_length=1)
    brand_type: Literal["collective", "gi"]
    applicant: str | None = None
    region_code: str = Field(pattern=REGION_CODE)
    filed_on: Day | None = None
    accepted_on: Day | None = None
    published_on: Day | None = None
    registered_on: Day | None = None
    rejected_on: Day | None = None
    reg_no: str | None = None
    note: str | None = None

    @field_validator("accepted_on")
    @classmethod
    def _accepted_after_filed(cls, value: date | None, info: ValidationInfo) -> date | None:
        return _not_before(value, info, "filed_on", "受理日期早于申报日期 {earlier}")

    @field_validator("published_on")
    @classmethod
    def _published_after_accepted(cls, value: date | None, info: ValidationInfo) -> date | None:
        return _not_before(value, info, "accepted_on", "初审公告日期早于受理日期 {earlier}")

    @field_validator("registered_on")
    @classmethod
    def _registered_after_published(cls, value: date | None, info: ValidationInfo) -> date | None:
        return _not_before(value, info, "published_on", "注册日期早于初审公告日期 {earlier}")

    @field_validator("rejected_on")
    @classmethod
    def _rejected_after_filed(cls, value: date | None, info: ValidationInfo) -> date | None:
        return _not_before(value, info, "filed_on", "驳回日期早于申报日期 {earlier}")


class ReportedRow(Row):
    indicator: str = Field(min_length=1)
    region_code: str = Field(pattern=REGION_CODE)
    month: Month
    value: Amount = Field(allow_inf_nan=False)


class ActionRow(Row):
    """督办事项: what the leadership group asked for on a goal behind schedule, until it is closed."""

    free_text = frozenset({"problem", "measure", "lead_unit", "co_units", "progress"})
    aliases = {"status": {"办理中": "open", "在办": "open", "未办结": "open", "督办中": "open",
                          "已办结": "closed", "办结": "closed", "已完成": "closed"}}
    code: str = Field(min_length=1, max_length=40)
    goal_id: str = Field(min_length=1)
    region_code: str = Field(pattern=REGION_CODE)
    problem: str = Field(min_length=1)
    measure: str = Field(min_length=1)
    lead_unit: str = Field(min_length=1)
    co_units: str | None = None
    due_on: Day
    raised_month: Month
    # A blank status is a new item, still open.
    status: Annotated[Literal["open", "closed"], BeforeValidator(lambda v: "open" if v is None else v)] = "open"
    closed_on: Day | None = None
    progress: str | None = None

    @field_validator("closed_on")
    @classmethod
    def _closed_has_date(cls, value: date | None, info: ValidationInfo) -> date | None:
        status = info.data.get("status")
        if status == "closed" and value is None:
            raise ValueError("已办结的事项须填写办结日期")
        if status == "open" and value is not None:
            raise ValueError("填写了办结日期，办理状态应为“已办结”")
        return value


@dataclass(frozen=True)
class Kind:
    name: str
    title: str                       # Chinese name of the kind
    model: type[Row]
    key: tuple[str, ...]
    labels: dict[str, str]           # column -> Chinese header, in file order
    region_column: str | None = "region_code"
    indicator_column: str | None = None  # a column naming a goal id of the definitions file

    @property
    def columns(self) -> list[str]:
        return list(self.labels)

    @property
    def required(self) -> list[str]:
        return [name for name, f in self.model.model_fields.items() if f.is_required()]


KINDS: dict[str, Kind] = {k.name: k for k in [
    Kind("regions", "行政区划", RegionRow, ("code",),
         {"code": "区划代码", "name": "名称", "level": "层级", "parent_code": "上级区划代码"},
         region_column=None),
    Kind("population", "人口", PopulationRow, ("region_code", "year"),
         {"region_code": "区划代码", "year": "年份", "resident": "常住人口", "registered": "户籍人口"}),
    Kind("enterprises", "企业", EnterpriseRow, ("credit_code",),
         {"credit_code": "统一社会信用代码", "name": "企业名称", "region_code": "区划代码", "industry": "行业",
          "high_tech": "高新技术企业", "tech_sme": "科技型中小企业", "ip_standard_on": "贯标认证日期",
          "national_ip_on": "国家优势示范企业认定日期", "provincial_strong_on": "省强企认定日期"}),
    Kind("trademarks", "商标", TrademarkRow, ("reg_no",),
         {"reg_no": "注册号", "mark_name": "商标名称", "holder": "注册人", "region_code": "区划代码",
          "mark_type": "商标类型", "is_gi": "地理标志", "industry": "行业", "registered_on": "注册日期",
          "ended_on": "终止日期", "well_known_on": "驰名商标认定日期"}),
    Kind("patents", "专利", PatentRow, ("patent_no",),
         {"patent_no": "专利号", "title": "名称", "holder": "专利权人", "region_code": "区划代码",
          "patent_type": "专利类型", "office": "授权机构", "industry": "行业", "applied_on": "申请日期",
          "granted_on": "授权日期", "ended_on": "失效日期"}),
    Kind("pledges", "知识产权质押融资", PledgeRow, ("contract_no",),
         {"contract_no": "合同编号", "enterprise": "出质企业", "region_code": "区划代码", "ip_type": "质押物类型",
          "lender": "质权人（银行）", "amount_wan": "融资金额（万元）", "registered_on": "登记日期"}),
    Kind("brands", "品牌培育", BrandRow, ("name",),
         {"name": "品牌名称", "brand_type": "类型", "applicant": "申请人", "region_code": "区划代码",
          "filed_on": "申报日期", "accepted_on": "受理日期", "published_on": "初审公告日期",
          "registered_on": "注册日期", "rejected_on": "驳回日期", "reg_no": "注册号", "note": "备注"}),
    Kind("reported", "上报数值", ReportedRow, ("indicator", "region_code", "month"),
         {"indicator": "指标", "region_code": "区划代码", "month": "月份", "value": "数值"},
         indicator_column="indicator"),
    Kind("actions", "督办事项", ActionRow, ("code",),
         {"code": "编号", "goal_id": "指标", "region_code": "区划代码", "problem": "存在问题",
          "measure": "工作措施", "lead_unit": "牵头单位", "co_units": "配合单位", "due_on": "完成时限",
          "raised_month": "提出月份", "status": "办理状态", "closed_on": "办结日期", "progress": "进展情况"},
         indicator_column="goal_id"),
]}

# The order in which kinds are loaded when several come together: regions before what refers to them.
LOAD_ORDER = list(KINDS)
