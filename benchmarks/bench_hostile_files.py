"""Hostile files through `ipmetrics import`, each in a fresh process: wall time and peak memory (issue 18).

Builds in a temporary directory, with zipfile and plain writes only (no openpyxl):
- a bomb xlsx: one sheet whose XML expands to about 1.3 GB of one repeated row, no dimension declared;
- a 1,048,576-row xlsx, streamed, declaring its dimension (as Excel writes it);
- the same rows with the dimension left out (only the scan of the real rows can stop it);
- a 1,000,000-row CSV of short rows (about 47 MiB, under the 50 MB upload limit, so only the row limit stops it).
Each is imported as trademarks into a new DuckDB store; the target is a refusal within seconds and a peak
under 1 GiB (resource.getrusage(RUSAGE_CHILDREN).ru_maxrss of that child alone: one child per measurement).

    .venv/bin/python benchmarks/bench_hostile_files.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROWS = 1_048_576
HEADER = ["reg_no", "mark_name", "holder", "region_code", "mark_type", "is_gi", "industry", "registered_on"]
PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
    'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet'
    '+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" '
    'sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}
SHEET_START = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def values(number: int) -> list[str]:
    return [f"B{number:07d}", f"商标{number}", "罗山县某公司", "411521001", "ordinary", "false", "茶叶", "2024-05-01"]


def row_xml(number: int, cells: list[str]) -> bytes:
    return (f'<row r="{number}">' + "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(cells))
        + "</row>").encode()


def write_xlsx(path: Path, rows, dimension: str | None) -> None:
    """An xlsx whose sheet XML is streamed into the zip from `rows` (an iterable of row XML)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_START + (f'<dimension ref="A1:{dimension}"/>'.encode() if dimension else b""))
            sheet.write(b"<sheetData>")
            for row in rows:
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")


def build(directory: Path) -> dict[str, Path]:
    files = {}
    bomb_row = row_xml(2, values(2))
    files["炸弹（展开约 1.3 GB）"] = directory / "bomb.xlsx"
    write_xlsx(files["炸弹（展开约 1.3 GB）"], (bomb_row for _ in range(1_300_000_000 // len(bomb_row))), None)

    def all_rows():
        yield row_xml(1, HEADER)
        for number in range(2, ROWS + 1):
            yield row_xml(number, values(number))
    files["1,048,576 行 xlsx（声明维度）"] = directory / "rows_declared.xlsx"
    write_xlsx(files["1,048,576 行 xlsx（声明维度）"], all_rows(), f"H{ROWS}")
    files["1,048,576 行 xlsx（不声明维度）"] = directory / "rows_undeclared.xlsx"
    write_xlsx(files["1,048,576 行 xlsx（不声明维度）"], all_rows(), None)
    files["1,000,000 行 CSV"] = directory / "rows.csv"
    with open(files["1,000,000 行 CSV"], "w", encoding="utf-8") as csv:
        csv.write(",".join(HEADER) + "\n")
        for number in range(2, 1_000_002):  # 1,000,000 data rows of 49 bytes
            csv.write(f"{1_000_000 + number},m,h,411521001,ordinary,false,,2024-05-01\n")
    return files


def measure(path: Path, store: Path) -> tuple[float, float, int, str]:
    """Wall seconds, peak GiB, exit code and the last line of stderr of one `ipmetrics import` run. Each run
    is a child of a fresh `python -c` wrapper so RUSAGE_CHILDREN covers that import alone."""
    wrapper = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
               "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
               "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode); "
               "print((p.stderr.strip().splitlines() or [''])[-1])")
    command = [sys.executable, "-m", "ipmetrics.cli", "--db", f"duckdb:///{store}", "import", "trademarks", str(path)]
    out = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True,
                         env=os.environ).stdout.splitlines()
    seconds, kib, code = out[0].split()
    return float(seconds), int(kib) / 1024 / 1024, int(code), out[1] if len(out) > 1 else ""


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="hostile-") as temp:
        directory = Path(temp)
        started = time.perf_counter()
        files = build(directory)
        print(f"已生成测试文件（{time.perf_counter() - started:.0f} 秒）：" + "，".join(
            f"{label} {path.stat().st_size / 1048576:.1f} MB" for label, path in files.items()))
        print("| 文件 | 大小 | 用时 | 内存峰值 | 退出码 | 提示 |\n|---|---|---|---|---|---|")
        for number, (label, path) in enumerate(files.items()):
            seconds, gib, code, said = measure(path, directory / f"store{number}.duckdb")
            print(f"| {label} | {path.stat().st_size / 1048576:.1f} MB | {seconds:.1f} 秒 | {gib:.2f} GiB | {code} | {said} |",
                  flush=True)


if __name__ == "__main__":
    main()
