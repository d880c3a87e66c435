"""Resolution rules that must hold worldwide (issue 10), each on names chosen for the rule, not
taken from the development sets: a focus is not outvoted by far aliases, the report's inferred
area never refuses, demonyms and abbreviations name their places, areas carry both point
conventions, world regions are never hamlets, airports and air bases are known."""

from __future__ import annotations

import pytest

from gazetteer import Context, Gazetteer

from .geo import km

IQ = Context(countries=("IQ",))


# ---------------------------------------------------------------- class 1: an explicit focus
@pytest.mark.parametrize("name,cc", [("Winnipeg", "CA"), ("Toowoomba", "AU"), ("Fresno", "US")])
def test_focus_answers_elsewhere_only_as_outside_focus(gz, name, cc):
    r = gz.resolve(name, IQ)
    assert r.status == "outside_focus"
    assert r.place is not None and r.place.country == cc
    assert r.confidence <= 0.3
    assert "IQ" in (r.reason or "") and "neighbours" in r.reason


@pytest.mark.parametrize("name", ["Lisboa", "München"])
def test_far_alias_never_beats_not_found(gz, name):
    """Other-language names of places on another continent are no answer with a focus; the
    same names without one are the cities."""
    r = gz.resolve(name, IQ)
    assert r.status == "unresolved" and r.place is None
    free = gz.resolve(name)
    assert free.status == "resolved" and free.place.country in ("PT", "DE")


def test_focus_wins_inside_and_countries_elsewhere_stay_resolved(gz):
    r = gz.resolve("Mosul", IQ)
    assert r.status == "resolved" and km(r.lat, r.lon, 36.34, 43.13) < 10
    c = gz.resolve("Japan", IQ)
    assert c.status == "resolved" and c.place.kind == "country" and c.place.country == "JP"
    assert "outside the focus" in c.reason


def test_neighbour_of_focus_is_inside(gz):
    r = gz.resolve("Amman", IQ)  # Jordan borders Iraq
    assert r.status == "resolved" and km(r.lat, r.lon, 31.95, 35.93) < 15


# ---------------------------------------------------------------- class 2: inferred area
def test_inferred_area_lowers_a_score_never_refuses(gz):
    r = gz.resolve("Lisboa", Context(cues=("IQ",)))
    assert r.status == "resolved" and km(r.lat, r.lon, 38.72, -9.14) < 15
    assert "outside the report's area" in (r.reason or "")


def test_document_names_a_foreign_city_and_still_gets_it(gz):
    from gazetteer.documents import Document, resolve_mentions

    text = "Iraqi officials in Baghdad met envoys who had flown in from Lisboa."
    spans = [(text.index(w), text.index(w) + len(w)) for w in ("Baghdad", "Lisboa")]
    res = resolve_mentions(gz, Document("d", text, spans))
    assert res[0].place.country == "IQ"
    assert res[1].place is not None and res[1].place.country == "PT"


# ---------------------------------------------------------------- class 4: demonyms
@pytest.mark.parametrize("word,cc", [("Brazilian", "BR"), ("Germans", "DE"), ("Nigerian", "NG"),
                                     ("Russian", "RU"), ("Vietnamese", "VN")])
def test_demonym_is_its_country(gz, word, cc):
    r = gz.resolve(word)
    assert r.status == "resolved" and r.match == "demonym"
    assert r.place.kind == "country" and r.place.country == cc


def test_demonym_of_a_people_is_its_region(gz):
    for word, lat, lon in [("Kurds", 37.5, 43.5), ("Catalan", 41.7, 1.8), ("Welsh", 52.4, -3.9)]:
        r = gz.resolve(word)
        assert r.match == "demonym" and r.place.kind != "populated_place", word
        assert km(r.lat, r.lon, lat, lon) < 150, word


# ---------------------------------------------------------------- class 5: abbreviations
@pytest.mark.parametrize("abbr,lat,lon", [("Ga.", 32.7, -83.4), ("N.Y.", 42.9, -75.5),
                                          ("Ore.", 44.0, -120.5), ("Que.", 52.0, -71.0),
                                          ("Alta.", 54.5, -115.0)])
def test_ap_and_canadian_abbreviations(gz, abbr, lat, lon):
    r = gz.resolve(abbr)
    assert r.status == "resolved" and r.match == "abbreviation" and r.place.kind == "admin1"
    assert km(r.lat, r.lon, lat, lon) < 500


