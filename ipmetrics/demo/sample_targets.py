"""The bundled county's township targets (乡镇目标) for the 2026 assessment, from the sample's own records.

Counts are the county's goal shared out by each township's part of it at the end of 2025 (trademarks in force,
pledges since the financing start), so the townships' targets add up to about the county's; ratios are near
the county's, higher in the urban 街道 and lower in the 乡. Some targets are left out, as a county would: no
pledge target where a township has had no pledge, no 贯标 target where it has no eligible firm, and none at
all for the last township (高店乡), which the assessment then lists with its values only.
"""

from __future__ import annotations

from datetime import date

ASSESSMENT_DAY = date(2026, 12, 31)
STANDING_DAY = date(2025, 12, 31)   # the shares are taken from the records as they stood then
FINANCING_SINCE = date(2021, 1, 1)
COUNTY_TRADEMARKS, COUNTY_PLEDGES = 5000, 10
# Per kind of township (街道 00x, 镇 1xx, 乡 2xx): invention patents per 10,000 residents, 贯标 coverage (%).
PATENT_RATIO = {"0": 1.2, "1": 1.0, "2": 0.8}
COVERAGE = {"0": 90, "1": 80, "2": 70}
NOTE = "2026年度乡镇知识产权工作考核目标"


def _in_force(record: dict, start: str, end: str | None) -> bool:
    return record[start] <= STANDING_DAY and (end is None or record[end] is None or record[end] > STANDING_DAY)


def _shares(records: list[dict], keep) -> dict[str, float]:
    counts: dict[str, int] = {}
    for record in records:
        if keep(record):
            counts[record["region_code"]] = counts.get(record["region_code"], 0) + 1
    total = sum(counts.values()) or 1
    return {code: count / total for code, count in counts.items()}


def targets(township_codes: list[str], trademarks: list[dict], pledges: list[dict],
            no_eligible_firms: set[str], left_out: str) -> list[dict]:
    """One row per township and assessed indicator it is given a target on (import kind `targets`)."""
    marks = _shares(trademarks, lambda r: _in_force(r, "registered_on", "ended_on"))
    deals = _shares(pledges, lambda r: FINANCING_SINCE <= r["registered_on"] <= STANDING_DAY)
    rows = []
    for code in township_codes:
        if code == left_out:
            continue
        kind = code[-3]
        found = {"trademarks_registered": round(COUNTY_TRADEMARKS * marks.get(code, 0.0)),
                 "invention_patents_per_10k": PATENT_RATIO[kind]}
        if code in deals:
            found["pledge_financing_count"] = max(1, round(COUNTY_PLEDGES * deals[code]))
        if code not in no_eligible_firms:
            found["ip_standard_coverage"] = COVERAGE[kind]
        rows += [{"indicator": indicator, "region_code": code, "target": target, "target_date": ASSESSMENT_DAY,
                  "note": NOTE} for indicator, target in found.items()]
    return rows
