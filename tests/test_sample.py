"""The bundled sample: reproducible, at the scale of the brief, and telling the intended story."""

import filecmp

import pandas as pd
import pytest

from ipmetrics.core.progress import Status
from ipmetrics.core.scorecard import scorecard
from ipmetrics.core.settings import SAMPLE_DIR, Settings
from ipmetrics.demo.sample import TOWNSHIPS, cut, generate, write_sample
from tests.conftest import linear_method

BUNDLED_UNTIL = "2026-10"


def test_bundled_files_are_what_the_generator_writes(tmp_path):
    write_sample(tmp_path, BUNDLED_UNTIL)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(p.name for p in SAMPLE_DIR.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(SAMPLE_DIR, tmp_path, names, shallow=False)
    assert mismatch == [] and errors == []


def test_earlier_cut_keeps_the_same_history():
    records = generate()
    early, late = cut(records, pd.Period("2025-12", freq="M")), cut(records, pd.Period(BUNDLED_UNTIL, freq="M"))
    late_marks = late["trademarks"][late["trademarks"]["registered_on"] <= pd.Timestamp("2025-12-31").date()]
    assert list(early["trademarks"]["reg_no"]) == list(late_marks["reg_no"])
    # Dates after the cut are not known yet at the cut.
    assert early["trademarks"]["ended_on"].dropna().max() <= pd.Timestamp("2025-12-31").date()


def test_coverage_of_months_townships_and_industries():
    frames = cut(generate(), pd.Period(BUNDLED_UNTIL, freq="M"))
    months = set(pd.to_datetime(frames["trademarks"]["registered_on"]).dt.to_period("M").astype(str))
    assert {str(m) for m in pd.period_range("2019-01", BUNDLED_UNTIL, freq="M")} <= months
    townships = {"411521" + suffix for suffix, *_ in TOWNSHIPS}
    assert len(townships) == 20 and set(frames["trademarks"]["region_code"]) == townships
    industries = set(frames["patents"]["industry"])
    assert {"茶叶", "绿色食品", "禽产品", "电子信息", "环保装备", "新能源", "精密加工", "生物医药"} <= industries


@pytest.fixture(scope="module")
def story(sample_store, registry):
    settings = Settings(db_url=sample_store.url)
    return {m: {c.goal.id: c for c in scorecard(sample_store, registry, settings, None, m)}
            for m in ("2020-12", "2024-12", "2025-12")}


def test_scale_follows_the_brief(story):
    base = story["2020-12"]
    assert 2500 <= base["trademarks_registered"].progress.value <= 3500   # valid marks, end of 2020
    assert 0.3 <= base["invention_patents_per_10k"].progress.value <= 0.6  # 15–30 patents per 493,208
    assert base["well_known_marks"].progress.value == 0
    in_2024 = (story["2024-12"]["pledge_financing_amount"].progress.value
               - story["2025-12"]["pledge_financing_amount"].frame.loc[pd.Period("2023-12", freq="M"), "value"])
    assert in_2024 == 22400  # 2.24亿元 in 2024


def test_every_status_appears_at_2025_12(story, sample_store, registry):
    statuses = {goal_id: card.status for goal_id, card in story["2025-12"].items() if card.goal.target is not None}
    # Issue 16: GI marks and provincial firms are small count goals, judged by their events since the
    # baseline (2020-12, 60 months before): GI 0 → 2 at 1/30 a month, 2 + 60/30 = 4 by 2030-12, AP 4/3;
    # provincial 0 → 1 at 1/60, 1 + 60/60 = 2, AP 1.0: both 正常. Every status still appears.
    assert statuses == {
        "pledge_financing_count": Status.ACHIEVED, "pledge_financing_amount": Status.ACHIEVED,
        "national_ip_enterprises": Status.ACHIEVED,
        "trademarks_registered": Status.ON_TRACK, "ip_standard_coverage": Status.ON_TRACK,
        "invention_patents_per_10k": Status.AT_RISK, "gi_marks": Status.ON_TRACK,
        "well_known_marks": Status.OFF_TRACK, "provincial_ip_enterprises": Status.ON_TRACK,
    }
    assert story["2025-12"]["gi_marks"].progress.anticipated_progress == pytest.approx(4 / 3)
    assert story["2025-12"]["provincial_ip_enterprises"].progress.anticipated_progress == pytest.approx(1.0)
    # The story as it was designed on the line through the last 12 months (small_count_gap = 0).
    linear = {c.goal.id: c.status for c in scorecard(sample_store, linear_method(registry),
                                                     Settings(db_url=sample_store.url), None, "2025-12")}
    assert {goal_id: linear[goal_id] for goal_id in statuses} == {
        "pledge_financing_count": Status.ACHIEVED, "pledge_financing_amount": Status.ACHIEVED,
        "national_ip_enterprises": Status.ACHIEVED,
        "trademarks_registered": Status.ON_TRACK, "ip_standard_coverage": Status.ON_TRACK,
        "invention_patents_per_10k": Status.AT_RISK, "gi_marks": Status.AT_RISK,
        "well_known_marks": Status.OFF_TRACK, "provincial_ip_enterprises": Status.OFF_TRACK,
    }


def test_sample_store_is_marked(sample_store):
    assert sample_store.is_sample()