@pytest.mark.parametrize("abbr,cc", [("U.K.", "GB"), ("UAE", "AE"), ("KSA", "SA"),
                                     ("DRC", "CD"), ("U.S.", "US")])
def test_country_abbreviations(gz, abbr, cc):
    r = gz.resolve(abbr)
    assert r.status == "resolved" and r.place.kind == "country" and r.place.country == cc


def test_postal_codes_only_with_their_country_in_context(gz):
    assert gz.resolve("OK").match != "abbreviation"
    r = gz.resolve("OK", Context(countries=("US",)))
    assert r.match == "abbreviation" and r.place.name == "Oklahoma"
    r = gz.resolve("NS", Context(cues=("CA",)))
    assert r.match == "abbreviation" and r.place.name == "Nova Scotia"


# ---------------------------------------------------------------- class 3: point conventions
def test_countries_carry_both_points_and_their_extent(gz):
    r = gz.resolve("Argentina")
    p = r.place
    assert p.bbox is not None and p.centroid is not None and p.geonames_id == 3865483
    w, s, e, n = p.bbox
    assert w < p.lon < e and s < p.lat < n
    assert w < p.centroid[1] < e and s < p.centroid[0] < n
    # reference (default): the published point, whole degrees for Argentina (-34, -64)
    assert km(p.lat, p.lon, -34.0, -64.0) < 5
    other = Gazetteer(gz.index_path, build=False, points="centroid")
    try:
        c = other.resolve("Argentina").place
        assert (c.lat, c.lon) == p.centroid and c.bbox == p.bbox
    finally:
        other.close()


def test_points_option_is_checked():
    from gazetteer import InputError

    with pytest.raises(InputError, match="points"):
        Gazetteer(build=False, points="middle")


# ---------------------------------------------------------------- class 6: world regions
@pytest.mark.parametrize("name,lat,lon", [("the Caucasus", 42.5, 44.5), ("Sahara", 23.0, 12.0),
                                          ("Arabian Peninsula", 23.0, 46.0),
                                          ("Gulf of Aden", 12.5, 48.0),
                                          ("Mesopotamia", 33.5, 44.0)])
def test_world_regions_are_regions_not_hamlets(gz, name, lat, lon):
    r = gz.resolve(name)
    assert r.place is not None and r.place.kind != "populated_place"
    assert r.precision == 3 and km(r.lat, r.lon, lat, lon) < 600
    assert r.place.bbox is not None


def test_conflict_regions(gz):
    r = gz.resolve("the Nineveh plains")
    assert r.place.kind == "plain" and km(r.lat, r.lon, 36.34, 43.13) < 60  # by Mosul
    r = gz.resolve("the Ghouta", Context(countries=("SY",)))
    assert km(r.lat, r.lon, 33.51, 36.29) < 30  # beside Damascus


# ---------------------------------------------------------------- class 7: airports
@pytest.mark.parametrize("name,lat,lon", [("Incirlik Air Base", 37.00, 35.43),
                                          ("Frankfurt Airport", 50.03, 8.56),
                                          ("Ben Gurion Airport", 32.01, 34.89)])
def test_airports_and_air_bases(gz, name, lat, lon):
    r = gz.resolve(name)
    assert r.status == "resolved" and r.place.kind in ("airport", "military_base")
    assert km(r.lat, r.lon, lat, lon) < 5


# ---------------------------------------------------------------- scale of --together
def test_long_list_together_keeps_every_name(gz):
    names = ["Basra", "Mosul", "Erbil", "Kirkuk", "Najaf"] * 400 + ["Xqzwvb Kjhg", "Tikrit"]
    res = gz.resolve_document(names)
    assert len(res) == len(names)
    assert all(r.place.country == "IQ" for r in res[:2000])
    assert res[-2].status == "unresolved" and res[-1].place.country == "IQ"


# ------------------------------------------------- class 3: GeoNames' own country points
@pytest.mark.parametrize("name,lat,lon", [("Kazakhstan", 48.0, 68.0), ("Mongolia", 46.0, 105.0),
                                          ("Norway", 62.0, 10.0), ("Chile", -30.0, -71.0)])
def test_countries_answer_at_geonames_point_by_default(gz, name, lat, lon):
    """The default convention is GeoNames' point of the country feature, with its id."""
    r = gz.resolve(name)
    assert r.status == "resolved" and r.place.kind == "country"
    assert km(r.lat, r.lon, lat, lon) < 2
    assert r.place.geonames_id is not None and r.place.centroid is not None


