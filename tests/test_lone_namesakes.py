"""A far namesake that answers only because nothing else bears the name: the document's small
place more than ``lone_km`` from all its other places keeps its answer, at lower confidence
and with the distance in its reason (gazetteer.batches.mark_lone_namesakes; no index)."""

from __future__ import annotations

from gazetteer.batches import mark_lone_namesakes
from gazetteer.model import Candidate, Place, Resolution
from gazetteer.ranking import WEIGHTS


def answer(uid: str, name: str, lat: float, lon: float, *, kind: str = "populated_place",
           pop: int = 5000, namesakes: int = 0) -> Resolution:
    p = Place(uid=uid, name=name, country="XX", admin1=None, lat=lat, lon=lon, kind=kind,
              precision=1, population=pop, source="geonames")
    cands = [Candidate(p, "exact", name, 1.0)]
    for i in range(namesakes):
        o = Place(uid=f"{uid}-{i}", name=name, country="YY", admin1=None, lat=lat + 10 + i,
                  lon=lon, kind="populated_place", precision=1, population=100,
                  source="geonames")
        cands.append(Candidate(o, "exact", name, 0.5))
    return Resolution(query=name, status="resolved", place=p, match="exact", matched_name=name,
                      confidence=0.8, precision=1, candidates=cands)


def document(far: Resolution) -> dict[str, Resolution]:
    # Three towns within 100 km of each other, and one answer about 4,400 km away.
    return {"a": answer("a", "A", 50.0, 4.0), "b": answer("b", "B", 50.5, 4.5),
            "c": answer("c", "C", 50.2, 5.0), "far": far}


def test_a_lone_far_namesake_keeps_its_answer_at_lower_confidence() -> None:
    res = document(answer("f", "Far", 20.0, 75.0))
    mark_lone_namesakes(list(res), res, WEIGHTS)
    r = res["far"]
    assert r.place is not None and r.place.uid == "f" and r.status == "resolved"
    assert r.confidence == round(0.8 * WEIGHTS.lone_factor, 2)
    assert r.reason and "only place of this name" in r.reason and "km from" in r.reason
    assert all(res[k].confidence == 0.8 and res[k].reason is None for k in "abc")


def test_near_places_countries_and_names_with_rivals_are_not_marked() -> None:
    for far in (answer("f", "Near", 51.0, 5.5),  # near the others
                answer("f", "Land", 20.0, 75.0, kind="admin1"),  # an area
                answer("f", "Big", 20.0, 75.0, pop=5_000_000),  # a world city
                answer("f", "Many", 20.0, 75.0, namesakes=1)):  # ranked among namesakes
        res = document(far)
        mark_lone_namesakes(list(res), res, WEIGHTS)
        assert res["far"].confidence == 0.8 and res["far"].reason is None, far.query


def test_a_document_of_two_places_says_nothing() -> None:
    res = {"a": answer("a", "A", 50.0, 4.0), "far": answer("f", "Far", 20.0, 75.0)}
    mark_lone_namesakes(list(res), res, WEIGHTS)
    assert res["far"].confidence == 0.8
