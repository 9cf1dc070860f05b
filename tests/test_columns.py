"""Each import column declared once: the field's title is its header, description and examples explain it,
its annotated type says how it is read and kept; what is special about a kind is declared on the Kind."""

from datetime import datetime

import pandas as pd
import pytest
from pydantic import Field

from ipmetrics.io import edits
from ipmetrics.io.importer import inferred_through, validate_frame
from ipmetrics.io.schemas import KINDS, Day, Kind, Month, MonthEnd, RegionCode, Row
from ipmetrics.io.templates import explanation
from ipmetrics.meeting import actions
from ipmetrics.themes import brands

# The headers as they were written out by hand before the columns were declared once (issue 13).
LABELS_BEFORE = {
    "regions": {"code": "区划代码", "name": "名称", "level": "层级", "parent_code": "上级区划代码"},
    "population": {"region_code": "区划代码", "year": "年份", "resident": "常住人口", "registered": "户籍人口"},
    "enterprises": {"credit_code": "统一社会信用代码", "name": "企业名称", "region_code": "区划代码", "industry": "行业",
                    "high_tech": "高新技术企业", "tech_sme": "科技型中小企业", "ip_standard_on": "贯标认证日期",
                    "national_ip_on": "国家优势示范企业认定日期", "provincial_strong_on": "省强企认定日期"},
    "trademarks": {"reg_no": "注册号", "mark_name": "商标名称", "holder": "注册人", "region_code": "区划代码",
                   "mark_type": "商标类型", "is_gi": "地理标志", "industry": "行业", "registered_on": "注册日期",
                   "ended_on": "终止日期", "well_known_on": "驰名商标认定日期"},
    "patents": {"patent_no": "专利号", "title": "名称", "holder": "专利权人", "region_code": "区划代码",
                "patent_type": "专利类型", "office": "授权机构", "industry": "行业", "applied_on": "申请日期",
                "granted_on": "授权日期", "ended_on": "失效日期"},
    "pledges": {"contract_no": "合同编号", "enterprise": "出质企业", "region_code": "区划代码", "ip_type": "质押物类型",
                "lender": "质权人（银行）", "amount_wan": "融资金额（万元）", "registered_on": "登记日期"},
    "brands": {"name": "品牌名称", "brand_type": "类型", "applicant": "申请人", "region_code": "区划代码",
               "filed_on": "申报日期", "accepted_on": "受理日期", "published_on": "初审公告日期",
               "registered_on": "注册日期", "rejected_on": "驳回日期", "reg_no": "注册号", "note": "备注"},
    "reported": {"indicator": "指标", "region_code": "区划代码", "month": "月份", "value": "数值"},
    "actions": {"code": "编号", "goal_id": "指标", "region_code": "区划代码", "problem": "存在问题",
                "measure": "工作措施", "lead_unit": "牵头单位", "co_units": "配合单位", "due_on": "完成时限",
                "raised_month": "提出月份", "status": "办理状态", "closed_on": "办结日期", "progress": "进展情况"},
}
COUNTY_INDUSTRIES = ["茶叶", "绿色食品", "禽产品", "电子信息", "环保装备", "新能源", "精密加工", "生物医药"]
# Columns issue 14 added: a reported figure's period (a month, quarter or year), and high-value patents.
LABELS_NOW = {**LABELS_BEFORE,
              "reported": {"indicator": "指标", "region_code": "区划代码", "period": "期间", "month": "月份",
                           "value": "数值"},
              "patents": {**LABELS_BEFORE["patents"], "high_value": "高价值专利"},
              # Issue 15: the policy's tasks and the progress reported on them.
              "tasks": {"code": "任务编号", "article": "政策条款", "task": "任务内容", "lead_unit": "牵头单位",
                        "co_units": "配合单位", "due_on": "完成时限", "ongoing": "长期任务", "indicator_ids": "关联指标"},
              "task_reports": {"task_code": "任务编号", "period": "汇报期间", "status": "进展状态", "progress": "进展情况",
                               "reporting_unit": "报送单位", "reported_on": "报送日期"},
              # Issue 15: the targets the county assigns to its townships.
              "targets": {"indicator": "指标", "region_code": "地区代码", "target": "目标值", "target_date": "目标日期",
                          "note": "备注"},
              # … and a 督办事项 on a task.
              "actions": {**LABELS_BEFORE["actions"], "task_code": "任务编号"},
              # Issue 16: a national designation's upgrade, each designation's end, and applications.
              "enterprises": {**LABELS_BEFORE["enterprises"], "national_demo_on": "国家示范企业认定日期",
                              "national_ip_until": "国家优势示范企业失效日期", "provincial_strong_until": "省强企失效日期",
                              "national_ip_applied_on": "国家优势示范企业申报日期",
                              "provincial_strong_applied_on": "省强企申报日期"}}