def test_territory_outside_the_geonames_list_keeps_a_published_point(gz):
    r = gz.resolve("Greenland")  # a territory: countryinfo's point, inside its extent
    w, s, e, n = r.place.bbox
    assert r.place.kind == "country" and w < r.lon < e and s < r.lat < n


# ------------------------------------------------- class 6: more world regions and seas
@pytest.mark.parametrize("name,lat,lon", [("Northern Europe", 60.0, 15.0),
                                          ("Sea of Okhotsk", 55.0, 150.0),
                                          ("Indochina", 15.0, 104.0),
                                          ("Bay of Bengal", 15.0, 88.0),
                                          ("the Baltics", 57.0, 24.0)])
def test_more_world_regions_and_seas(gz, name, lat, lon):
    r = gz.resolve(name)
    assert r.status == "resolved" and r.place.kind != "populated_place"
    assert r.precision == 3 and km(r.lat, r.lon, lat, lon) < 300 and r.place.bbox is not None


def test_straits_and_canals_are_features(gz):
    r = gz.resolve("Strait of Malacca")
    assert r.place.kind == "region" and km(r.lat, r.lon, 2.5, 101.5) < 200
    r = gz.resolve("Suez Canal")
    assert r.place.kind == "landmark" and km(r.lat, r.lon, 30.6, 32.3) < 60


# ------------------------------------------------- class 7: rivers, lakes, mountains, deserts
@pytest.mark.parametrize("name,kind,lat,lon,within", [
    ("Zambezi", "river", -18.8, 36.3, 60),            # GeoNames places a stream at its mouth
    ("the Yenisei", "river", 71.8, 83.0, 150),
    ("Lake Tanganyika", "lake", -6.0, 29.5, 150),
    ("Hindu Kush", "mountain", 35.5, 70.5, 250),
    ("Mount Kilimanjaro", "mountain", -3.07, 37.35, 5),
    ("Kalahari Desert", "desert", -23.0, 22.0, 300),
    ("Socotra", "island", 12.5, 53.9, 50),
])
def test_physical_features_are_known(gz, name, kind, lat, lon, within):
    r = gz.resolve(name)
    assert r.status == "resolved" and r.place.kind == kind
    assert km(r.lat, r.lon, lat, lon) < within


def test_river_name_that_is_a_country_stays_the_country(gz):
    assert gz.resolve("Niger").place.kind == "country"
    r = gz.resolve("Niger River")
    assert r.place.kind == "river" and km(r.lat, r.lon, 4.5, 6.0) < 100


def test_installed_natural_earth_rivers_and_lakes_are_places(gz):
    """The session installs Natural Earth's Levant cuts: their rivers and lakes are places."""
    r = gz.resolve("Ceyhan River")
    assert r.place is not None and r.place.kind == "river" and r.place.country == "TR"
    assert r.place.source == "naturalearth-rivers"
    assert gz.resolve("Ceyhan").place.kind == "populated_place"  # the town keeps its name
    r = gz.resolve("Lake Hammar")
    assert r.place.kind == "lake" and km(r.lat, r.lon, 30.8, 47.0) < 60


# ------------------------------------------------- class 4: peoples' and regions' adjectives
@pytest.mark.parametrize("word,lat,lon", [("Uyghur", 41.0, 85.0), ("Baloch", 28.0, 65.0),
                                          ("Central Asian", 45.0, 65.0)])
def test_demonyms_of_peoples_and_regions(gz, word, lat, lon):
    r = gz.resolve(word)
    assert r.match == "demonym" and r.place.kind != "populated_place"
    assert km(r.lat, r.lon, lat, lon) < 700


# ------------------------------------------------- ranking rules, on hand-built candidates
def _place(uid, name, cc, lat, lon, *, kind="populated_place", admin1=None, pop=0, fcode=None,
           precision=1, source="geonames"):
    from gazetteer.model import Place

    return Place(uid=uid, name=name, country=cc, admin1=admin1, lat=lat, lon=lon, kind=kind,
                 precision=precision, population=pop, feature_code=fcode, source=source)


def _decide(q, hits, focus=None):
    from gazetteer.ranking import NO_FOCUS, distances, rank

    focus = focus or NO_FOCUS
    dists = distances([(h.place.lat, h.place.lon) for h, _ in hits], focus.anchors)
    return rank(q, hits, focus, 5, kinds=None, fuzzy=any(h.match == "fuzzy" for h, _ in hits),
                dists=dists, admin1_bbox={}, suggestions=lambda: ["(suggestions)"],
                install_hint=lambda: "")


