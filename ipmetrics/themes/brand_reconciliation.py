"""The 品牌培育 list reconciled with the trademark rows, by registration number (issue 16).

Only trademark rows count towards the GI goal, so a brand the list marks 已注册 counts only once a trademark
row with its registration number arrives, and only if that row is marked GI. This finds where the two
disagree: each finding names the brand, the number, what disagrees and what to do (改品牌记录 or
导入商标数据), at one of three levels — 错误 (the brand is not counted as the list implies, or the records
contradict each other), 警告 (names, holders or dates differ; the count is not affected) and 提示 (a GI
trademark row no brand names).

The reconciliation compares the records as stored, not as at a month: a date in the future of the chosen
month is still a date on the record.
"""

from __future__ import annotations

import unicodedata

import pandas as pd

from ipmetrics.core.store import Store

ERROR, WARNING, INFO = "错误", "警告", "提示"
LEVELS = (ERROR, WARNING, INFO)
FIX_BRAND = "改品牌记录"
FIX_TRADEMARKS = "导入商标数据"
MARK_TYPE_LABEL = {"ordinary": "普通商标", "collective": "集体商标", "certification": "证明商标"}

# rule codes (for a caller that counts findings), in the order a brand's findings are listed
RULES = ("no_reg_no", "reg_no_missing", "duplicate_reg_no", "not_gi", "type_differs", "gi_as_collective",
         "ended", "name_differs", "holder_differs", "date_differs", "region_differs", "gi_unlisted")
COLUMNS = ["rule", "level", "brand", "reg_no", "problem", "action"]
TABLE_HEADERS = {"level": "级别", "brand": "品牌", "reg_no": "注册号", "problem": "不一致之处", "action": "处理办法"}


