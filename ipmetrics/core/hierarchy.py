"""The region tree (province → city → county → township) as the pickers and the peer pages walk it.

Built once from catalog.regions(store); pure lookups after that, no Streamlit. `cascade` lays out the
sidebar's picker: one choice per level, each listing only the children of the choice above, so a
picker over thousands of regions never lists more than one region's children at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

LEVELS = ("province", "city", "county", "township")
LEVEL_ZH = {"province": "省", "city": "市", "county": "县（区）", "township": "乡镇（街道）"}
# What "the whole of" a region is called: by the last character of its name when that names its kind
# (全市, 全县, 全区, 全旗 …), else by its level.
_WHOLE_BY_SUFFIX = "省市县区旗州盟镇乡"
_WHOLE_BY_LEVEL = {"province": "全省", "city": "全市", "county": "全县", "township": "全乡镇"}


@dataclass(frozen=True)
class Box:
    """One selectbox of the cascading picker: the children of `parent` (and `parent` itself, meaning
    its whole area), or the top regions when `parent` is None."""

    level: str                 # the level of the regions it lists
    parent: str | None
    options: tuple[str, ...]   # region codes; the parent's own code first when there is a parent
    chosen: str

    @property
    def key(self) -> str:
        return f"region_{self.level}"


@dataclass(frozen=True)
class Hierarchy:
    names: dict[str, str]
    levels: dict[str, str]
    parents: dict[str, str | None]
    children: dict[str, tuple[str, ...]] = field(repr=False)
    roots: tuple[str, ...]
    _repeated: frozenset = field(repr=False)
    _by_name: dict[str, str] = field(repr=False)   # unique names only

    @classmethod
    def from_frame(cls, regions: pd.DataFrame) -> "Hierarchy":
        """From catalog.regions (code, name, level, parent_code; parents before children, by code)."""
        codes = regions["code"].astype(str).tolist()
        names = dict(zip(codes, regions["name"].astype(str)))
        levels = dict(zip(codes, regions["level"].astype(str)))
        parents: dict[str, str | None] = {}
        children: dict[str, list[str]] = {code: [] for code in codes}
        for code, parent in zip(codes, regions["parent_code"]):
            parent = None if pd.isna(parent) or str(parent) not in names else str(parent)
            parents[code] = parent
            if parent is not None:
                children[parent].append(code)
        counts = pd.Series(list(names.values())).value_counts()
        repeated = frozenset(counts[counts > 1].index)
        return cls(names=names, levels=levels, parents=parents,
                   children={code: tuple(sorted(kids)) for code, kids in children.items()},
                   roots=tuple(sorted(code for code in codes if parents[code] is None)),
                   _repeated=repeated,
                   _by_name={name: code for code, name in names.items() if name not in repeated})

    def __contains__(self, code) -> bool:
        return code in self.names

    def __len__(self) -> int:
        return len(self.names)

    def label(self, code: str) -> str:
        """The name as pickers, titles and file names show it; a repeated name gets its code."""
        name = self.names.get(code, code)
        return f"{name}（{code}）" if name in self._repeated else name

    def resolve(self, text: str | None) -> str | None:
        """A region from a link: its code, its name when no other region has it, or a label."""
        if text is None:
            return None
        text = str(text).strip()
        if text in self.names:
            return text
        if text in self._by_name:
            return self._by_name[text]
        if text.endswith("）") and "（" in text:  # 城关镇（411521100）, as label() writes it
            code = text[text.rindex("（") + 1:-1]
            if code in self.names and self.label(code) == text:
                return code
        return None

    def is_ambiguous(self, text: str | None) -> bool:
        return text is not None and str(text).strip() in self._repeated

    def ancestors(self, code: str) -> list[str]:
        """The path from the top down to `code`, both included."""
        path = [code]
        while (parent := self.parents.get(path[-1])) is not None:
            path.append(parent)
        return path[::-1]

    def of_level(self, level: str, under: str | None = None) -> list[str]:
        """The regions of `level` (under `under`, when given), by code."""
        codes = [c for c, lv in self.levels.items() if lv == level]
        if under is not None:
            codes = [c for c in codes if under in self.ancestors(c)]
        return sorted(codes)

    def whole_label(self, code: str) -> str:
        """（全县）, （全市）…: the choice meaning the whole of `code` in the box of its children."""
        name = self.names.get(code, "")
        if name and name[-1] in _WHOLE_BY_SUFFIX:
            return f"（全{name[-1]}）"
        return f"（{_WHOLE_BY_LEVEL.get(self.levels.get(code, ''), '全部')}）"

    def cascade(self, region: str) -> list[Box]:
        """The picker's boxes for `region`: a box for the top regions when there are several, then,
        while the choice so far has children, a box of those children (its own code first)."""
        path = self.ancestors(region) if region in self else []
        boxes: list[Box] = []
        if len(self.roots) > 1:
            chosen = path[0] if path else self.roots[0]
            boxes.append(Box(self._level_of(self.roots), None, self.roots, chosen))
        elif self.roots:
            chosen = self.roots[0]
        else:
            return boxes
        depth = 1  # path[depth] is the next choice below `chosen`
        while self.children.get(chosen):
            kids = self.children[chosen]
            below = path[depth] if depth < len(path) and path[depth - 1] == chosen else chosen
            boxes.append(Box(self._level_of(kids), chosen, (chosen, *kids), below))
            if below == chosen:
                break
            chosen, depth = below, depth + 1
        return boxes

    def single_choice(self) -> bool:
        """True when the picker can only ever show one box (one county and its townships)."""
        if len(self.roots) > 1:
            return all(not self.children[r] for r in self.roots)
        return all(not self.children[kid] for root in self.roots for kid in self.children[root])

    def _level_of(self, codes) -> str:
        levels = {self.levels[c] for c in codes}
        return levels.pop() if len(levels) == 1 else "region"