def test_alias_of_a_small_place_near_the_report_does_not_beat_a_notable_own_name():
    """A town that once bore a big city's name, next to the report's places, is not meant
    when the city bears the name as its own (class 1, worldwide)."""
    from gazetteer.ranking import Focus, Hit

    city = _place("g:1", "Bigport", "ZZ", 10.0, 10.0, pop=2_000_000)
    town = _place("g:2", "Oldtown", "ZZ", 12.0, 12.0, pop=5_000)
    focus = Focus(frozenset({"ZZ"}), frozenset(), ((12.8, 12.0),))  # ~90 km from the town
    r = _decide("Bigport", [(Hit(city, "exact", "Bigport"), 0.9),
                            (Hit(town, "alias", "Bigport"), 0.5)], focus)
    assert r.place.uid == "g:1"
    assert "alias_beside_notable" in [t for t, _ in r.candidates[1].features]


def test_weak_spelling_variant_away_from_the_report_is_no_answer():
    from gazetteer.ranking import Focus, Hit

    far = _place("g:3", "Borix", "ZZ", 30.0, 30.0, pop=3_000)
    focus = Focus(frozenset({"ZZ"}), frozenset(), ())
    r = _decide("Al Bahrex", [(Hit(far, "variant", "Borix"), 0.3)], focus)
    assert r.status == "unresolved" and r.place is None and r.suggestions
    # a close variant in the focus country still answers
    near = _place("g:4", "Al Bahrix", "ZZ", 30.0, 30.0, pop=3_000)
    r = _decide("Al Bahrex", [(Hit(near, "variant", "Al Bahrix"), 0.3)], focus)
    assert r.status == "resolved" and r.place.uid == "g:4"


def test_near_spelling_needs_the_province_or_the_report_places():
    from gazetteer.ranking import Focus, Hit

    village = _place("g:5", "Qaryatun", "ZZ", 30.0, 30.0, admin1="ZZ.01")
    hit = Hit(village, "fuzzy", "Qaryatun", sim=92.0)
    r = _decide("Qaryatuns", [(hit, 0.2)], Focus(frozenset({"ZZ"}), frozenset(), ()))
    assert r.status == "unresolved"  # the country alone is not enough
    r = _decide("Qaryatuns", [(hit, 0.2)],
                Focus(frozenset({"ZZ"}), frozenset({"ZZ.01"}), ()))
    assert r.status == "resolved" and r.match == "fuzzy" and r.confidence <= 0.5


# ------------------------------------------------- class 7: facilities named after their place
@pytest.mark.parametrize("name,lat,lon", [("Port of Mombasa", -4.05, 39.67),
                                          ("University of Nairobi", -1.28, 36.82),
                                          ("Kinshasa General Hospital", -4.33, 15.31)])
def test_facility_is_placed_at_the_place_it_is_named_after(gz, name, lat, lon):
    r = gz.resolve(name)
    assert r.status in ("resolved", "ambiguous") and r.place is not None
    assert km(r.lat, r.lon, lat, lon) < 25
    assert r.precision == 2 and r.confidence <= 0.6
    assert "named after" in r.reason


def test_facility_named_after_a_small_far_place_is_no_answer(gz):
    # "Golden" is a small town (Colorado): not meant by a landmark of that word elsewhere
    r = gz.resolve("Golden Lotus Hotel")
    assert r.status == "unresolved" and r.place is None


# ------------------------------------------------- countries whose name is also a state
@pytest.mark.parametrize("text,names,cc,kind", [
    ("Storms hit Atlanta and Savannah on Monday; officials in Georgia and Alabama closed roads.",
     ("Atlanta", "Savannah", "Georgia", "Alabama"), "US", "admin1"),
    ("Talks in Tbilisi: Georgia and Armenia signed a deal.", ("Tbilisi", "Georgia", "Armenia"),
     "GE", "country"),
])
def test_georgia_follows_the_report(gz, text, names, cc, kind):
    from gazetteer.documents import Document, resolve_mentions

    spans = [(text.index(w), text.index(w) + len(w)) for w in names]
    res = {r.query: r for r in resolve_mentions(gz, Document("d", text, spans))}
    g = res["Georgia"]
    assert g.place.country == cc and g.place.kind == kind