def normalised(text) -> str:
    """A name as compared: full-width letters and digits as ASCII (NFKC), no spaces of any width, case folded;
    blank for a missing value."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or str(value).strip() == ""


def _day(value) -> str:
    return "" if _blank(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


def _not_counted(goal: str | None) -> str:
    return f"（未计入{goal}目标）" if goal else ""


def _finding(rule: str, level: str, brand: str, reg_no, problem: str, action: str) -> dict:
    return {"rule": rule, "level": level, "brand": brand, "reg_no": "" if _blank(reg_no) else str(reg_no),
            "problem": problem, "action": action}


def _unmatched_findings(brand, same_named: dict[str, str], goal: str | None) -> list[dict]:
    """A brand marked registered whose number is blank or names no trademark row."""
    gi = brand.brand_type == "gi"
    if _blank(brand.reg_no):
        hint = same_named.get(normalised(brand.name))
        action = f"{FIX_BRAND}：填写注册号" + (f"（商标数据中同名地理标志商标的注册号为 {hint}）" if hint else "")
        return [_finding("no_reg_no", ERROR, brand.name, "", "已注册但未填注册号" + (_not_counted(goal) if gi else ""),
                         action)]
    return [_finding("reg_no_missing", ERROR, brand.name, brand.reg_no,
                     "注册号在商标数据中找不到" + (_not_counted(goal) if gi else ""),
                     f"{FIX_TRADEMARKS}：补入注册号 {brand.reg_no} 的商标记录；若注册号填错，{FIX_BRAND}")]


def _type_findings(brand, goal: str | None) -> list[dict]:
    """The brand's type against the trademark row's mark type and GI flag."""
    mark_type = MARK_TYPE_LABEL.get(brand.tm_mark_type, str(brand.tm_mark_type))
    if brand.brand_type == "gi" and not bool(brand.tm_is_gi):
        return [_finding("not_gi", ERROR, brand.name, brand.reg_no,
                         f"品牌为地理标志商标，商标数据中该注册号为{mark_type}、未标为地理标志{_not_counted(goal)}",
                         f"{FIX_TRADEMARKS}：核实后将该商标的“地理标志”改为“是”；若品牌实为集体商标，{FIX_BRAND}（类型）")]
    if brand.brand_type == "collective" and bool(brand.tm_is_gi):
        counted = f"（计入{goal}目标）" if goal else ""
        return [_finding("gi_as_collective", WARNING, brand.name, brand.reg_no,
                         f"品牌类型为集体商标，商标数据中为地理标志{mark_type}{counted}",
                         f"{FIX_BRAND}：类型改为地理标志商标")]
    if brand.brand_type == "collective" and brand.tm_mark_type != "collective":
        return [_finding("type_differs", ERROR, brand.name, brand.reg_no,
                         f"品牌类型为集体商标，商标数据中为{mark_type}",
                         f"核实后{FIX_BRAND}（类型）或{FIX_TRADEMARKS}（商标类型）")]
    return []


def _record_findings(brand, goal: str | None) -> list[dict]:
    """Where a matched brand and its trademark row tell different stories: lapse, name, holder, date, region."""
    found = []
    if not _blank(brand.tm_ended_on):
        lapse = f"此后不计入{goal}目标" if goal and bool(brand.tm_is_gi) else "此后不再有效"
        found.append(_finding("ended", WARNING, brand.name, brand.reg_no,
                              f"商标数据记有失效日期 {_day(brand.tm_ended_on)}，{lapse}",
                              f"核实续展：已续展则{FIX_TRADEMARKS}（清除失效日期），未续展则{FIX_BRAND}（备注）"))
    if normalised(brand.name) != normalised(brand.tm_mark_name):
        found.append(_finding("name_differs", WARNING, brand.name, brand.reg_no,
                              f"品牌名称与商标数据中的商标名称“{brand.tm_mark_name}”不同",
                              f"核实后{FIX_BRAND}（名称）或{FIX_TRADEMARKS}"))
    if not _blank(brand.applicant) and normalised(brand.applicant) != normalised(brand.tm_holder):
        found.append(_finding("holder_differs", WARNING, brand.name, brand.reg_no,
                              f"申请人“{brand.applicant}”与商标数据中的注册人“{brand.tm_holder}”不同",
                              f"核实后{FIX_BRAND}（申请人）或{FIX_TRADEMARKS}"))
    if _blank(brand.registered_on):
        found.append(_finding("date_differs", WARNING, brand.name, brand.reg_no,
                              f"商标数据显示已于 {_day(brand.tm_registered_on)} 注册，品牌记录未填注册日期",
                              f"{FIX_BRAND}：填写注册日期"))
    elif _day(brand.registered_on) != _day(brand.tm_registered_on):
        found.append(_finding("date_differs", WARNING, brand.name, brand.reg_no,
                              f"注册日期不一致：品牌记录 {_day(brand.registered_on)}，商标数据 {_day(brand.tm_registered_on)}",
                              f"核实后{FIX_BRAND}（注册日期）或{FIX_TRADEMARKS}"))
    if brand.region_code != brand.tm_region_code:
        found.append(_finding("region_differs", INFO, brand.name, brand.reg_no,
                              f"所在地区不一致：品牌记录为{brand.region_name or brand.region_code}，"
                              f"商标数据为{brand.tm_region_name or brand.tm_region_code}（商标按商标数据的地区计数）",
                              f"核实后{FIX_BRAND}（所在地区）或{FIX_TRADEMARKS}"))
    return found


def _unlisted_findings(gi_marks: pd.DataFrame, names_of: dict[str, str]) -> list[dict]:
    """GI trademark rows no brand names by number; a same-named brand in the list is pointed out."""
    found = []
    for mark in gi_marks[gi_marks["named_by"].isna()].itertuples(index=False):
        ended = "" if _blank(mark.ended_on) else f"（已于 {_day(mark.ended_on)} 失效）"
        twin = names_of.get(normalised(mark.mark_name))
        if twin:
            problem = f"地理标志商标未列入品牌培育名单：名单中的同名品牌“{twin}”未填此注册号{ended}"
            action = f"{FIX_BRAND}：品牌“{twin}”的注册号填 {mark.reg_no}"
        else:
            problem = f"地理标志商标未列入品牌培育名单{ended}"
            action = f"如属培育品牌，{FIX_BRAND}：在“数据导入”页导入品牌培育数据将其列入"
        found.append(_finding("gi_unlisted", INFO, str(mark.mark_name), mark.reg_no, problem, action))
    return found


def reconcile(brands: pd.DataFrame, gi_marks: pd.DataFrame, gi_goal: str | None = None) -> pd.DataFrame:
    """The findings of the reconciliation, one row per disagreement (columns COLUMNS), errors first, then
    warnings, then information; within a level in the order of `brands`, then the unlisted GI marks.

    `brands`: the rows of query brand_reconciliation (a brand beside the trademark row its number names);
    `gi_marks`: the rows of brand_reconciliation_gi_marks; `gi_goal`: the GI goal's label, named in the
    findings that keep a brand from counting towards it (None: the goal file has no GI goal)."""
    same_named = {normalised(mark.mark_name): str(mark.reg_no) for mark in gi_marks.itertuples(index=False)}
    numbers = brands.loc[~brands["reg_no"].map(_blank), ["name", "reg_no"]]
    found = []
    for brand in brands.itertuples(index=False):
        sharing = numbers.loc[(numbers["reg_no"] == brand.reg_no) & (numbers["name"] != brand.name), "name"]
        if len(sharing):
            found.append(_finding("duplicate_reg_no", ERROR, brand.name, brand.reg_no,
                                  f"注册号与品牌“{'、'.join(sharing)}”相同", f"{FIX_BRAND}：核实各品牌的注册号"))
        if _blank(brand.tm_reg_no):
            if not _blank(brand.registered_on):  # before registration the number has no trademark row yet
                found.extend(_unmatched_findings(brand, same_named, gi_goal))
            continue
        found.extend(_type_findings(brand, gi_goal) + _record_findings(brand, gi_goal))
    names_of = {normalised(name): str(name) for name in brands["name"]}
    found.extend(_unlisted_findings(gi_marks, names_of))
    frame = pd.DataFrame(found, columns=COLUMNS)
    order = frame["level"].map(LEVELS.index)
    return frame.iloc[order.argsort(kind="stable")].reset_index(drop=True)


def reconciliation(store: Store, region: str, gi_goal: str | None = None) -> pd.DataFrame:
    """The reconciliation of `region`'s brands (and the GI trademark rows recorded under it) as stored."""
    with store.reading() as reading:
        brands = reading.frame("brand_reconciliation", region=region)
        gi_marks = reading.frame("brand_reconciliation_gi_marks", region=region)
    return reconcile(brands, gi_marks, gi_goal)


def reconciliation_table(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings in Chinese, for the page and its download."""
    return findings[list(TABLE_HEADERS)].rename(columns=TABLE_HEADERS)


def level_counts(findings: pd.DataFrame) -> dict[str, int]:
    """How many findings of each level, every level named (错误, 警告, 提示)."""
    return {level: int((findings["level"] == level).sum()) for level in LEVELS}


__all__ = ["COLUMNS", "ERROR", "INFO", "LEVELS", "RULES", "WARNING", "level_counts", "normalised", "reconcile",
           "reconciliation", "reconciliation_table"]
