"""Namesakes inside the focus: what a focus the user gave can and cannot tell apart.

Built from hand-made candidates (no index): two villages of one name in one country, a small
place matched by spelling only, and how the report's context (country, province, other places)
changes the answer."""

from __future__ import annotations

from gazetteer import countryfacts
from gazetteer.model import Place
from gazetteer.ranking import (
    NO_FOCUS,
    WEIGHTS,
    Focus,
    Hit,
    context_decides,
    distances,
    explain,
    rank,
)


def place(uid, name, cc, lat, lon, *, admin1=None, pop=0):
    return Place(uid=uid, name=name, country=cc, admin1=admin1, lat=lat, lon=lon,
                 kind="populated_place", precision=1, population=pop, source="geonames")


def decide(q, hits, focus=NO_FOCUS):
    dists = distances([(h.place.lat, h.place.lon) for h, _ in hits], focus.anchors)
    return rank(q, hits, focus, 5, kinds=None, fuzzy=False, dists=dists, admin1_bbox={},
                suggestions=lambda: [], install_hint=lambda: "")


def explicit(*ccs, admin1=()):
    cs = frozenset(ccs)
    return Focus(cs, frozenset(admin1), (), explicit=cs, region=countryfacts.region(cs))


# Two villages of one name, 250 km apart in two provinces of one country; the first a little
# more important (its importance term is 0.2 higher: more than margin_context, less than
# margin_no_context).
NORTH = place("t:north", "Suran", "SY", 36.57, 37.21, admin1="SY.09")
SOUTH = place("t:south", "Suran", "SY", 35.29, 36.75, admin1="SY.10")


def suran_hits():
    return [(Hit(SOUTH, "exact", "Suran"), 0.6), (Hit(NORTH, "exact", "Suran"), 0.2)]


def test_margin_between_the_two_thresholds():
    margin = 0.5 * (0.6 - 0.2)
    assert WEIGHTS.margin_context < margin < WEIGHTS.margin_no_context


def test_the_focus_country_does_not_tell_two_of_its_villages_apart():
    r = decide("Suran", suran_hits(), explicit("SY"))
    assert r.status == "ambiguous"
    assert r.confidence <= WEIGHTS.ambiguous_confidence
    assert {c.place.uid for c in r.candidates[:2]} == {NORTH.uid, SOUTH.uid}
    assert "the province" in r.reason  # what would decide: not "a country focus", given already
    assert explain(r)["margin_needed"] == WEIGHTS.margin_no_context


def test_the_province_tells_them_apart():
    r = decide("Suran", suran_hits(), explicit("SY", admin1=("SY.09",)))
    assert r.status == "resolved" and r.place.uid == NORTH.uid
    # The other province's village is no longer plausible: the province is a gate.
    r = decide("Suran", suran_hits(), explicit("SY", admin1=("SY.10",)))
    assert r.status == "resolved" and r.place.uid == SOUTH.uid


def test_an_inferred_country_keeps_the_context_margin():
    inferred = Focus(frozenset({"SY"}), frozenset(), ())
    r = decide("Suran", suran_hits(), inferred)
    assert r.status == "resolved" and r.place.uid == SOUTH.uid


def test_a_namesake_across_the_border_is_told_apart_by_the_country():
    other = place("t:tr", "Suran", "TR", 36.9, 37.4)
    hits = [(Hit(SOUTH, "exact", "Suran"), 0.6), (Hit(other, "exact", "Suran"), 0.6)]
    r = decide("Suran", hits, explicit("SY"))
    assert r.status == "resolved" and r.place.uid == SOUTH.uid


def test_context_decides_compares_the_context_terms_only():
    a = [("match:exact", 1.0), ("focus_country", 0.7), ("importance", 0.3)]
    b = [("match:alias", 0.92), ("focus_country", 0.7), ("importance", 0.1)]
    assert not context_decides(a, b)
    assert context_decides([*a, ("focus_admin1", 0.45)], b)
    assert context_decides([*a, ("anchor", 0.5)], [*b, ("anchor", 0.1)])
    assert not context_decides([*a, ("anchor", 0.31)], [*b, ("anchor", 0.3)])