def test_near_spelling_in_vowels_only_is_supported_by_the_country():
    """Transliterations differ in their vowels ("Khasham" / "Khushām"): the focus country is
    enough for those, not for other near-spellings."""
    from gazetteer.ranking import Focus, Hit

    village = _place("g:6", "Qurbatun", "ZZ", 30.0, 30.0, admin1="ZZ.01")
    focus = Focus(frozenset({"ZZ"}), frozenset(), ())
    r = _decide("Qarbatan", [(Hit(village, "fuzzy", "Qurbatun", sim=91.0), 0.2)], focus)
    assert r.status == "resolved" and r.place.uid == "g:6" and r.match == "fuzzy"
    r = _decide("Qarbatal", [(Hit(village, "fuzzy", "Qurbatun", sim=91.0), 0.2)], focus)
    assert r.status == "unresolved"


def test_direction_word_names_an_area_only_of_a_focus_country(gz):
    r = gz.resolve("South-West", Context(countries=("NG",)))  # Cameroon's region, not Nigeria's
    assert r.place is None and "direction word" in r.reason
    r = gz.resolve("South-West", Context(countries=("CM",)))
    assert r.status == "resolved" and r.place.country == "CM" and r.place.kind == "admin1"


def test_neighbour_by_another_of_its_names_is_outside_focus(gz):
    """With --focus SY, Lebanon's Tripoli by its Arabic name is as likely a Syrian village the
    gazetteer lacks: marked outside_focus; by its own name it answers; without a focus too."""
    sy = Context(countries=("SY",))
    r = gz.resolve("Trablous", sy)
    assert r.status == "outside_focus" and r.place.country == "LB" and r.confidence <= 0.3
    r = gz.resolve("Tyre", sy)
    assert r.status == "resolved" and km(r.lat, r.lon, 33.27, 35.20) < 10
    free = gz.resolve("Trablous")  # Libya's Tripoli bears the name too
    assert free.place is not None and "LB" in {c.place.country for c in free.candidates}


# ---------------------------------------------------------------- historical regions, endonyms
@pytest.mark.parametrize("name,cc,lat,lon", [
    ("Transylvania", "RO", 46.5, 24.5),  # also a county in North Carolina
    ("Dalmatia", "HR", 43.5, 16.4),
    ("Jutland", "DK", 56.2, 9.2),
    ("Manchuria", "CN", 45.0, 126.0),
    ("the Karoo", "ZA", -32.5, 22.5),
])
def test_historical_and_cultural_regions_are_regions(gz, name, cc, lat, lon):
    r = gz.resolve(name)
    assert r.status == "resolved" and r.place.kind in ("region", "plain")
    assert r.place.country == cc and r.precision == 3
    assert km(r.lat, r.lon, lat, lon) < 100


@pytest.mark.parametrize("name,code", [("Steiermark", "AT.06"), ("Catalunya", "ES.56"),
                                       ("Vlaanderen", "BE.VLG"), ("Niedersachsen", "DE.06")])
def test_first_level_areas_answer_to_their_own_language_names(gz, name, code):
    r = gz.resolve(name)
    assert r.status == "resolved" and r.place.kind == "admin1" and r.place.admin1 == code


def test_national_parks_and_natural_landmarks(gz):
    r = gz.resolve("Kruger National Park")
    assert r.status == "resolved" and r.place.kind == "landmark"
    assert km(r.lat, r.lon, -24.0, 31.5) < 100
    d = gz.resolve("Okavango Delta")
    assert d.status == "resolved" and d.place.country == "BW"


@pytest.mark.parametrize("phrase", ["County Cork", "Co. Cork", "Co Cork", "the county of Cork"])
def test_county_first_is_the_county_not_the_city(gz, phrase):
    r = gz.resolve(phrase)
    assert r.status == "resolved" and r.place.kind == "admin2" and r.place.country == "IE"
    assert r.precision == 3 and km(r.lat, r.lon, 51.9, -8.6) < 80
    city = gz.resolve("Cork")
    assert city.place.kind == "populated_place"


@pytest.mark.parametrize("word", ["Atlantic", "Pacific"])
def test_ocean_reaching_the_focus_beats_namesake_towns_and_counties(gz, word):
    """With the United States as focus, the bare ocean name is the ocean (its extent reaches
    the focus), not a small town or an 'X County' read without its generic word."""
    r = gz.resolve(word, Context(countries=("US",)))
    assert r.status == "resolved" and r.place.kind == "region" and not r.place.country
    assert r.precision == 3


