"""The sample's reported figures (上报数值) for the policy's other measurable items: the protection work of
articles 十一–十三 by quarter, and the yearly counts of PCT and Madrid filings, plant varieties, service
agencies, demonstration zones, leading-group meetings, training and the 4·26 week (示例数据, not real figures).

Magnitudes are those of a county of about 490,000 people: a handful of enforcement cases and a few dozen 12315
IP complaints a quarter, one or two international filings a year. Two figures are not reported, so the pages
show 未上报: the credit records of 2026-Q3 and the plant varieties of 2025.
"""

from __future__ import annotations

import random

import pandas as pd

from ipmetrics.core import periods

SEED = 202128 + 15
COUNTY = "411521"
FIRST_QUARTER, LAST_QUARTER = pd.Period("2021Q1", freq="Q"), pd.Period("2030Q4", freq="Q")
# The aid station (article 十三's second centre) opened in 2022; it reports from then on.
AID_STATION_FROM = pd.Period("2022Q1", freq="Q")

# Yearly figures, 2021 onwards: flows of the year (filings, grants, meetings, attendance, events) or
# year-end stocks (service agencies, demonstration zones).
YEARLY = {
    "pct_applications": [0, 1, 1, 2, 1],
    "madrid_registrations": [0, 0, 1, 1, 2],
    "plant_variety_rights": [0, 1, 0, 1, None],  # 2025 not reported by the agriculture office
    "ip_service_agencies": [3, 4, 4, 6, 7],
    "ip_demonstration_zones": [0, 1, 1, 2, 3],
    "leading_group_meetings": [2, 3, 2, 3, 3],
    "ip_training_attendance": [360, 450, 520, 610, 700],
    "publicity_week_events": [6, 9, 11, 12, 14],
}
FIRST_YEAR = 2021
# Periods an office has not reported (yet): 未上报 on the pages.
NOT_REPORTED = {("credit_record_entries", "2026-Q3")}


def _quarters() -> list[pd.Period]:
    return list(pd.period_range(FIRST_QUARTER, LAST_QUARTER, freq="Q"))


def _seasonal(quarter: pd.Period) -> float:
    """Enforcement campaigns (铁拳) run in the second and third quarters."""
    return 1.3 if quarter.quarter in (2, 3) else 0.85


def _quarterly_protection(rng: random.Random) -> dict[str, dict[pd.Period, float]]:
    """Each protection indicator's figure per quarter: cases closed follow cases opened with a lag, 12315
    complaints are nearly all closed, the aid station's work grows as it becomes known."""
    figures: dict[str, dict[pd.Period, float]] = {}
    opened_before = 3
    for step, quarter in enumerate(_quarters()):
        growth = 1 + 0.04 * step
        opened = max(1, round(rng.uniform(3, 6) * growth * _seasonal(quarter)))
        closed = max(0, round(0.55 * opened + 0.4 * opened_before + rng.uniform(-1, 1)))
        received = round(rng.uniform(16, 26) * growth)
        row = {
            "enforcement_cases_opened": opened,
            "enforcement_cases_closed": closed,
            "enforcement_fines": round(opened * rng.uniform(0.8, 1.9), 1),
            "cases_transferred_police": int(rng.random() < 0.25 + 0.01 * step),
            "complaints_12315_received": received,
            "complaints_12315_closed": received - rng.choice([0, 0, 1, 1, 2]),
            "credit_record_entries": rng.choice([0, 1, 1, 2, 3]),
            "patent_transfers_licences": round(rng.uniform(1, 4) * growth),
        }
        if quarter >= AID_STATION_FROM:
            row["aid_station_consultations"] = round(rng.uniform(18, 30) * growth)
            row["disputes_mediated"] = rng.choice([1, 2, 2, 3, 4])
        for indicator, value in row.items():
            figures.setdefault(indicator, {})[quarter] = value
        opened_before = opened
    return figures


def reported() -> list[dict]:
    """The reported figures to the horizon as rows of the `reported` import kind (the cut drops the periods
    that have not ended yet)."""
    rows = []
    for indicator, by_quarter in _quarterly_protection(random.Random(SEED)).items():
        for quarter, value in by_quarter.items():
            rows.append(_row(indicator, periods.period_text(quarter), value))
    for indicator, values in YEARLY.items():
        for offset, value in enumerate(values):
            if value is not None:
                rows.append(_row(indicator, str(FIRST_YEAR + offset), value))
    return [row for row in rows if (row["indicator"], row["period"]) not in NOT_REPORTED]


def _row(indicator: str, period: str, value: float) -> dict:
    return {"indicator": indicator, "region_code": COUNTY, "period": period, "month": None,
            "value": float(value)}
