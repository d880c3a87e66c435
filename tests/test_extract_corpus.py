"""The extractor on the corpus of real reports (../shared/reports) against the gold incidents of
tests/gold: the figures bench/score_extract.py prints must not fall below what was reached."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

from .conftest import SHARED

ROOT = Path(__file__).resolve().parents[1]
REPORTS = SHARED / "reports"

# Reached on the corpus (bench/score_extract.py); raise them when the extractor improves.
# Floors just below what the branch reaches (88.7 / 85.1 / 86.0; lowest style no-casualties
# 75.0) once countries seen only through demonyms or as parties no longer steer the gazetteer.
# Merge recall 60: one pair was merged by chance (035's only incident, the 17 at al-Musayfra,
# joined 036's 46 wrongly placed at Busra al-Sham); 035's 25 of the day before is now read
# and joins 036 instead. 59.1 of 22 pairs: 047's Thursday attack now matches its gold and
# counts as a pair with 048 (13 pairs merged, not 12).
# Issue 11's 4th round (90.6 / 87.1 / 90.9, recall with a known date 79.2, merging 81.8 of 22
# pairs with no wrong merge over all reports; lowest style 80.0): an undated event is dated in
# the week up to the report, merging lines actors up either way and dates a night either side
# of midnight.
# 5th round (90.7 / 88.1 / 91.0, recall with a known date 80.2): a place named only by its kind
# ("near the dam") refers back to the event before at a place of that kind.
FLOOR = {"precision": 90.5, "recall": 88.0, "fatalities_exact": 90.5, "merge_recall": 81.0,
         "recall_dated": 80.0}  # recall_dated: only the matches with a known date
# No wrong merge anywhere: pairs of distinct gold incidents of different reports joined.
MERGE_WRONG_CEILING = 0
STYLE_FLOOR = 79.0  # every style's recall


def _scorer():
    spec = importlib.util.spec_from_file_location("score_extract", ROOT / "bench" /
                                                  "score_extract.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["score_extract"] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def figures(gz):
    if not (REPORTS / "meta.yaml").is_file():
        if os.environ.get("GEOEVENTS_REQUIRE_TOOLS") or os.environ.get("CI"):
            pytest.fail(f"the reports corpus is missing at {REPORTS}")
        pytest.skip(f"the reports corpus is missing at {REPORTS}")
    return _scorer().score(REPORTS, ROOT / "tests" / "gold", gz).figures()


def test_every_report_has_gold():
    gold = {p.stem for p in (ROOT / "tests" / "gold").glob("[0-9]*.yaml")}
    if not REPORTS.is_dir():
        pytest.skip("no corpus")
    assert {p.stem for p in REPORTS.glob("*.txt")} <= gold


@pytest.mark.parametrize("name", sorted(FLOOR))
def test_corpus_figure(figures, name):
    assert figures[name] >= FLOOR[name], (name, figures[name])


def test_every_style(figures):
    low = {s: v["recall"] for s, v in figures["styles"].items() if v["recall"] < STYLE_FLOOR}
    assert not low


def test_no_distinct_events_merged(figures):
    assert figures["merge_wrong"] <= MERGE_WRONG_CEILING, figures["merge_wrong"]
    assert figures["merge_precision"] == 100.0