def test_labels_are_the_headers_of_before_in_file_order():
    assert {name: kind.labels for name, kind in KINDS.items()} == LABELS_NOW
    for name, kind in KINDS.items():
        assert list(kind.labels.items()) == list(LABELS_NOW[name].items()), name
        assert kind.columns == list(LABELS_NOW[name])
        # Every header of before is still read, in the same order.
        assert [c for c in kind.columns if c in LABELS_BEFORE.get(name, {})] == list(LABELS_BEFORE.get(name, {})), name


@pytest.mark.parametrize("kind_name", list(KINDS))
def test_every_column_has_a_title_and_a_description(kind_name):
    for column, field in KINDS[kind_name].model.model_fields.items():
        assert field.title, (kind_name, column)
        assert field.description, (kind_name, column)
        assert all(isinstance(example, str) for example in field.examples or []), (kind_name, column)


def test_a_kind_refuses_a_column_without_title_or_a_column_it_does_not_have():
    class Untitled(Row):
        code: str

    with pytest.raises(TypeError, match="without a Chinese title"):
        Kind("x", "某类", Untitled, ("code",), region_column=None)

    class Titled(Row):
        code: str = Field(title="编号", description="编号")

    with pytest.raises(TypeError, match="no such columns"):
        Kind("x", "某类", Titled, ("code",), event_columns=("happened_on",))


def test_shared_columns_are_declared_once_and_overridden_where_they_differ():
    notes = {name: explanation(kind).set_index("英文列名") for name, kind in KINDS.items()}
    shared = "持有人所在乡镇（街道）的统计区划代码：县 6 位，乡镇 9 位"
    assert {notes[k].loc["region_code", "说明"] for k in KINDS
            if k not in ("regions", "actions", "targets") and "region_code" in KINDS[k].columns} == {shared}
    # A township target names the township it is assigned to, not a holder's (issue 15).
    assert notes["targets"].loc["region_code", "说明"] == "下达目标的乡镇（街道）的区划代码（9 位）；县本级的目标写在目标文件中"
    assert notes["actions"].loc["region_code", ["示例", "说明"]].tolist() == ["411521", "责任区划：县 6 位，乡镇 9 位"]
    assert notes["regions"].loc["code", "说明"] == "统计用区划代码"
    # The shared type keeps its rule where a kind overrides its words.
    assert KINDS["actions"].model.model_fields["region_code"].metadata[0].pattern == \
        KINDS["population"].model.model_fields["region_code"].metadata[0].pattern


def test_calendar_columns_are_known_by_their_type():
    days = {name: kind.columns_kept_as("day") for name, kind in KINDS.items()}
    assert days["trademarks"] == ["registered_on", "ended_on", "well_known_on"]
    assert days["actions"] == ["due_on", "closed_on"]
    assert days["regions"] == days["population"] == days["reported"] == []
    assert KINDS["reported"].columns_kept_as("month_end") == ["month"]
    assert KINDS["actions"].columns_kept_as("month") == ["raised_month"]
    formats = explanation(KINDS["actions"]).set_index("英文列名")["格式"]
    assert formats["due_on"] == "日期：2025-03-01、2025/3/1 或 2025年3月1日"
    assert formats["raised_month"] == "月份：2025-03 或 2025年3月"


def test_event_columns_are_those_the_import_vouches_for():
    assert {name: kind.event_columns for name, kind in KINDS.items() if kind.event_columns} == {
        "trademarks": ("registered_on", "ended_on", "well_known_on"), "patents": ("granted_on", "ended_on"),
        "pledges": ("registered_on",), "reported": ("month",)}


