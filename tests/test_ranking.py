"""Ranking from hand-built candidates: no index is built or opened.

Each test builds the places that bear a name, the report's focus, and asks
:func:`gazetteer.ranking.rank` (or the lexicon of :mod:`gazetteer.candidates`) for the answer,
checking who wins, its status, and the terms of the score that made it."""

from __future__ import annotations

import dataclasses
import math

import pytest

from gazetteer import countryfacts
from gazetteer.candidates import CandidateSearch
from gazetteer.model import Place
from gazetteer.ranking import (
    EXCLUDED,
    NO_FOCUS,
    WEIGHTS,
    Focus,
    Hit,
    RankingWeights,
    distances,
    explain,
    explain_lines,
    features,
    rank,
    score,
    total,
)


def place(uid, name, cc, lat, lon, *, kind="populated_place", admin1=None, pop=0, fcode=None,
          precision=1, source="geonames"):
    return Place(uid=uid, name=name, country=cc, admin1=admin1, lat=lat, lon=lon, kind=kind,
                 precision=precision, population=pop, feature_code=fcode, source=source)


def decide(q, hits, focus=NO_FOCUS, *, kinds=None, fuzzy=False, w=WEIGHTS, limit=5):
    dists = distances([(h.place.lat, h.place.lon) for h, _ in hits], focus.anchors)
    return rank(q, hits, focus, limit, kinds=kinds, fuzzy=fuzzy, dists=dists, admin1_bbox={},
                suggestions=lambda: ["(suggestions)"], install_hint=lambda: "", w=w)


def explicit(*ccs):
    cs = frozenset(ccs)
    return Focus(cs, frozenset(), (), explicit=cs, region=countryfacts.region(cs))


def inferred(*ccs):
    return Focus(frozenset(ccs), frozenset(), ())


def terms(c):
    return [t for t, _ in c.features]


# "Mare" (a town in Aleppo) and Male, the capital of the Maldives, both bear it as an alias.
MARI = place("geonames:167245", "Mari'", "SY", 36.48, 37.20, admin1="SY.01", pop=0)
MALE = place("geonames:1282027", "Male", "MV", 4.17, 73.51, pop=133_000, fcode="PPLC")


def mare_hits():
    return [(Hit(MALE, "alias", "Mare"), 1.0), (Hit(MARI, "alias", "Mare"), 0.0)]


def test_without_focus_the_capital_wins():
    r = decide("Mare", mare_hits())
    assert r.place.uid == MALE.uid


def test_explicit_focus_outvotes_a_far_alias():
    r = decide("Mare", mare_hits(), explicit("SY"))
    assert r.status == "resolved" and r.place.uid == MARI.uid
    male = next(c for c in r.candidates if c.place.uid == MALE.uid)
    # Male scores higher (a world city), yet it is out of the race: outside the focus.
    assert male.score > r.candidates[0].score
    assert EXCLUDED in terms(male)
    e = explain(r)
    assert e["winner"]["id"] == MARI.uid
    assert e["runner_up"]["id"] == MALE.uid and e["runner_up"]["eligible"] is False
    assert e["margin"] is None  # no rival could have answered


def test_a_far_alias_alone_is_no_answer_with_a_focus():
    r = decide("Mare", [(Hit(MALE, "alias", "Mare"), 1.0)], explicit("SY"))
    assert r.status == "unresolved" and r.place is None
    assert "outside the focus" in r.reason


def test_an_exact_name_alone_outside_the_focus_is_marked_outside_focus():
    far = place("geonames:1", "Shannan", "CN", 29.2, 91.8, pop=50_000)
    r = decide("Shannan", [(Hit(far, "exact", "Shannan"), 0.5)], explicit("SY"))
    assert r.status == "outside_focus" and r.place.uid == far.uid
    assert r.confidence == WEIGHTS.outside_focus_confidence