# A small place (no population known) that bears "Al Mansurah"; the query spells it otherwise.
MANSURAH = place("t:mansurah", "Al Manşūrah", "SY", 35.83, 38.74, admin1="SY.04")
HINT = "; villages and small places are in GeoNames' country dumps: `geoevents data install " \
    "geonames SY`"


def decide_hint(q, hits, focus, hint=HINT):
    dists = distances([(h.place.lat, h.place.lon) for h, _ in hits], focus.anchors)
    return rank(q, hits, focus, 5, kinds=None, fuzzy=False, dists=dists, admin1_bbox={},
                suggestions=lambda: [], install_hint=lambda: hint)


def test_a_small_place_matched_by_spelling_with_only_the_country_is_less_sure():
    hits = [(Hit(MANSURAH, "normalised", "Al Manşūrah"), 0.0)]
    r = decide_hint("Al Mansoura", hits, explicit("SY"))
    assert r.status == "resolved" and r.place.uid == MANSURAH.uid
    base = WEIGHTS.base_confidence["normalised"]
    assert r.confidence == round(base * WEIGHTS.namesake_factor, 3) < 0.7
    assert "village of this name that the gazetteer lacks" in r.reason
    assert "geoevents data install geonames SY" in r.reason


def test_the_province_the_places_or_its_own_name_keep_it_sure():
    base = WEIGHTS.base_confidence
    hits = [(Hit(MANSURAH, "normalised", "Al Manşūrah"), 0.0)]
    r = decide_hint("Al Mansoura", hits, explicit("SY", admin1=("SY.04",)))
    assert r.confidence == base["normalised"] and r.reason is None
    near = Focus(frozenset({"SY"}), frozenset(), ((35.9, 38.8),), explicit=frozenset({"SY"}),
                 region=countryfacts.region(frozenset({"SY"})))
    r = decide_hint("Al Mansoura", hits, near)
    assert r.status == "resolved" and r.reason is None
    own = [(Hit(MANSURAH, "exact", "Al Manşūrah"), 0.0)]
    assert decide_hint("Al Manşūrah", own, explicit("SY")).confidence == base["exact"]
    alias = [(Hit(MANSURAH, "alias", "Al Mansoura"), 0.0)]
    assert decide_hint("Al Mansoura", alias, explicit("SY")).confidence == base["alias"]


def test_a_town_of_known_population_or_installed_villages_keep_it_sure():
    base = WEIGHTS.base_confidence["normalised"]
    town = place("t:town", "Al Manşūrah", "SY", 35.83, 38.74, admin1="SY.04", pop=5000)
    r = decide_hint("Al Mansoura", [(Hit(town, "normalised", "Al Manşūrah"), 0.3)],
                    explicit("SY"))
    assert r.confidence == base and r.reason is None
    hits = [(Hit(MANSURAH, "normalised", "Al Manşūrah"), 0.0)]
    r = decide_hint("Al Mansoura", hits, explicit("SY"), hint="")  # SY's dump is installed
    assert r.confidence == base and r.reason is None


# A governorate and its capital bear one name; the capital is a small town (not notable).
GOV = Place(uid="admin1:SY.05", name="As-Suwayda", country="SY", admin1="SY.05", lat=32.71,
            lon=36.82, kind="admin1", precision=3, source="geonames")
CAPITAL = place("t:capital", "As-Suwayda", "SY", 32.71, 36.57, admin1="SY.05", pop=59_000)


def suwayda_hits(sim=90.0):
    return [(Hit(GOV, "fuzzy", "As-Suwayda", sim), 0.7),
            (Hit(CAPITAL, "fuzzy", "As-Suwayda", sim), 0.68)]


def test_a_near_spelling_refused_for_the_town_is_refused_for_its_province():
    r = decide("Suw'eiya", suwayda_hits(), explicit("SY"))
    assert r.status == "unresolved" and r.place is None
    assert "of small places, none in the report's provinces" in r.reason


