"""企业培育: designated enterprises and the 贯标 coverage of the high-tech and tech SME list."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ipmetrics.core import periods
from ipmetrics.core.store import Store
from ipmetrics.themes.ledger import display, measure_records


@dataclass(frozen=True)
class EnterpriseView:
    eligible: int
    certified: int
    national: pd.DataFrame      # ledger rows, designated by the as-of month
    provincial: pd.DataFrame
    uncertified: pd.DataFrame   # the to-do list for the coverage goal


def enterprise_view(store: Store, region: str, as_of: pd.Period) -> EnterpriseView:
    firms = store.frame("ent_tech_firms", region=region)
    certified_on = pd.to_datetime(firms["ip_standard_on"])
    done = certified_on.notna() & (certified_on <= pd.Timestamp(periods.month_end(as_of)))
    todo = firms[~done].drop(columns=["ip_standard_on", "national_ip_on", "provincial_strong_on"])
    return EnterpriseView(
        eligible=int(len(firms)),
        certified=int(done.sum()),
        national=display(measure_records(store, "national_ip_enterprises", region, as_of), "enterprises"),
        provincial=display(measure_records(store, "provincial_ip_enterprises", region, as_of), "enterprises"),
        uncertified=display(todo, "enterprises"),
    )
