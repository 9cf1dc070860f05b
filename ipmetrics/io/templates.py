"""Import templates: one xlsx per kind, with a Chinese header row to fill in, a sheet explaining each
column (required or not, format, allowed values, example) and an example row."""

from __future__ import annotations

import io
import types
import typing
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from ipmetrics.io.schemas import KINDS, REGION_CODE, Kind
from ipmetrics.io.workbooks import add_sheet

# column → (example, what it means); shared columns first, then per kind where they differ.
_SHARED = {
    "region_code": ("411521001", "持有人所在乡镇（街道）的统计区划代码：县 6 位，乡镇 9 位"),
    "industry": ("茶叶", "所属行业，如 茶叶、绿色食品、禽产品、电子信息、环保装备、新能源、精密加工、生物医药"),
}
_NOTES: dict[str, dict[str, tuple[str, str]]] = {
    "regions": {"code": ("411521001", "统计用区划代码"), "name": ("丽水街道", "名称"),
                "level": ("township", "层级：province 省、city 市、county 县、township 乡镇街道（可写中文）"),
                "parent_code": ("411521", "上级区划代码；最上一级留空")},
    "population": {"year": ("2024", "年份（年末数）"), "resident": ("479500", "年末常住人口"),
                   "registered": ("761800", "年末户籍人口")},
    "enterprises": {"credit_code": ("91411521MA9XXXXX1A", "18 位统一社会信用代码"),
                    "name": ("罗山县灵山茶业有限公司", "企业名称"),
                    "high_tech": ("是", "是否高新技术企业"), "tech_sme": ("否", "是否科技型中小企业"),
                    "ip_standard_on": ("2023-06-30", "通过 GB/T 29490 认证的日期；未认证留空"),
                    "national_ip_on": ("", "获国家知识产权优势/示范企业认定的日期；无则留空"),
                    "provincial_strong_on": ("", "获河南省知识产权强企认定的日期；无则留空")},
    "trademarks": {"reg_no": ("61894002", "商标注册号"), "mark_name": ("铁铺豆腐", "商标名称"),
                   "holder": ("罗山县铁铺镇豆腐产业协会", "注册人"),
                   "mark_type": ("certification", "ordinary 普通、collective 集体、certification 证明（可写中文）"),
                   "is_gi": ("是", "是否地理标志（集体或证明）商标"),
                   "registered_on": ("2024-09-20", "核准注册日期"),
                   "ended_on": ("", "注销、无效、期满未续展等终止日期；有效期内留空"),
                   "well_known_on": ("", "认定为驰名商标的日期；无则留空")},
    "patents": {"patent_no": ("ZL202310123456.7", "专利号（国外授权写该国的专利号）"),
                "title": ("一种茶叶杀青装置", "专利名称"), "holder": ("罗山县灵山茶业有限公司", "专利权人"),
                "patent_type": ("invention", "invention 发明、utility_model 实用新型、design 外观设计（可写中文）"),
                "office": ("CN", "授权机构：CN 国内；国外授权写 US、EP、JP、KR 等"),
                "applied_on": ("2023-02-10", "申请日"), "granted_on": ("2025-04-18", "授权公告日"),
                "ended_on": ("", "终止（未缴年费、无效、期满）日期；有效留空")},
    "pledges": {"contract_no": ("ZY2025001", "质押登记或合同编号"), "enterprise": ("罗山县某科技有限公司", "出质企业"),
                "ip_type": ("专利权", "质押物：专利权、商标权等"), "lender": ("中原银行罗山支行", "质权人（放款银行）"),
                "amount_wan": ("500", "融资金额（万元）"), "registered_on": ("2025-03-15", "质押登记日期")},
    "brands": {"name": ("罗山渔稻米", "第（五）条点名培育的品牌"),
               "brand_type": ("gi", "collective 集体商标、gi 地理标志商标（可写中文）"),
               "applicant": ("罗山县稻渔综合种养协会", "申请人"), "filed_on": ("2026-04-22", "向商标局申报的日期"),
               "accepted_on": ("", "受理日期"), "published_on": ("", "初审公告日期"), "registered_on": ("", "核准注册日期"),
               "rejected_on": ("", "驳回日期"), "reg_no": ("", "注册后的商标注册号"), "note": ("", "备注")},
    "reported": {"indicator": ("invention_patents_per_10k", "目标 id（见 data/indicators.toml）"),
                 "month": ("2025-12", "月份"), "value": ("0.68", "上报的数值，优先于由明细计算的值")},
    "actions": {"code": ("DB-2025-12-01", "督办事项编号；同一编号再次导入即更新该事项"),
                "goal_id": ("gi_marks", "目标 id（见 data/indicators.toml）"),
                "region_code": ("411521", "责任区划：县 6 位，乡镇 9 位"),
                "problem": ("地理标志商标仅1件，距目标差2件", "存在问题"),
                "measure": ("指导罗山渔稻米协会补正材料后重新申报", "工作措施"),
                "lead_unit": ("县市场监督管理局", "牵头单位"), "co_units": ("县农业农村局、各乡镇", "配合单位，可写多个"),
                "due_on": ("2026-06-30", "完成时限"), "raised_month": ("2025-12", "提出督办的会议月份"),
                "status": ("办理中", "办理中（open）或 已办结（closed）"),
                "closed_on": ("", "办结日期；已办结时必填"), "progress": ("", "最新进展")},
}


