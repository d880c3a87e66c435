"""The distance scale of nearness to a report's places widens with the report's spread: in a
report spanning a country, a city 110 km from the nearest other place is as near as a small
namesake 35 km from it (gazetteer.ranking.anchor_scale; hand-made candidates, no index)."""

from __future__ import annotations

from dataclasses import replace

from gazetteer.model import Place
from gazetteer.ranking import (
    WEIGHTS,
    Focus,
    Hit,
    anchor_scale,
    anchor_weight,
    distances,
    document_spread,
    rank,
)


def place(uid: str, lat: float, lon: float, pop: int) -> Place:
    return Place(uid=uid, name="Namesake", country="AA", admin1=None, lat=lat, lon=lon,
                 kind="populated_place", precision=1, population=pop, source="geonames")


# Report places along a line of about 1,100 km (median distance between two of them ~ 550 km).
REPORT = [(48.0, 24.0), (48.0, 29.0), (48.0, 34.0), (48.0, 38.0)]
ANCHOR = (46.5, 30.7)
SMALL = place("small", 46.8, 30.7, 15_000)  # ~35 km from the anchor
BIG = place("big", 47.5, 30.7, 470_000)  # ~110 km from the anchor
HITS = [(Hit(SMALL, "exact", "Namesake"), 0.6), (Hit(BIG, "exact", "Namesake"), 0.81)]


def decide(scale: float):
    focus = Focus(frozenset({"AA"}), frozenset(), (ANCHOR,), anchor_weight=anchor_weight(REPORT),
                  anchor_scale_km=scale)
    dists = distances([(h.place.lat, h.place.lon) for h, _ in HITS], focus.anchors)
    return rank("Namesake", HITS, focus, 5, kinds=None, fuzzy=False, dists=dists,
                admin1_bbox={}, suggestions=lambda: [], install_hint=lambda: "")


def test_the_scale_is_the_default_for_a_compact_report_and_wider_for_a_spread_one() -> None:
    assert anchor_scale([(48.0, 24.0), (48.1, 24.1), (48.2, 24.0)]) == WEIGHTS.anchor_scale_km
    spread = document_spread(REPORT)
    assert 300 < spread < 800
    assert anchor_scale(REPORT) == WEIGHTS.spread_scale * spread
    assert anchor_scale(REPORT, replace(WEIGHTS, spread_scale=0.0)) == WEIGHTS.anchor_scale_km


def test_in_a_spread_report_the_city_beats_the_nearer_small_namesake() -> None:
    assert decide(anchor_scale(REPORT)).place.uid == "big"
    # With the fixed scale the 75 km between them decided for the small one.
    assert decide(WEIGHTS.anchor_scale_km).place.uid == "small"