def test_the_province_answers_a_near_spelling_where_its_town_would():
    # Near the report's places, the town may answer its near-spelling, and so may the province.
    near = Focus(frozenset({"SY"}), frozenset(), ((32.72, 36.6),), explicit=frozenset({"SY"}),
                 region=countryfacts.region(frozenset({"SY"})))
    r = decide("Suw'eiya", suwayda_hits(), near)
    assert r.status in ("resolved", "ambiguous") and r.place is not None
    # A province no town of the query's name shares answers its near-spelling as before.
    alone = decide("Suw'eiya", suwayda_hits()[:1], explicit("SY"))
    assert alone.status == "resolved" and alone.place.uid == GOV.uid


# A village name that recurs across the region: one small bearer in the focus country, two
# more in a neighbour and in a country of the focus's language.
HAMIDIYA_SY = place("t:h-sy", "Al Hamidiyah", "SY", 34.71, 35.95, admin1="SY.14")
HAMIDIYA_TR = place("t:h-tr", "Hamidiye", "TR", 37.02, 35.82, pop=5000)
HAMIDIYA_AE = place("t:h-ae", "Al Hamidiyah", "AE", 25.40, 55.53, pop=27000)
HAMIDIYA_IT = place("t:h-it", "Hamidia", "IT", 45.0, 10.0, pop=900)


def test_a_common_name_of_the_region_with_only_the_country_is_ambiguous():
    hits = [(Hit(HAMIDIYA_SY, "alias", "Hamidiya"), 0.0), (Hit(HAMIDIYA_TR, "normalised",
            "Hamidiye"), 0.1), (Hit(HAMIDIYA_AE, "normalised", "Al Hamidiyah"), 0.2)]
    r = decide_hint("Hamidiya", hits, explicit("SY"))
    assert r.status == "ambiguous" and r.place.uid == HAMIDIYA_SY.uid
    assert r.confidence <= WEIGHTS.ambiguous_confidence
    assert "a common name: 3 places" in r.reason and "(AE, SY, TR)" in r.reason
    assert "geoevents data install geonames SY" in r.reason
    # The province decides; with the country's villages installed there is no doubt to flag.
    assert decide_hint("Hamidiya", hits, explicit("SY", admin1=("SY.14",))).status == "resolved"
    assert decide_hint("Hamidiya", hits, explicit("SY"), hint="").status == "resolved"


def test_namesakes_outside_the_names_region_do_not_make_it_common():
    # Italy is neither a neighbour of Syria nor of its language: "Mare" in Aleppo is not
    # doubted because places in Europe bear the name.
    hits = [(Hit(HAMIDIYA_SY, "alias", "Hamidiya"), 0.0), (Hit(HAMIDIYA_IT, "alias",
            "Hamidiya"), 0.1), (Hit(HAMIDIYA_TR, "normalised", "Hamidiye"), 0.1)]
    r = decide_hint("Hamidiya", hits, explicit("SY"))
    assert r.status == "resolved" and r.reason is None


def test_a_spelling_borne_by_another_place_of_the_region_is_ambiguous():
    # Matched by spelling only, a second bearer of the name where the focus's names recur is
    # enough, a province included (here one in a country of the focus's language).
    province = Place(uid="t:q-eg", name="Al Qadisiyah", country="EG", admin1="EG.99", lat=27.0,
                     lon=31.0, kind="admin1", precision=3, population=0, source="geonames")
    hits = [(Hit(MANSURAH, "normalised", "Al Qadisiya"), 0.0),
            (Hit(province, "normalised", "Al Qadisiyah"), 0.3)]
    r = decide_hint("Al Qadissiya", hits, explicit("SY"))
    assert r.status == "ambiguous" and "a common name: 2 places" in r.reason
    # Its own name (or an alias) needs three bearers.
    own = [(Hit(MANSURAH, "exact", "Al Qadisiya"), 0.0),
           (Hit(province, "exact", "Al Qadisiya"), 0.3)]
    assert decide_hint("Al Qadisiya", own, explicit("SY")).status == "resolved"