def test_inferred_area_lowers_a_score_but_never_refuses():
    airport = place("geonames:2", "Heathrow", "GB", 51.47, -0.45, kind="airport", pop=0)
    r = decide("Heathrow", [(Hit(airport, "exact", "Heathrow"), 0.3)], inferred("SY"))
    assert r.status == "resolved" and r.place.uid == airport.uid
    assert "outside the report's area" in r.reason
    assert dict(r.candidates[0].features)["outside_area"] == -WEIGHTS.outside_area


def test_demonym_beats_a_fuzzy_village():
    russia = place("country:RU", "Russia", "RU", 61.5, 105.3, kind="country", precision=3)

    class Store:  # what the lexicon asks of the store: a place by id
        def place(self, uid):
            return {"country:RU": russia}.get(uid)

    rosian = place("geonames:3", "Rosian", "DE", 50.1, 7.2, pop=300)
    cs = CandidateSearch(Store())  # type: ignore[arg-type]
    r = cs.lexicon("Russian", [(Hit(rosian, "fuzzy", "Rosian", sim=92.0), 0.1)], NO_FOCUS)
    assert r is not None and r.match == "demonym" and r.place.uid == "country:RU"
    # A notable place bearing the word as its own name keeps it.
    city = place("geonames:4", "Russian", "XX", 10.0, 10.0, pop=250_000)
    assert cs.lexicon("Russian", [(Hit(city, "exact", "Russian"), 0.8)], NO_FOCUS) is None


def test_a_fuzzy_match_is_scaled_by_its_similarity():
    v = place("geonames:5", "Kerich", "LU", 49.6, 5.9, pop=2_000)
    f = features(Hit(v, "fuzzy", "Kerich", sim=90.0), 0.0, NO_FOCUS, math.inf, False)
    assert f[0] == ("match:fuzzy", pytest.approx(WEIGHTS.match_score["fuzzy"] * 0.9))


HOMS_TOWN = place("geonames:169577", "Homs", "SY", 34.72, 36.72, admin1="SY.11", pop=775_000,
                  fcode="PPLA")
HOMS_PROV = place("admin1:SY.11", "Homs", "SY", 34.6, 37.9, kind="admin1", admin1="SY.11",
                  precision=3)


def test_the_town_before_the_province_named_after_it():
    hits = [(Hit(HOMS_PROV, "exact", "Homs"), 0.7), (Hit(HOMS_TOWN, "exact", "Homs"), 0.84)]
    r = decide("Homs", hits, explicit("SY"))
    assert r.place.uid == HOMS_TOWN.uid
    prov = next(c for c in r.candidates if c.place.uid == HOMS_PROV.uid)
    assert dict(prov.features)["area_named_after_town"] == -WEIGHTS.area_penalty
    # "Homs province" asks for the area (the facade keeps only areas): no penalty.
    r2 = decide("Homs", hits[:1], explicit("SY"), kinds=frozenset({"admin1"}))
    assert r2.place.uid == HOMS_PROV.uid
    assert "area_named_after_town" not in terms(r2.candidates[0])
    assert r2.candidates[0].score == pytest.approx(prov.score + WEIGHTS.area_penalty)


def test_the_report_places_decide_between_namesakes():
    il = place("geonames:6", "Springfield", "US", 39.80, -89.64, pop=114_000, fcode="PPLA")
    mo = place("geonames:7", "Springfield", "US", 37.21, -93.29, pop=169_000)
    hits = [(Hit(il, "exact", "Springfield"), 0.6), (Hit(mo, "exact", "Springfield"), 0.62)]
    no_ctx = decide("Springfield", hits)
    assert no_ctx.status == "ambiguous" and no_ctx.confidence <= WEIGHTS.ambiguous_confidence
    near_il = Focus(frozenset({"US"}), frozenset(), ((39.78, -89.65),))  # Chatham, Illinois
    r = decide("Springfield", hits, near_il)
    assert r.status == "resolved" and r.place.uid == il.uid
    f = dict(r.candidates[0].features)
    d = distances([(il.lat, il.lon)], near_il.anchors)[0]
    assert f["anchor"] == pytest.approx(WEIGHTS.anchor * math.exp(-d / WEIGHTS.anchor_scale_km))
    e = explain(r)
    assert e["rival"] == mo.uid and e["margin"] > WEIGHTS.margin_context


