"""A world city's alternate name against a town bearing the name itself in the report's
countries (or near its places): the town answers (gazetteer.ranking, term alias_beside_own;
hand-made candidates, no index)."""

from __future__ import annotations

from gazetteer.model import Place
from gazetteer.ranking import NO_FOCUS, Focus, Hit, distances, rank


def place(uid: str, name: str, cc: str, lat: float, lon: float, pop: int) -> Place:
    return Place(uid=uid, name=name, country=cc, admin1=None, lat=lat, lon=lon,
                 kind="populated_place", precision=1, population=pop, source="geonames")


CITY = place("city", "Big City", "AA", 18.5, 73.9, 3_000_000)  # bears "Tano" as an alias
TOWN = place("town", "Tano", "BB", -15.8, -70.0, 120_000)  # bears "Tano" as its own name
HITS = [(Hit(CITY, "alias", "Tano"), 0.46), (Hit(TOWN, "exact", "Tano"), 0.36)]


def decide(focus: Focus):
    dists = distances([(h.place.lat, h.place.lon) for h, _ in HITS], focus.anchors)
    return rank("Tano", HITS, focus, 5, kinds=None, fuzzy=False, dists=dists,
                admin1_bbox={}, suggestions=lambda: [], install_hint=lambda: "")


def test_the_town_of_the_reports_country_beats_the_world_citys_alias() -> None:
    # Inferred area (the report's countries, not a focus the user gave).
    r = decide(Focus(frozenset({"BB", "CC"}), frozenset(), ()))
    assert r.place is not None and r.place.uid == "town", r
    city = next(c for c in r.candidates if c.place.uid == "city")
    assert any(t == "alias_beside_own" for t, _ in city.features or [])


def test_the_town_near_the_reports_places_beats_the_world_citys_alias() -> None:
    r = decide(Focus(frozenset({"CC"}), frozenset(), ((-16.0, -69.5),)))
    assert r.place is not None and r.place.uid == "town", r


def test_without_context_the_world_city_is_not_penalised() -> None:
    r = decide(NO_FOCUS)
    city = next(c for c in r.candidates if c.place.uid == "city")
    assert not any(t == "alias_beside_own" for t, _ in city.features or [])
