"""Township names where a region code is expected: offices write 周党镇 (or 周党) in a 所属乡镇 column.

A name is compared after NFKC and without spaces, first as written, then without its suffix (乡, 镇, 街道,
办事处), so 周党 finds 周党镇. One region → its code; several → the row is refused with the candidates; none →
the unknown-code message with the nearest names.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Callable, Iterable

import pandas as pd

SUFFIXES = ("街道办事处", "办事处", "街道", "乡", "镇")
# A Chinese character: a name, not a mistyped code (also an RE2 class: io/columnar.py finds names in Arrow).
NAME_CHARACTER = "[\u3400-\u9fff]"
_NAME = re.compile(NAME_CHARACTER)


def name_key(name: str) -> str:
    """A name as compared: NFKC, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name)))


def base_name(name: str) -> str:
    """A name without its township suffix ("周党镇" → "周党"); a name that is only a suffix stays whole."""
    key = name_key(name)
    for suffix in SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


def is_code_like(cell: str) -> bool:
    """A cell left to the region-code rule (a code, full-width digits too, a blank, or a mistyped code such as
    "41152100X"): only a cell with Chinese characters is a name to look up."""
    return not _NAME.search(cell)


class RegionNames:
    """The region names an import may use: the store's (read when first needed) and the same import's."""

    def __init__(self, load: Callable[[], pd.DataFrame]):
        self._load = load
        self._regions: dict[str, str] | None = None   # code → name
        self._added: dict[str, str] = {}
        self._seen: dict[str, tuple[str | None, str | None]] = {}  # a file repeats a few names many times

    def add(self, codes: Iterable[str], names: Iterable[str]) -> None:
        self._added.update(zip(map(str, codes), map(str, names)))
        self._seen.clear()

    def _all(self) -> dict[str, str]:
        if self._regions is None:
            stored = self._load()
            self._regions = dict(zip(stored["code"].astype(str), stored["name"].astype(str)))
        return {**self._regions, **self._added}

    def lookup(self, cell: str) -> tuple[str | None, str | None]:
        """(code, None) for a name naming one region; (None, why in Chinese) otherwise."""
        if cell not in self._seen:
            self._seen[cell] = self._find(cell)
        return self._seen[cell]

    def _find(self, cell: str) -> tuple[str | None, str | None]:
        regions = self._all()
        key, base = name_key(cell), base_name(cell)
        found = [code for code, name in regions.items() if name_key(name) == key] or \
                [code for code, name in regions.items() if base_name(name) == base]
        if len(found) == 1:
            return found[0], None
        if found:
            candidates = "、".join(f"{regions[code]}（代码{code}）" for code in sorted(found))
            return None, f"“{cell}”对应多个区划：{candidates}，请改填区划代码"
        nearest = difflib.get_close_matches(key, sorted(set(regions.values())), n=3, cutoff=0.3)
        hint = f"；最接近的名称：{'、'.join(nearest)}" if nearest else ""
        return None, f"区划代码不存在，也没有名为“{cell}”的区划（请先导入行政区划，或改填区划代码）{hint}"
