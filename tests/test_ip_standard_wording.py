"""贯标 as the policy words it (issue 16): "基本实现“贯标”全覆盖", judged by a threshold the goal file sets.

Article 六 of 罗政〔2021〕28号: 到2030年高新技术企业、科技型企业等基本实现“贯标”全覆盖. The goal file keeps the
words (target_wording) beside the threshold Luoshan judges them by (target = 95, %).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ipmetrics.core.goals import load_registry
from ipmetrics.core.labels import STATUS_LABEL
from ipmetrics.core.progress import Status, assess
from ipmetrics.core.settings import DEFAULT_INDICATORS, Settings


@pytest.fixture(scope="module")
def coverage(registry):
    return registry.goal("ip_standard_coverage")


def status_at(goal, value: float) -> Status:
    # Coverage 50 % at the baseline (2020-12), then `value` in 2025-12: the status of 2025-12.
    months = pd.period_range("2020-12", "2025-12", freq="M")
    series = pd.Series([50.0] * (len(months) - 1) + [value], index=months)
    progress = assess(series, months[-1], goal.target, goal.comparator, goal.baseline_period, goal.target_period)
    return progress.status


def test_the_goal_keeps_the_policys_words_and_the_threshold(coverage):
    assert coverage.target == 95 and coverage.comparator == ">="
    assert coverage.target_wording == "基本实现“贯标”全覆盖"
    # target_text() is what cards, the detail page and the briefing show: the words and the threshold.
    assert coverage.target_text() == "基本实现“贯标”全覆盖（≥ 95 %）"
    assert coverage.target_phrase() == "2030年基本实现“贯标”全覆盖（按 ≥ 95 % 判定）"
    assert coverage.threshold_note() == ("政策表述为“基本实现‘贯标’全覆盖”，本系统按“贯标”覆盖率 ≥ 95 % 判定；"
                                         "可在目标文件中调整")


def test_the_definition_says_which_threshold_stands_for_the_words(coverage):
    # The definition in force (detail page, exports) carries the note, once.
    text = coverage.definition_in_force(Settings())
    assert text.endswith("本系统按“贯标”覆盖率 ≥ 95 % 判定；可在目标文件中调整")
    assert text.count("政策表述为") == 1


def test_95_percent_is_reached_and_94_is_not(coverage):
    # ≥ 95: 95.0 meets it (已达成); 94 does not — and from 50 towards 95 it is not counted as reached.
    assert STATUS_LABEL[status_at(coverage, 95.0)] == "已达成"
    assert status_at(coverage, 94.0) is not Status.ACHIEVED
    assert status_at(coverage, 94.99) is not Status.ACHIEVED


def test_a_townships_assigned_target_does_not_borrow_the_countys_words(coverage):
    # The scorecard copies the goal with a township's assigned target (80 %): that target is the township's,
    # not the policy's "全覆盖".
    assigned = coverage.model_copy(update={"target": 80})
    assert assigned.target_text() == "≥ 80 %" and assigned.threshold_note() is None
    assert assigned.target_phrase() == "2030年达到80%"


def test_goals_without_words_read_as_before(registry):
    assert registry.goal("trademarks_registered").target_text() == "≥ 5,000 件"
    assert registry.goal("trademarks_registered").threshold_note() is None


def test_words_without_a_threshold_make_a_monitoring_indicator(tmp_path: Path):
    # Removing `target` stops judging the goal (tests/test_city_pages.py does so for every tagged goal): the words
    # stay in the file but no target text claims them.
    text = DEFAULT_INDICATORS.read_text(encoding="utf-8").replace("target = 95\n", "", 1)
    path = tmp_path / "indicators.toml"
    path.write_text(text, encoding="utf-8")
    goal = load_registry(path).goal("ip_standard_coverage")
    assert goal.monitoring and goal.target_text() == "监测指标" and goal.threshold_note() is None
    assert goal.target_phrase() == "监测指标，不设目标值"