def test_a_village_named_like_a_state_yields_to_the_state():
    state = place("admin1:US.CA", "California", "US", 37.25, -119.75, kind="admin1",
                  admin1="US.CA", precision=3)
    village = place("geonames:8", "California", "US", 40.06, -79.89, admin1="US.PA", pop=6_000)
    r = decide("California", [(Hit(village, "exact", "California"), 0.3),
                              (Hit(state, "exact", "California"), 0.8)])
    assert r.place.uid == state.uid
    v = next(c for c in r.candidates if c.place.uid == village.uid)
    assert dict(v.features)["small_namesake"] == -WEIGHTS.small_namesake_penalty


def test_weights_are_frozen_and_decide():
    with pytest.raises(dataclasses.FrozenInstanceError):
        WEIGHTS.focus_country = 2.0  # type: ignore[misc]
    # Two namesakes far apart, one in the report's inferred area: the focus decides ...
    a = place("geonames:9", "Tell Abyad", "SY", 36.70, 38.95, pop=14_000)
    b = place("geonames:10", "Tall Abyad", "IQ", 36.3, 41.9, pop=14_000)
    hits = [(Hit(a, "exact", "Tell Abyad"), 0.3), (Hit(b, "exact", "Tell Abyad"), 0.3)]
    assert decide("Tell Abyad", hits, inferred("SY")).status == "resolved"
    # ... unless its weights are nil: then nothing separates them.
    nil = dataclasses.replace(WEIGHTS, focus_country=0.0, outside_area=0.0)
    assert isinstance(nil, RankingWeights)
    assert decide("Tell Abyad", hits, inferred("SY"), w=nil).status == "ambiguous"


def test_the_score_is_the_sum_of_its_terms():
    for h, imp in [(Hit(HOMS_PROV, "exact", "Homs"), 0.7), (Hit(MALE, "alias", "Mare"), 1.0)]:
        s, f = score(h, imp, explicit("SY"), 250.0, False, frozenset({"SY.11"}))
        assert s == total(f) == pytest.approx(sum(v for _, v in f))
        assert f[0][0].startswith("match:")


def test_explain_lines_name_the_weights():
    r = decide("Mare", mare_hits(), explicit("SY"))
    text = "\n".join(explain_lines(r))
    assert "focus_country=0.7" in text and "outside the focus" in text
    assert text.splitlines()[0].startswith("explain winner: Mari'")


def test_a_sea_named_as_such_is_meant_before_the_provinces_named_after_it():
    sea = place("curated:t-sea", "Red Sea", "", 20.0, 38.5, kind="region", source="curated",
                precision=3)
    sd = place("t:sd", "Red Sea", "SD", 19.7, 37.0, kind="admin1", admin1="SD.36", pop=646800,
               precision=3)
    eg = place("t:eg", "Red Sea", "EG", 26.7, 33.9, kind="admin1", admin1="EG.02", pop=420165,
               precision=3)
    hits = [(Hit(sea, "exact", "Red Sea"), 0.0), (Hit(sd, "exact", "Red Sea"), 0.83),
            (Hit(eg, "exact", "Red Sea"), 0.8)]
    r = decide("Red Sea", hits)
    assert r.status == "resolved" and r.place.uid == sea.uid
    assert "small_namesake" in terms(r.candidates[1])
    # Asked for an area kind ("Red Sea state"), the provinces keep their score.
    r = decide("Red Sea", hits, kinds=frozenset({"admin1"}))
    assert not any("small_namesake" in terms(c) for c in r.candidates)
