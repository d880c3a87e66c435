"""Document context placing what no gazetteer holds (issue 10): streets, house and postal
numbers and facilities are placed at the town their text names beside them, or the town the
document is about; numbers are never names of places; other unknown names stay unresolved."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from gazetteer.documents import (
    Document,
    document_locality,
    place_addresses_at_locality,
    resolve_mentions,
)
from gazetteer.landmarks import is_address_part
from gazetteer.model import Place, Resolution
from gazetteer.rows import PlaceRow, has_no_letter, insert_places

from .geo import km


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    out, at = [], 0
    for w in words:
        i = text.index(w, at)
        out.append((i, i + len(w)))
        at = i + len(w)
    return out


@pytest.mark.parametrize("name", ["Baker Street", "Kärntner Strasse", "Herengracht",
                                  "Rue de Rivoli", "Via Roma", "1600", "EC1A 1BB", "Suite 300",
                                  "Grand Hotel Europa", "FunPark® Nord",
                                  # accents or none: one word ("náměstí", "namesti", "Straße")
                                  "Václavské náměstí", "Masarykovo namesti", "Karl-Marx-Straße",
                                  "Hauptstraße", "Potsdamer Chaussee"])
def test_address_parts(name):
    assert is_address_part(name)


@pytest.mark.parametrize("name", ["Tadmur", "Kasane", "Weg", "Street", "Saint-Denis", ""])
def test_place_names_are_not_address_parts(name):
    assert not is_address_part(name)


def test_names_without_letters_are_never_indexed():
    assert has_no_letter("47") and has_no_letter("1/2") and not has_no_letter("A1")
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE places (pid INTEGER PRIMARY KEY, uid TEXT, name TEXT, country TEXT,"
                " admin1 TEXT, lat REAL, lon REAL, kind TEXT, fclass TEXT, fcode TEXT,"
                " population INT, precision INT, importance REAL, source TEXT, note TEXT)")
    con.execute("CREATE TABLE names (skel TEXT, pid INT, name TEXT, fold TEXT, key TEXT,"
                " is_primary INT)")
    insert_places(con, [PlaceRow("geonames:1", "Oldtown", "ZZ", None, 1.0, 2.0,
                                 "populated_place", "P", "PPL", 900, 1, "geonames-cities500",
                                 None, names=["Oldtown", "47", "00154", "Altstadt"],
                                 primary=["Oldtown"])])
    names = {r[0] for r in con.execute("SELECT name FROM names")}
    assert names == {"Oldtown", "Altstadt"}


@pytest.mark.parametrize("q", ["47", "15", "00154", "1090/5"])
def test_a_bare_number_is_no_place(gz, q):
    r = gz.resolve(q)
    assert r.status == "unresolved" and r.place is None and "number" in r.reason


def _town(uid: str, name: str, lat: float, lon: float) -> Resolution:
    p = Place(uid, name, "ZZ", None, lat, lon, "populated_place", 1)
    return Resolution(query=name, status="resolved", place=p, match="exact", confidence=0.9)


def _unknown(name: str) -> Resolution:
    return Resolution(query=name, status="unresolved")


def test_address_goes_to_the_town_named_beside_it_else_the_documents_town():
    text = ("Alpha is large. Alpha and Alpha again. We stayed in Beta at Mill Street 12, "
            "then walked to Hotel Gamma and Fernhill.")
    words = ["Alpha", "Alpha", "Alpha", "Beta", "Mill Street", "12", "Hotel Gamma",
             "Fernhill"]
    a, b = _town("t:a", "Alpha", 10.0, 10.0), _town("t:b", "Beta", 20.0, 20.0)
    res = [a, a, a, b, _unknown("Mill Street"), _unknown("12"), _unknown("Hotel Gamma"),
           _unknown("Fernhill")]
    assert document_locality(res) == (a.place, 3)
    out = place_addresses_at_locality(words, res, _spans(text, words))
    assert out[4].place == b.place and out[5].place == b.place  # beside Beta
    assert "beside" in out[4].reason
    assert out[4].match == "context" and out[4].precision == 2 and out[4].confidence <= 0.3
    assert out[6].place == b.place  # 'Hotel Gamma' is within the window of Beta too
    assert out[7].status == "unresolved" and out[7].place is None  # a name, not an address
    far = place_addresses_at_locality(["Mill Street"], [_unknown("Mill Street")])
    assert far[0].place is None  # no town in the document: nothing to place it at


def test_address_without_a_town_beside_it_is_at_the_documents_town():
    words = ["Alpha", "Alpha", "Beta", "Hotel Gamma"]
    text = "Alpha. Alpha. Beta." + " " * 200 + "Hotel Gamma"
    a, b = _town("t:a", "Alpha", 10.0, 10.0), _town("t:b", "Beta", 20.0, 20.0)
    out = place_addresses_at_locality(words, [a, a, b, _unknown("Hotel Gamma")],
                                      _spans(text, words))
    assert out[3].place == a.place and "names most (2x)" in out[3].reason


def test_document_places_a_street_at_its_town(gz):
    text = ("Our office moved to Nairobi last year: find us at Kenyatta Avenue 14, Nairobi. "
            "Colleagues from Mombasa visit often.")
    words = ["Nairobi", "Kenyatta Avenue 14", "Nairobi", "Mombasa"]
    res = resolve_mentions(gz, Document("d", text, _spans(text, words)))
    assert res[1].match == "context" and km(res[1].lat, res[1].lon, -1.28, 36.82) < 30


# ------------------------------------------------------------ landmarks of the shipped table
@pytest.mark.parametrize("name,lat,lon", [("Taj Mahal", 27.175, 78.042),
                                          ("Colosseum", 41.890, 12.492),
                                          ("Burj Khalifa", 25.197, 55.274),
                                          ("Machu Picchu", -13.163, -72.545),
                                          ("Sydney Opera House", -33.857, 151.215),
                                          ("Statue of Liberty", 40.689, -74.045),
                                          ("Table Mountain", -33.963, 18.410)])
def test_famous_landmarks_are_places(gz, name, lat, lon):
    r = gz.resolve(name)
    assert r.status == "resolved" and r.place.kind in ("landmark", "mountain")
    assert km(r.lat, r.lon, lat, lon) < 5


@pytest.mark.parametrize("text,words,lat,lon", [
    ("Sydney in summer: picnics in Central Park, then Darlinghurst.",
     ["Sydney", "Central Park", "Darlinghurst"], -33.885, 151.200),
    ("Manhattan in summer: picnics in Central Park, then Brooklyn.",
     ["Manhattan", "Central Park", "Brooklyn"], 40.783, -73.965),
])
def test_a_landmark_namesake_follows_the_document(gz, text, words, lat, lon):
    res = resolve_mentions(gz, Document("d", text, _spans(text, words)))
    assert res[1].place is not None and km(res[1].lat, res[1].lon, lat, lon) < 10


def test_point_landmark_far_from_the_report_loses_its_feature_bonus():
    from gazetteer.ranking import NO_FOCUS, WEIGHTS, Focus, Hit, features

    def terms(kind: str, precision: int, focus: Focus, dist: float) -> dict[str, float]:
        p = Place("curated:x", "Grand Park", "ZZ", None, 0.0, 0.0, kind, precision,
                  source="curated")
        return dict(features(Hit(p, "exact", "Grand Park"), 0.0, focus, dist, False))

    far = Focus(frozenset(), frozenset(), ((40.0, 40.0),))
    t = terms("landmark", 1, far, 5000.0)
    assert t["feature_name"] == WEIGHTS.feature_name
    assert t["landmark_far_from_report"] == -WEIGHTS.feature_name
    assert "landmark_far_from_report" not in terms("landmark", 1, far, 50.0)  # near the report
    assert "landmark_far_from_report" not in terms("landmark", 1, NO_FOCUS, float("inf"))
    assert "landmark_far_from_report" not in terms("river", 2, far, 5000.0)  # named from afar


def test_named_after_reads_the_words_after_of_up_to_the_next_facility_word():
    from gazetteer.landmarks import named_places

    assert named_places("University of Mombasa Sports Centre")[:2] == ["Mombasa Sports",
                                                                         "Mombasa"]
    assert named_places("Port of Mombasa") == ["Mombasa"]


def test_unknown_mention_holding_a_placed_mention_is_at_that_place():
    from gazetteer.documents import place_by_contained_mention

    a, b = _town("t:a", "Alpha Springs", 10.0, 10.0), _town("t:b", "Alpha", 30.0, 30.0)
    country = Resolution(query="Zedland", status="resolved", precision=3,
                         place=Place("country:ZZ", "Zedland", "ZZ", None, 5.0, 5.0, "country",
                                     3), match="exact", confidence=0.9)
    names = ["Alpha Springs", "Alpha", "Zedland", "Grand Inn Alpha Springs", "Hotel Zedland",
             "Alphaville Inn"]
    res = [a, b, country, _unknown(names[3]), _unknown(names[4]), _unknown(names[5])]
    out = place_by_contained_mention(names, res)
    assert out[3].place == a.place and out[3].match == "context"  # the longest one inside
    assert "Alpha Springs" in out[3].reason and out[3].precision == 2
    assert out[4].place is None  # a country is no point for a hotel in it
    assert out[5].place is None  # "Alpha" is not a whole word of "Alphaville"


@pytest.mark.parametrize("name,lat,lon,within", [("Arctic", 80.0, 0.0, 500),
                                                 ("European Union", 50.0, 10.0, 500),
                                                 ("Kivu", -1.5, 28.9, 300),
                                                 ("Chesapeake Bay", 37.8, -76.1, 100),
                                                 ("Camp Lejeune", 34.68, -77.34, 20),
                                                 ("Kyushu", 32.6, 130.8, 100)])
def test_world_regions_bays_islands_and_bases_are_not_lookalike_towns(gz, name, lat, lon,
                                                                      within):
    r = gz.resolve(name)
    assert r.status == "resolved" and r.place.kind != "populated_place"
    assert km(r.lat, r.lon, lat, lon) < within


# ------------------------------------------------------------ population prior vs context
def test_anchor_weight_is_one_for_a_report_about_one_area_and_small_for_a_list():
    from gazetteer.ranking import WEIGHTS, anchor_weight

    local = [(35.0, 40.0), (35.3, 40.2), (34.9, 40.5), (35.5, 39.8)]
    assert anchor_weight(local) == 1.0
    assert anchor_weight([(10.0, 10.0), (50.0, 50.0)]) == 1.0  # two places are no list
    spread = [(33.7, -84.4), (42.4, -71.1), (41.9, -87.6), (29.8, -95.4), (37.8, -122.4)]
    wgt = anchor_weight(spread)
    assert 0.0 < wgt < 0.2
    assert anchor_weight(spread, dataclasses.replace(WEIGHTS, list_spread_km=1e5)) == 1.0


def test_a_list_of_far_apart_cities_keeps_each_citys_own_reading(gz):
    text = ("Consulates: Atlanta, Boston, Chicago, Dallas, Denver, Houston, Los Angeles, "
            "Miami, New York, San Francisco.")
    words = ["Atlanta", "Boston", "Chicago", "Dallas", "Denver", "Houston", "Los Angeles",
             "Miami", "New York", "San Francisco"]
    res = resolve_mentions(gz, Document("d", text, _spans(text, words)))
    got = {w: r for w, r in zip(words, res, strict=True)}
    assert km(got["Dallas"].lat, got["Dallas"].lon, 32.78, -96.80) < 30
    assert km(got["Denver"].lat, got["Denver"].lon, 39.74, -104.99) < 30
    assert km(got["Boston"].lat, got["Boston"].lon, 42.36, -71.06) < 30


@pytest.mark.parametrize("names,cc", [
    (["Idaho", "Georgia", "Kansas", "Nevada", "Ohio"], "US"),
    (["Texas", "Georgia", "Alabama", "Iowa"], "US"),
    (["Tbilisi", "Georgia", "Armenia"], "GE"),
])
def test_a_name_is_no_evidence_for_its_own_country(gz, names, cc):
    res = gz.resolve_document(names)
    g = res[names.index("Georgia")]
    assert g.place is not None and g.place.country == cc


def test_address_beside_an_ambiguous_town_is_as_ambiguous_at_its_best_reading():
    words = ["Mill Street 4", "Beta", "Fernhill"]
    text = "Mill Street 4, Beta. Fernhill."
    b = _town("t:b", "Beta", 20.0, 20.0)
    b.status, b.reason = "ambiguous", "2 places answer to this name"
    out = place_addresses_at_locality(words, [_unknown(words[0]), b, _unknown(words[2])],
                                      _spans(text, words))
    assert out[0].place == b.place and out[0].status == "ambiguous"
    assert "itself ambiguous" in out[0].reason
    assert out[2].place is None  # no resolved town to be the document's own, no address
    assert place_addresses_at_locality(words, [_unknown(words[0]), b, _unknown(words[2])]
                                       )[0].place is None  # no text offsets: nothing beside


@pytest.mark.parametrize("phrase,cc", [("Akita Prefecture", "JP"), ("Okayama prefecture", "JP"),
                                       ("Tver Oblast", "RU"), ("Khabarovsk Krai", "RU")])
def test_prefecture_oblast_krai_name_the_first_level_area(gz, phrase, cc):
    r = gz.resolve(phrase)
    assert r.status == "resolved" and r.place.kind == "admin1" and r.place.country == cc
