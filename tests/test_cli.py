"""The `ipmetrics` command, as someone checking figures from outside would use it."""

import json
import subprocess
import sys
from pathlib import Path

from ipmetrics.cli import run
from ipmetrics.io.schemas import KINDS

from .conftest import ON_POSTGRESQL, SMALL

KEYS = {"id", "value", "target", "completion", "expected", "projection", "status"}


def call(capsys, *args) -> tuple[int, str, str]:
    try:
        code = run(list(args))
    except SystemExit as exit_:  # argparse usage errors
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def test_status_json_on_the_sample(sample_store, registry, capsys):
    code, out, _ = call(capsys, "--db", sample_store.url, "status", "--as-of", "2025-12", "--format", "json")
    assert code == 0
    records = json.loads(out)
    # Every indicator of the goal file; the nine goals of article 二 are those with a target.
    assert len(records) == len(registry.goals) and all(KEYS <= set(r) for r in records)
    assert len([r for r in records if r["target"] is not None]) == 9
    by_id = {r["id"]: r for r in records}
    assert by_id["pledge_financing_amount"]["status"] == "achieved"
    assert by_id["trademarks_registered"]["target"] == 5000
    assert by_id["trademarks_registered"]["as_of"] == "2025-12"


def test_status_table_speaks_chinese(sample_store, capsys):
    code, out, _ = call(capsys, "--db", sample_store.url, "status", "--as-of", "2025-12")
    assert code == 0
    assert "罗山县（411521）截至 2025年12月底" in out and "［示例数据］" in out
    assert "商标注册总量" in out and "已达成" in out and "完成率" in out


def test_status_of_a_township_and_unknown_region(sample_store, capsys):
    code, out, _ = call(capsys, "--db", sample_store.url, "status", "--as-of", "2025-12", "--region",
                        "411521207", "--format", "json")
    assert code == 0 and {r["status"] for r in json.loads(out)} >= {"no_target", "no_data"}
    code, _, err = call(capsys, "--db", sample_store.url, "status", "--region", "123456")
    assert code == 2 and "区划代码 123456 不在数据库中" in err


def test_import_exit_codes(tmp_path, db_url, capsys):
    url = db_url("cli")
    assert call(capsys, "--db", url, "import", "regions", str(SMALL / "regions.csv"))[0] == 0
    code, out, _ = call(capsys, "--db", url, "import", "trademarks", str(SMALL / "trademarks.csv"))
    assert code == 0 and "读取 5 行，写入 5 行，拒绝 0 行" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,level,parent_code\n411521002,宝城街道,village,411521\n", encoding="utf-8")
    code, _, err = call(capsys, "--db", url, "import", "regions", str(bad))
    assert code == 1 and "bad.csv 第2行，字段“层级”（level），值“village”" in err and "未作任何改动" in err
    assert call(capsys, "--db", url, "import", "regions", str(tmp_path / "missing.csv"))[0] == 2
    assert call(capsys, "--db", url, "import", "brandz", str(bad))[0] == 2
    code, out, _ = call(capsys, "--db", url, "import", "patents", str(SMALL / "patents.csv"), "--dry-run")
    assert code == 0 and "校验通过（未写入）" in out


def test_sample_then_load_sample_if_empty(tmp_path, db_url, capsys):
    url = db_url("sample")
    out_dir = tmp_path / "sample"
    code, out, _ = call(capsys, "--db", url, "sample", "--out", str(out_dir), "--until", "2021-03")
    assert code == 0 and (out_dir / "trademarks.csv").is_file()
    assert call(capsys, "--db", url, "load-sample", "--dir", str(out_dir))[0] == 0
    code, out, _ = call(capsys, "--db", url, "load-sample", "--dir", str(out_dir), "--if-empty")
    assert code == 0 and "已有数据" in out
    code, out, _ = call(capsys, "--db", url, "status", "--format", "json")
    assert json.loads(out)[0]["as_of"] == "2021-03"  # the newest month of the data


def test_check_goals(tmp_path, capsys):
    assert call(capsys, "check-goals")[0] == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "x"\n', encoding="utf-8")
    code, _, err = call(capsys, "check-goals", str(bad))
    assert code == 1 and "bad.toml" in err and "必填项缺失" in err


def test_console_script_is_installed(sample_store, registry):
    script = Path(sys.executable).parent / "ipmetrics"
    result = subprocess.run([str(script), "--db", sample_store.url, "status", "--as-of", "2025-12",
                             "--format", "json"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert len(records) == len(registry.goals)
    assert len([r for r in records if r["target"] is not None]) == 9


def test_import_with_error_file_and_formats(tmp_path, db_url, capsys):
    from openpyxl import load_workbook

    url = db_url("cli3")
    assert call(capsys, "--db", url, "import", "regions", str(SMALL / "regions.csv"))[0] == 0
    gbk = tmp_path / "商标.csv"
    gbk.write_bytes("注册号,商标名称,注册人,区划代码,商标类型,地理标志,注册日期\n"
                    "A1,灵山,某公司,411521001,普通商标,否,2021年3月1日\n"
                    "A2,宝城,某公司,411521001,普通商标,否,2021年2月30日\n".encode("gbk"))
    errors = tmp_path / "errors.xlsx"
    code, out, err = call(capsys, "--db", url, "import", "trademarks", str(gbk), "--errors", str(errors))
    assert code == 1 and "编码 GBK/GB18030" in out and "商标.csv 第3行，字段“注册日期”" in err
    assert load_workbook(errors).sheetnames == ["问题清单", "被拒绝的行-商标"]
    code, out, _ = call(capsys, "--db", url, "import", "trademarks", str(gbk), "--accept-valid",
                        "--user", "张三")
    assert code == 0 and "写入 1 行，拒绝 1 行" in out
    code, out, _ = call(capsys, "--db", url, "log")
    assert code == 0 and "张三" in out and "商标.csv" in out
    unreadable = tmp_path / "x.pdf"
    unreadable.write_bytes(b"%PDF")
    code, _, err = call(capsys, "--db", url, "import", "trademarks", str(unreadable))
    assert code == 1 and "不支持的文件类型" in err


def test_templates_backup_and_restore(tmp_path, db_url, capsys):
    url = db_url("cli4")
    code, out, _ = call(capsys, "--db", url, "templates", "--out", str(tmp_path / "t"))
    assert code == 0 and len(list((tmp_path / "t").glob("*.xlsx"))) == len(KINDS)
    assert call(capsys, "--db", url, "import", "regions", str(SMALL / "regions.csv"))[0] == 0
    if ON_POSTGRESQL:  # backup and restore copy DuckDB files; PostgreSQL has its own tools
        code, _, err = call(capsys, "--db", url, "backup", str(tmp_path / "b"))
        assert code == 1 and "只支持 DuckDB 数据库文件" in err and not (tmp_path / "b").exists()
        return
    code, out, _ = call(capsys, "--db", url, "backup", str(tmp_path / "b"))
    assert code == 0 and "已备份" in out
    assert call(capsys, "--db", url, "import", "population", str(SMALL / "population.csv"))[0] == 0
    code, out, _ = call(capsys, "--db", url, "restore", str(tmp_path / "b"))
    assert code == 0 and "恢复前的数据库保留为" in out
    code, out, _ = call(capsys, "--db", url, "log")
    assert "population" not in out and "regions" in out
    code, _, err = call(capsys, "--db", url, "backup", str(tmp_path / "b"))
    assert code == 1 and "已存在且不为空" in err
