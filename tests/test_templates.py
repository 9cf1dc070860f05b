"""Import templates: one per kind, Chinese header, explained columns, an example that imports."""

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from ipmetrics.core.settings import TEMPLATE_DIR
from ipmetrics.io.importer import import_file, validate_frame
from ipmetrics.io.readers import Source, read_table
from ipmetrics.io.schemas import KINDS
from ipmetrics.io.templates import ReportedIndicator, template_name, template_workbook

from .conftest import SMALL


def sheet_values(data: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(data))
    return {name: list(book[name].values) for name in book.sheetnames}


@pytest.mark.parametrize("kind_name", list(KINDS))
def test_template_has_header_explanation_and_example(kind_name):
    kind = KINDS[kind_name]
    sheets = sheet_values(template_workbook(kind_name))
    assert list(sheets) == ["数据", "说明", "示例"]
    assert list(sheets["数据"][0]) == [kind.labels[c] for c in kind.columns] and len(sheets["数据"]) == 1
    explained = pd.DataFrame(sheets["说明"][1:], columns=sheets["说明"][0])
    assert list(explained["英文列名"]) == kind.columns
    assert set(explained.loc[explained["必填"] == "是", "英文列名"]) == set(kind.required)
    assert explained["说明"].notna().all()
    assert list(sheets["示例"][0]) == list(sheets["数据"][0])


def test_allowed_values_are_listed():
    explained = pd.DataFrame(sheet_values(template_workbook("patents"))["说明"][1:],
                             columns=sheet_values(template_workbook("patents"))["说明"][0])
    allowed = dict(zip(explained["英文列名"], explained["允许的值"]))
    assert allowed["patent_type"] == "invention、utility_model、design"


@pytest.mark.parametrize("kind_name", list(KINDS))
def test_each_example_row_passes_validation(kind_name, registry):
    # The example sheet, saved as its own workbook, is a valid import file.
    sheets = sheet_values(template_workbook(kind_name, registry.industries, registry.ids()))
    frame = pd.DataFrame([["" if v is None else str(v) for v in sheets["示例"][1]]], columns=sheets["示例"][0])
    frame.index = [2]
    _, errors = validate_frame(KINDS[kind_name], frame, "示例", {"411521", "411521001"}, set(registry.ids()))
    assert errors == []


# The county's industries, which the committed templates name. The goal file will provide them (and the
# callers pass them on); until then this test passes them as the committed files were made with them.
COUNTY_INDUSTRIES = ["茶叶", "绿色食品", "禽产品", "电子信息", "环保装备", "新能源", "精密加工", "生物医药"]


def test_committed_templates_are_current(registry):
    # The committed templates are `ipmetrics templates` on the bundled goal file, which names these industries.
    assert registry.industries == COUNTY_INDUSTRIES
    for kind_name in KINDS:
        path = TEMPLATE_DIR / template_name(kind_name)
        made = template_workbook(kind_name, registry.industries, registry.ids(),
                                 [ReportedIndicator.of(goal) for goal in registry.goals])
        assert sheet_values(path.read_bytes()) == sheet_values(made), path


def test_a_filled_in_template_imports(empty_store):
    import_file(empty_store, "regions", SMALL / "regions.csv")
    book = load_workbook(io.BytesIO(template_workbook("pledges")))
    book["数据"].append(["ZY1", "罗山县某科技有限公司", "411521001", "专利权", "中原银行罗山支行", 300, "2025-03-15"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table(Source("质押.xlsx", buffer.getvalue()))
    assert table.format == "xlsx" and len(table.frame) == 1
    assert import_file(empty_store, "pledges", Source("质押.xlsx", buffer.getvalue())).rows_loaded == 1
