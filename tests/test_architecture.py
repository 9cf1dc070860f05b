"""Contracts of the layout (README 目录): the layers import one way, one door to the database, no
Streamlit in the library, short functions, and a README that names every module."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "ipmetrics"
# The flow, lowest first: a module may import its own layer and the layers below it, never above.
LAYERS = ["core", "io", "themes", "charts", "meeting", "export", "demo", "top"]
DATABASE_DRIVERS = ("sqlalchemy", "duckdb", "psycopg", "duckdb_engine")
MAX_FUNCTION_LINES = 80


def library_modules() -> dict[str, Path]:
    """ipmetrics.core.goals → its file, for every module of the library."""
    found = {}
    for path in sorted(LIBRARY.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = library_modules()


def imports_of(path: Path) -> list[str]:
    """Every module `path` imports, absolute (the library uses absolute imports only)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.relative_to(ROOT)}: relative import of {node.module}"
            names.append(node.module or "")
            names += [f"{node.module}.{alias.name}" for alias in node.names
                      if f"{node.module}.{alias.name}" in MODULES]
    return names


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else "top"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_layers_import_downwards_only(module):
    own = LAYERS.index(layer_of(module))
    upward = [name for name in imports_of(MODULES[module])
              if name.startswith("ipmetrics.") and name in MODULES and LAYERS.index(layer_of(name)) > own]
    assert not upward, f"{module} ({layer_of(module)}) imports a higher layer: {upward}"


def test_no_import_cycles():
    graph = {module: {name for name in imports_of(path) if name in MODULES and name != module}
             for module, path in MODULES.items()}
    # A package's __init__ is imported with any of its modules; it must not import them back.
    state: dict[str, int] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for name in graph[module]:
            if state.get(name) == 1:
                raise AssertionError("import cycle: " + " → ".join(trail[trail.index(name):] + [name])
                                     if name in trail else f"import cycle through {name}")
            if name not in state:
                visit(name, trail + [name])
        state[module] = 2

    for module in graph:
        if module not in state:
            visit(module, [module])


def test_the_library_never_imports_streamlit():
    users = [m for m, path in MODULES.items() if any(n == "streamlit" or n.startswith("streamlit.")
                                                     for n in imports_of(path))]
    assert not users


def test_only_the_store_talks_to_the_database_driver():
    users = [m for m, path in MODULES.items()
             if any(n.split(".")[0] in DATABASE_DRIVERS for n in imports_of(path))]
    assert users == ["ipmetrics.core.store"]


def test_no_function_in_the_library_is_over_eighty_lines():
    long = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{module}.{node.name}: {lines} lines")
    assert not long


def readme_layout() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## 目录")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def test_the_readme_layout_names_every_module():
    layout = readme_layout()
    listed = set(re.findall(r"`([\w/]+\.py)`", layout))
    files = [p.relative_to(ROOT).as_posix() for p in sorted(LIBRARY.rglob("*.py")) + sorted((ROOT / "pages").rglob("*.py"))
             if p.name not in ("__init__.py", "__main__.py")]
    missing = [f for f in files if f not in listed]
    assert not missing, f"README 目录 does not list: {missing}"
    gone = [f for f in listed if "/" in f and not (ROOT / f).is_file()]
    assert not gone, f"README 目录 lists files that do not exist: {gone}"