def test_extents_overlap_across_the_antimeridian():
    from gazetteer.ranking import _overlaps

    pacific = (120.0, -60.0, -70.0, 60.0)  # west of its east: crosses the antimeridian
    assert _overlaps(pacific, (-125.0, 24.0, -66.0, 49.0))  # the United States
    assert _overlaps(pacific, (129.0, 31.0, 146.0, 46.0))  # Japan
    assert not _overlaps(pacific, (-10.0, 35.0, 30.0, 60.0))  # Europe
    assert not _overlaps((0.0, 0.0, 10.0, 10.0), (0.0, 20.0, 10.0, 30.0))  # apart in latitude


def test_head_and_hint_far_apart_is_no_answer(gz):
    """'X, Y' with both known and hundreds of km apart contradicts itself: neither is the
    other's enclosing place, so there is no answer (never the hint at 'precision 2')."""
    r = gz.resolve("Homs, Qamishli", Context(countries=("SY",)))
    assert r.status == "unresolved" and r.place is None
    assert "apart" in (r.reason or "") and len(r.candidates) == 2
    # An unknown head still takes its enclosing town, at precision 2.
    e = gz.resolve("Zzyqvillage neighbourhood, Qamishli", Context(countries=("SY",)))
    assert e.status == "resolved" and e.precision == 2
    assert km(e.lat, e.lon, 37.05, 41.23) < 15


@pytest.mark.parametrize("name,cc", [("Dahomey", "BJ"), ("Upper Volta", "BF"), ("Persia", "IR"),
                                     ("Nyasaland", "MW")])
def test_former_country_names_are_the_country(gz, name, cc):
    r = gz.resolve(name)
    assert r.status == "resolved" and r.place.kind == "country" and r.place.country == cc


def test_former_name_beats_a_province_of_that_name_unless_the_words_say_province(gz):
    r = gz.resolve("Zaire")  # also a province of Angola
    assert r.place.kind == "country" and r.place.country == "CD"
    p = gz.resolve("Zaire province")
    assert p.place.kind == "admin1" and p.place.country == "AO"


@pytest.mark.parametrize("name", ["USSR", "the Soviet Union", "Yugoslavia"])
def test_dissolved_states_are_regions(gz, name):
    r = gz.resolve(name)
    assert r.status == "resolved" and r.place.kind == "region" and r.precision == 3


def test_sea_holding_the_reports_places_is_near_them(gz):
    """A region or sea whose extent holds the report's places is near them wherever its point
    is, as a province is: beside two Egyptian coast towns, "Red Sea" is the sea, not the
    Egyptian governorate of that name (whose extent holds them too)."""
    out = gz.resolve_many(["Hurghada", "Marsa Alam", "Red Sea"], together=True)
    sea = out[2]
    assert sea.status == "resolved" and sea.place.kind == "region" and not sea.place.country
    assert sea.precision == 3


def test_direction_word_by_a_spelling_of_it_is_still_a_direction_word(gz):
    """'East' is Burkina Faso's province 'Est' only in a report about Burkina Faso; with
    another focus it is no answer at all (not even outside_focus)."""
    r = gz.resolve("East", Context(countries=("KE",)))
    assert r.status == "unresolved" and r.place is None
    b = gz.resolve("East", Context(countries=("BF",)))
    assert b.status == "resolved" and b.place.kind == "admin1" and b.place.country == "BF"


@pytest.mark.parametrize("name,cc,lat,lon", [
    ("Franche-Comté", "FR", 47.1, 6.1),  # a region of France until 2016
    ("Sogn og Fjordane", "NO", 61.5, 6.5),  # a county of Norway until 2020
    ("Kasai-Oriental", "CD", -4.5, 23.6),  # a province of DR Congo until 2015
])
def test_former_first_level_areas_are_regions_of_their_country(gz, name, cc, lat, lon):
    r = gz.resolve(name)
    assert r.status == "resolved" and r.place.kind == "region" and r.place.country == cc
    assert r.precision == 3 and km(r.lat, r.lon, lat, lon) < 100
    assert "former first-level area" in (r.place.note or "")


def test_valley_is_placed_at_the_place_it_is_named_after(gz):
    r = gz.resolve("Bekaa Valley")
    assert r.status == "resolved" and r.place.country == "LB" and r.precision >= 2
    assert "named after" in (r.reason or "") and r.confidence <= 0.6


def test_typo_of_a_world_region_by_any_of_its_names(gz):
    """A near-spelling of a shipped world region answers it, by its own name or an alias, also
    in a report with an area (no town shares those names)."""
    r = gz.resolve("Arabian Peninsular", Context(countries=("SA",)))
    assert r.status == "resolved" and r.match == "fuzzy" and r.place.kind == "region"
    assert r.confidence <= 0.45
