"""Namesakes in Syria through the whole resolver (the built index): the focus country alone,
the province, and a phrase whose own area rules a namesake out."""

from __future__ import annotations

from gazetteer import Context

SY = Context(countries=("SY",))


def test_a_spelling_of_a_small_place_with_only_the_country_is_less_sure(gz):
    r = gz.resolve("Al Mansoura", SY)
    # Ambiguous, too: the name recurs across the Arabic-speaking countries (common_name_risk).
    assert r.status == "ambiguous" and r.place.country == "SY" and r.match == "normalised"
    assert r.confidence < 0.7 and "a common name" in r.reason
    assert "village of this name that the gazetteer lacks" in r.reason
    assert "geoevents data install geonames SY" in r.reason
    sure = gz.resolve("Al Mansoura", Context(countries=("SY",), admin1=("Raqqa",)))
    assert sure.place.uid == r.place.uid
    assert sure.confidence > r.confidence and sure.confidence >= 0.7 and sure.reason is None


def test_two_villages_of_one_name_in_the_focus_country_are_ambiguous(gz):
    r = gz.resolve("Sawran", SY)
    assert r.status == "ambiguous"
    assert len({c.place.admin1 for c in r.candidates if c.place.country == "SY"}) >= 2
    north = gz.resolve("Sawran", Context(countries=("SY",), admin1=("Aleppo",)))
    assert north.status == "resolved" and north.place.admin1_name == "Aleppo"


def test_a_near_spelling_of_a_small_capital_is_not_its_governorate(gz):
    r = gz.resolve("Suw'eiya", SY)
    assert r.place is None or r.place.kind != "admin1"


def test_a_phrase_whose_area_rules_out_the_namesake_says_so(gz):
    r = gz.resolve("Al Mansoura, Aleppo", SY)
    assert r.status == "unresolved" and r.place is None
    assert "rules it out" in r.reason and "Al Man" in r.reason
    assert any(c.place.country == "SY" for c in r.candidates)
    ok = gz.resolve("Al Mansoura, Raqqa", SY)
    assert ok.status == "resolved" and ok.place.uid == r.candidates[0].place.uid


def test_a_list_of_provinces_as_context_is_either_of_them(gz):
    assert gz.admin1_codes("Hama or Idlib") == ["SY.10", "SY.12"]
    assert gz.admin1_codes("Deir ez-Zor/Raqqa") == ["SY.04", "SY.07"]
    assert gz.admin1_codes("Hama or Atlantis") == []  # every part must be an area
    assert gz.admin1_codes("Newfoundland and Labrador") == ["CA.05"]  # one area, found whole
    inside = gz.resolve("Maarat al Numan", Context(countries=("SY",), admin1=("Hama or Idlib",)))
    assert inside.status == "resolved" and inside.place.admin1 == "SY.12"
    outside = gz.resolve("Maarat al Numan",
                         Context(countries=("SY",), admin1=("Aleppo or Raqqa",)))
    assert outside.status != "resolved"