def test_the_industry_column_names_the_industries_it_is_given():
    generic = explanation(KINDS["trademarks"]).set_index("英文列名").loc["industry"]
    assert (generic["示例"], generic["说明"]) == ("", "所属行业")
    county = explanation(KINDS["trademarks"], COUNTY_INDUSTRIES).set_index("英文列名").loc["industry"]
    assert (county["示例"], county["说明"]) == (
        "茶叶", "所属行业，如 茶叶、绿色食品、禽产品、电子信息、环保装备、新能源、精密加工、生物医药")
    other = explanation(KINDS["patents"], ["纺织服装", "建材"]).set_index("英文列名")
    assert other.loc["industry", "说明"] == "所属行业，如 纺织服装、建材"
    assert other.loc["title", "说明"] == "专利名称"  # only the industry column names them


# A kind made up here, with none of the county's names: what is special comes from its declaration.
class UnitRow(Row):
    code: RegionCode = Field(title="单位代码", description="单位代码")
    parent: str | None = Field(default=None, title="上级单位", description="上级单位代码")
    founded_on: Day = Field(title="成立日期", description="成立日期")
    reported_for: MonthEnd = Field(title="所属月份", description="所属月份")
    raised: Month = Field(title="提出月份", description="提出月份")


UNITS = Kind("units", "单位", UnitRow, ("code",), region_column=None, parent_column="parent",
             event_columns=("founded_on",))


def unit_frame(rows: list[list[str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=UNITS.columns, dtype=object)
    frame.index = range(2, 2 + len(frame))
    return frame


def test_a_parent_column_is_checked_against_the_store_and_the_file_itself():
    frame = unit_frame([["411521", "", "2020-01-01", "2025-03", "2025-03"],
                        ["411521001", "411521", "2021/2/3", "2025年4月", "2025/4"],
                        ["411521002", "411600", "2022-05-06", "2025-05", "2025-05"],
                        ["411521003", "411599", "2022-05-06", "2025-05", "2025-05"]])
    typed, errors = validate_frame(UNITS, frame, "单位.csv", known_regions={"411600"})
    assert [str(e) for e in errors] == [
        "单位.csv 第5行，字段“上级单位”（parent），值“411599”：上级区划代码既不在文件中，也不在数据库中"]
    assert list(typed["code"]) == ["411521", "411521001", "411521002"]


def test_calendar_columns_are_kept_as_their_type_says():
    frame = unit_frame([["411521", "", "2021/2/3", "2025年2月", "2025/4"]])
    typed, errors = validate_frame(UNITS, frame, "单位.csv", known_regions=set())
    assert errors == []
    assert typed.loc[0, "founded_on"] == pd.Timestamp("2021-02-03")
    assert typed.loc[0, "reported_for"] == pd.Timestamp("2025-02-28")  # a month stands as its last day
    assert typed.loc[0, "raised"] == "2025-04"                          # a month kept as text
    assert inferred_through(UNITS, typed, datetime(2026, 1, 15)) == "2021-02"


def test_editor_dates_default_to_the_kinds_day_columns():
    # The lists the brand and action pages pass agree with the declarations, so they could be dropped.
    assert list(brands.DATE_COLUMNS) == KINDS["brands"].columns_kept_as("day")
    assert list(actions.DATE_COLUMNS) == KINDS["actions"].columns_kept_as("day")
    records = pd.DataFrame([{"code": "DB-1", "goal_id": "gi_marks", "region_code": "411521", "problem": "p",
                             "measure": "m", "lead_unit": "u", "co_units": None, "due_on": "2026-06-30",
                             "raised_month": "2025-12", "status": "open", "closed_on": None, "progress": None}])
    table = edits.editor_frame(records, KINDS["actions"])
    assert table["完成时限"].dtype == "datetime64[s]" and table["办结日期"].dtype == "datetime64[s]"
    assert table["提出月份"].tolist() == ["2025-12"]
    assert table.equals(edits.editor_frame(records, KINDS["actions"], actions.DATE_COLUMNS, {}))
