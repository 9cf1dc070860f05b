"""企业培育: designated enterprises and the 贯标 coverage of the high-tech and tech SME list.

A national or provincial designation counts from its date until it ends (a review not passed, a
revocation, not renewed); a national one has a level — 优势企业, or 示范企业 from its upgrade on — and counts
once whatever the level. Firms that applied and wait for their designation are the goal's pipeline (在途).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ipmetrics.core import periods
from ipmetrics.core.measures import load_candidates, pipeline_at
from ipmetrics.core.store import Store
from ipmetrics.io.schemas import KINDS
from ipmetrics.themes.ledger import REGION_NAME, display, measure_records

NATIONAL, PROVINCIAL = "national_ip_enterprises", "provincial_ip_enterprises"
LEVEL = "级别"
# Ledger columns a designation table leaves out: the other level's, and the end dates — a firm still counted
# has not lapsed by the month (the firms that have are listed apart, lapsed_table).
_LEFT_OUT = {NATIONAL: ["provincial_strong_on", "provincial_strong_until", "national_ip_until"],
             PROVINCIAL: ["national_demo_on", "national_ip_until", "provincial_strong_until"]}
# Per designation measure, its own dates: shown first, after the name and level.
_LEVEL_DATES = {NATIONAL: ["national_ip_on", "national_demo_on"], PROVINCIAL: ["provincial_strong_on"]}
SHORT_HEADERS = {"国家优势示范企业认定日期": "认定日期", "国家示范企业认定日期": "示范认定日期"}
_DATES = ["ip_standard_on", "national_ip_on", "provincial_strong_on", "national_demo_on"]


@dataclass(frozen=True)
class EnterpriseView:
    eligible: int
    certified: int
    national: pd.DataFrame      # ledger rows, designated by the as-of month and still valid, with their level
    provincial: pd.DataFrame
    uncertified: pd.DataFrame   # the to-do list for the coverage goal
    # Per designation measure: the firms that applied and are not designated by the month (在途), and those
    # whose designation ended by then (no longer counted).
    pipeline: dict[str, pd.DataFrame]
    lapsed: dict[str, pd.DataFrame]


def national_level(demo_on: pd.Series, as_of: pd.Period) -> pd.Series:
    """示范企业 where the upgrade (national_demo_on) came by the end of `as_of`, else 优势企业."""
    upgraded = pd.to_datetime(demo_on) <= pd.Timestamp(periods.month_end(as_of))
    return upgraded.map({True: "示范企业", False: "优势企业"})


def designated(store: Store, measure: str, region: str, as_of: pd.Period) -> pd.DataFrame:
    """The firms a designation measure counts at the end of `as_of`, as shown: dates after the month blanked
    (not known then), the other level's columns and the end dates left out, a national firm's level beside
    its name."""
    records = measure_records(store, measure, region, as_of).drop(columns=_LEFT_OUT[measure])
    end = pd.Timestamp(periods.month_end(as_of))
    for column in _DATES:
        if column in records:
            dates = pd.to_datetime(records[column])
            records[column] = dates.where(dates <= end)
    shown = display(records, "enterprises")
    if measure == NATIONAL:
        shown.insert(0, LEVEL, national_level(records["national_demo_on"], as_of))
    # The name, level and this level's dates first, under short headers (the section names the level): what
    # a half-width column shows without scrolling.
    labels = [KINDS["enterprises"].labels[column] for column in _LEVEL_DATES[measure]]
    first = ["企业名称", LEVEL, *(SHORT_HEADERS.get(label, label) for label in labels)]
    shown = shown.rename(columns=SHORT_HEADERS)
    return shown[[c for c in first if c in shown] + [c for c in shown if c not in first]]


def pipeline_table(candidates: pd.DataFrame) -> pd.DataFrame:
    """The firms in a designation pipeline (RegionData.pipeline rows): name and application date."""
    return pd.DataFrame({"企业名称": candidates["candidate"].astype(str),
                         "申报日期": pd.to_datetime(candidates["entered_on"]).dt.strftime("%Y-%m-%d")}
                        ).reset_index(drop=True)


def lapsed_table(store: Store, measure: str, region: str, as_of: pd.Period) -> pd.DataFrame:
    """The firms whose designation ended by the end of `as_of`: name, designated, ended, township."""
    frame = store.frame("lapsed_enterprises", measure=measure, region=region, as_of=periods.month_end(as_of))
    return pd.DataFrame({
        "企业名称": frame["name"].astype(str),
        "认定日期": pd.to_datetime(frame["start_on"]).dt.strftime("%Y-%m-%d"),
        "失效日期": pd.to_datetime(frame["end_on"]).dt.strftime("%Y-%m-%d"),
        REGION_NAME: frame["region_name"].fillna(frame["region_code"]).astype(str),
    }).reset_index(drop=True)


def enterprise_view(store: Store, region: str, as_of: pd.Period) -> EnterpriseView:
    firms = store.frame("ent_tech_firms", region=region)
    certified_on = pd.to_datetime(firms["ip_standard_on"])
    done = certified_on.notna() & (certified_on <= pd.Timestamp(periods.month_end(as_of)))
    todo = firms[~done].drop(columns=["ip_standard_on", "national_ip_on", "provincial_strong_on"])
    candidates = load_candidates(store, region)  # the pipeline alone, not the region's whole data
    return EnterpriseView(
        eligible=int(len(firms)),
        certified=int(done.sum()),
        national=designated(store, NATIONAL, region, as_of),
        provincial=designated(store, PROVINCIAL, region, as_of),
        uncertified=display(todo, "enterprises"),
        pipeline={m: pipeline_table(pipeline_at(candidates, m, as_of)) for m in (NATIONAL, PROVINCIAL)},
        lapsed={m: lapsed_table(store, m, region, as_of) for m in (NATIONAL, PROVINCIAL)},
    )
