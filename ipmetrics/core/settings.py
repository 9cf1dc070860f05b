"""Where the store is and which definitions are in force, from the environment or the CLI.

Each ambiguity of the policy text that changes a figure is a setting here, never a literal in a query:
the population divisor, whether 商标注册总量 counts marks in force or every registration, and the
month from which pledge financing is cumulated.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("IPMETRICS_HOME", Path(__file__).resolve().parents[2]))
SQL_DIR = PROJECT_ROOT / "sql"
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DB_PATH = DATA_DIR / "ipmetrics.duckdb"
DEFAULT_INDICATORS = DATA_DIR / "indicators.toml"
SAMPLE_DIR = DATA_DIR / "sample"
TEMPLATE_DIR = DATA_DIR / "templates"
# Where Streamlit reads secrets when the app is started from the project (run-app.sh): editor accounts,
# and the [auth] section of an OpenID Connect provider.
SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

# Each setting's allowed values with the wording shown next to the figures it changes.
CHOICES: dict[str, dict[str, str]] = {
    "population_basis": {
        "resident": "常住人口",
        "registered": "户籍人口",
    },
    "trademark_basis": {
        "valid": "有效注册商标量（在有效期内的注册商标）",
        "cumulative": "累计注册量（历年核准注册，含已失效）",
    },
}


class SettingsError(ValueError):
    """A setting has a value it cannot take; the message is in Chinese and names the setting."""


def default_db_url() -> str:
    return f"duckdb:///{DEFAULT_DB_PATH}"


# Data rows of one imported file: a longer one is refused before it costs minutes and gigabytes. The largest
# import the README measures is a 200,000-row trademark file (benchmarks/bench_import.py, under 30 s); a county's
# whole trademark register is tens of thousands of rows and a city's month of any kind far fewer, so a file
# beyond this is a province's register (its office raises the limit) or a bomb.
DEFAULT_MAX_IMPORT_ROWS = 200_000


@dataclass(frozen=True)
class Settings:
    db_url: str = field(default_factory=default_db_url)
    indicators_path: Path = DEFAULT_INDICATORS
    population_basis: str = "resident"
    trademark_basis: str = "valid"
    financing_since: str = "2021-01"  # the policy's first full year (罗政〔2021〕28号, issued 2021-12-15)
    series_start: str = "2019-01"
    max_import_mb: int = 50           # a larger file is refused with a message (split it)
    max_import_rows: int = DEFAULT_MAX_IMPORT_ROWS
    # Where viewers' sessions read, when the engine has read-only accounts (a PostgreSQL role with
    # SELECT only). Not for DuckDB: one process cannot open a file read-only and read-write at once.
    viewer_db_url: str | None = None

    def __post_init__(self) -> None:
        for name, allowed in CHOICES.items():
            value = getattr(self, name)
            if value not in allowed:
                raise SettingsError(f"设置 {name} 的值“{value}”无效，可选：{'、'.join(allowed)}")
        if not 1 <= int(self.max_import_mb) <= 1024:
            raise SettingsError(f"设置 max_import_mb 的值“{self.max_import_mb}”无效，应为 1 到 1024 之间的整数（MB）")
        if not 1 <= int(self.max_import_rows) <= 100_000_000:
            raise SettingsError(f"设置 max_import_rows 的值“{self.max_import_rows}”无效，应为 1 到 1 亿之间的整数（行）")
        for name in ("financing_since", "series_start"):
            if not _MONTH.match(getattr(self, name)):
                raise SettingsError(f"设置 {name} 的值“{getattr(self, name)}”无效，应为 YYYY-MM 格式的月份")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> "Settings":
        """Settings from IPMETRICS_* variables, then from explicit overrides (CLI options) where not None."""
        env = os.environ if environ is None else environ
        values: dict = {}
        mapping = {
            "db_url": "IPMETRICS_DB_URL",
            "indicators_path": "IPMETRICS_INDICATORS",
            "population_basis": "IPMETRICS_POPULATION_BASIS",
            "trademark_basis": "IPMETRICS_TRADEMARK_BASIS",
            "financing_since": "IPMETRICS_FINANCING_SINCE",
            "series_start": "IPMETRICS_SERIES_START",
            "max_import_mb": "IPMETRICS_MAX_IMPORT_MB",
            "max_import_rows": "IPMETRICS_MAX_IMPORT_ROWS",
            "viewer_db_url": "IPMETRICS_VIEWER_DB_URL",
        }
        for attr, var in mapping.items():
            if env.get(var):
                values[attr] = env[var]
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "indicators_path" in values:
            values["indicators_path"] = Path(values["indicators_path"])
        for name, unit in (("max_import_mb", "MB"), ("max_import_rows", "行")):
            if name in values:
                try:
                    values[name] = int(values[name])
                except ValueError:
                    raise SettingsError(f"设置 {name} 的值“{values[name]}”无效，应为整数（{unit}）") from None
        return cls(**values)

    def with_choices(self, **choices) -> "Settings":
        return replace(self, **{k: v for k, v in choices.items() if v is not None})

    def label(self, name: str) -> str:
        """The Chinese wording of a setting's current value."""
        return CHOICES[name][getattr(self, name)]