def _format(kind: Kind, column: str) -> tuple[str, str]:
    """(format, allowed values) of a column, read from its schema."""
    field = kind.model.model_fields[column]
    base = field.annotation
    if typing.get_origin(base) in (typing.Union, types.UnionType):  # Optional[...]
        base = next(a for a in typing.get_args(base) if a is not type(None))
    if typing.get_origin(base) is typing.Annotated:  # Whole, Amount, Day, Month
        base = typing.get_args(base)[0]
    if typing.get_origin(base) is typing.Literal:
        return "文本（限定取值）", "、".join(typing.get_args(base))
    if column.endswith("_on"):
        return "日期：2025-03-01、2025/3/1 或 2025年3月1日", ""
    if column in ("month", "raised_month"):
        return "月份：2025-03 或 2025年3月", ""
    if base is bool:
        return "是/否（或 true/false）", "是、否"
    if base is int:
        return "整数", ""
    if base is float:
        return "数值（可带小数）", ""
    if any(getattr(m, "pattern", None) == REGION_CODE for m in field.metadata):
        return "区划代码（数字）", ""
    return "文本", ""


def explanation(kind: Kind) -> pd.DataFrame:
    rows = []
    notes = {**_SHARED, **_NOTES.get(kind.name, {})}
    for column in kind.columns:
        fmt, allowed = _format(kind, column)
        example, meaning = notes.get(column, ("", ""))
        rows.append({"列名": kind.labels[column], "英文列名": column,
                     "必填": "是" if column in kind.required else "否", "格式": fmt, "允许的值": allowed,
                     "示例": example, "说明": meaning})
    return pd.DataFrame(rows)


def template_workbook(kind_name: str) -> bytes:
    kind = KINDS[kind_name]
    notes = explanation(kind)
    workbook = Workbook()
    workbook.remove(workbook.active)
    add_sheet(workbook, "数据", pd.DataFrame(columns=[kind.labels[c] for c in kind.columns]))
    add_sheet(workbook, "说明", notes, wrap=True)
    add_sheet(workbook, "示例", pd.DataFrame([list(notes["示例"])], columns=list(notes["列名"])))
    workbook.properties.title = f"ipmetrics 导入模板：{kind.title}（{kind.name}）"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_name(kind_name: str) -> str:
    return f"{kind_name}_{KINDS[kind_name].title}_导入模板.xlsx"


def write_templates(directory: Path | str) -> list[Path]:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind_name in KINDS:
        path = directory / template_name(kind_name)
        path.write_bytes(template_workbook(kind_name))
        paths.append(path)
    return paths
