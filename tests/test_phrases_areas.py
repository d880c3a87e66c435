"""Place phrases as articles write them: provinces and regions (area-level, precision 3, a point
inside the area) and relative locations (computed on the ellipsoid from the anchor, precision 2,
the phrase kept).  The article extractor calls Gazetteer.resolve(phrase, Context(...)) and
Gazetteer.resolve_document(phrases, Context(...)) with phrases like these."""

from __future__ import annotations

import json

import pytest

from gazetteer import Context, Resolution, relative

from .geo import km

SY = Context(countries=("SY",))
TADMUR = (34.5624, 38.28402)
MAYADIN = (35.02048, 40.45168)
DEIR = (35.33588, 40.14084)
HAJIN = (34.69508, 40.83088)
SUSAH = (34.53366, 40.95819)  # As Sūsah, GeoNames 172415


@pytest.fixture(scope="module")
def syr_polygons(shared):
    """Syria's governorates (geoBoundaries): name -> shapely polygon."""
    from shapely.geometry import shape

    data = json.loads((shared / "admin" / "syr_adm1_geoboundaries.geojson").read_text())
    return {f["properties"]["shapeName"]: shape(f["geometry"]) for f in data["features"]}


def _inside(polys, name_part: str, lat: float, lon: float) -> bool:
    from shapely.geometry import Point

    poly = next(p for n, p in polys.items() if name_part.lower() in n.lower())
    return poly.covers(Point(lon, lat))


@pytest.mark.parametrize(("phrase", "governorate"), [
    ("Deir ez-Zor province", "Deir"),
    ("Deir Ezzor province", "Deir"),
    ("the eastern province of Deir Ezzor", "Deir"),
    ("Homs governorate", "Homs"),
    ("the desert of Homs province", "Homs"),
    ("desert areas of the neighbouring province of Homs", "Homs"),
    ("Aleppo countryside", "Aleppo"),
    ("northern Aleppo countryside", "Aleppo"),
    ("Raqqa governorate", "Raqqa"),
])
def test_province_phrases_are_areas_with_a_point_inside(gz, syr_polygons, phrase, governorate):
    r = gz.resolve(phrase, SY)
    assert r.status == "resolved", (phrase, r.reason)
    assert r.precision == 3
    assert r.relation in ("area", "sector") or r.place.kind == "admin1"
    assert r.place.kind in ("admin1", "region")
    assert _inside(syr_polygons, governorate, r.lat, r.lon), (phrase, r.lat, r.lon)


def test_the_area_word_decides_between_the_city_and_its_province(gz):
    city = gz.resolve("Deir ez-Zor", SY)
    area = gz.resolve("Deir ez-Zor province", SY)
    assert city.place.kind == "populated_place" and city.precision == 1
    assert area.place.kind == "admin1" and area.precision == 3
    assert km(city.lat, city.lon, area.lat, area.lon) > 20
    assert gz.resolve("Homs", SY).place.kind == "populated_place"
    assert gz.resolve("Homs governorate", SY).place.kind == "admin1"


def test_sectors_lie_in_the_right_part_of_the_area(gz, syr_polygons):
    east = gz.resolve("eastern Syria")
    assert east.status == "resolved" and east.precision == 3 and east.relation == "sector"
    assert east.lon > 39.5 and east.place.country == "SY"  # Syria spans 35.7..42.4 E
    west = gz.resolve("western Syria")
    assert west.lon < 37.0
    north = gz.resolve("northern Aleppo countryside", SY)
    whole = gz.resolve("Aleppo countryside", SY)
    assert north.lat > whole.lat + 0.2
    assert _inside(syr_polygons, "Aleppo", north.lat, north.lon)
    assert north.anchors and north.anchors[0].kind == "admin1"


def test_offset_is_computed_on_the_ellipsoid_from_the_anchor(gz):
    r = gz.resolve("20 km west of Palmyra", SY)
    assert r.status == "resolved" and r.precision == 2
    assert r.relation == "offset" and r.phrase == "20 km west of Palmyra"
    assert r.anchors[0].uid == "geonames:163808"  # Tadmur
    assert km(r.lat, r.lon, *TADMUR) == pytest.approx(20, abs=0.05)
    assert r.lat == pytest.approx(TADMUR[0], abs=0.01) and r.lon < TADMUR[1]
    assert r.offset_km == 20 and r.bearing_deg == 270
    r = gz.resolve("some 30 kilometres north-east of Deir Ezzor", SY)
    assert km(r.lat, r.lon, *DEIR) == pytest.approx(30, abs=0.05)
    assert relative.bearing(DEIR, (r.lat, r.lon)) == pytest.approx(45, abs=0.5)
    r = gz.resolve("5 miles south of Mayadeen", SY)
    a = r.anchors[0]
    assert km(r.lat, r.lon, a.lat, a.lon) == pytest.approx(8.047, abs=0.01)
    assert r.lat < a.lat
    d = r.to_dict()
    assert d["relation"] == "offset" and d["anchors"][0]["id"] == "geonames:173480"


def test_near_outskirts_and_between(gz):
    r = gz.resolve("near the town of Mayadeen", SY)
    assert r.status == "resolved" and r.precision == 2 and r.relation == "near"
    assert km(r.lat, r.lon, *MAYADIN) < 5 and r.phrase == "near the town of Mayadeen"
    r = gz.resolve("the outskirts of Deir Ezzor", SY)
    assert r.precision == 2 and r.relation == "outskirts" and km(r.lat, r.lon, *DEIR) < 5
    r = gz.resolve("between Hajin and al-Susah", SY)
    assert r.status == "resolved" and r.precision == 2 and r.relation == "between"
    assert [a.uid for a in r.anchors] == ["geonames:174506", r.anchors[1].uid]
    a, b = (r.anchors[0].lat, r.anchors[0].lon), (r.anchors[1].lat, r.anchors[1].lon)
    assert km(*b, *SUSAH) < 5
    assert km(r.lat, r.lon, *a) == pytest.approx(km(r.lat, r.lon, *b), abs=0.01)
    assert km(r.lat, r.lon, *a) == pytest.approx(km(*a, *b) / 2, abs=0.01)


def test_a_named_place_beside_an_anchor(gz):
    r = gz.resolve("Qasr al-Halabat west of Palmyra")
    assert r.status == "resolved" and r.place.country == "SY"
    assert km(r.lat, r.lon, 34.37, 38.17) < 5 and r.precision == 1
    assert r.relation == "named" and r.anchors[0].uid == "geonames:163808"
    # an unknown place beside a known one is not placed at the anchor
    r = gz.resolve("Qzxville west of Palmyra", SY)
    assert r.status == "unresolved"


@pytest.mark.parametrize(("phrase", "where", "precision", "within"), [
    ("near the town of Mayadeen", MAYADIN, 2, 5),
    ("the eastern province of Deir Ezzor", (34.96, 40.48), 3, 60),
    ("Deir Ezzor province", (34.96, 40.48), 3, 60),
    ("desert areas of the neighbouring province of Homs", (34.54, 38.91), 3, 60),
    ("Qasr al-Halabat west of Palmyra", (34.37, 38.17), 1, 5),
    ("the Dawa area", (34.56, 38.22), 2, 5),
    ("Hmeimim air base", (35.40, 35.95), 1, 5),
    ("eastern Syria", (35.3, 40.5), 3, 200),
    ("the Badiya", (34.5, 38.9), 3, 100),
])
def test_phrases_the_article_extractor_sends(gz, phrase, where, precision, within):
    ctx = Context(countries=("SY",), mentions=("Palmyra", "Deir Ezzor"))
    r = gz.resolve(phrase, ctx)
    assert isinstance(r, Resolution)
    assert r.status == "resolved", (phrase, r.reason)
    assert km(r.lat, r.lon, *where) < within, (phrase, r.place)
    assert r.precision == precision, (phrase, r.precision)
    assert r.query == phrase


def test_resolve_document_with_phrases(gz):
    phrases = ["Palmyra", "20 km west of Palmyra", "Qasr al-Halabat", "Deir Ezzor province",
               "near the town of Mayadeen", "eastern Syria", "the Badiya"]
    out = gz.resolve_document(phrases, Context())
    assert [r.status for r in out] == ["resolved"] * len(phrases)
    assert {r.place.country for r in out} == {"SY"}
    assert out[0].place.uid == "geonames:163808"
    assert km(out[1].lat, out[1].lon, *TADMUR) == pytest.approx(20, abs=0.1)
    assert km(out[2].lat, out[2].lon, 34.37, 38.17) < 5
    assert out[3].precision == 3 and out[4].precision == 2


def test_standalone_relative_api():
    p = relative.parse("20 km west of Palmyra")
    assert (p.relation, p.names, p.bearing, p.distance_km) == ("offset", ("Palmyra",), 270, 20)
    assert relative.parse("between Hajin and al-Susah").names == ("Hajin", "al-Susah")
    assert relative.parse("northern Aleppo countryside").sector == "north"
    assert relative.parse("the eastern province of Deir Ezzor").sector is None
    assert relative.parse("Palmyra") is None
    lat, lon = relative.offset(34.0, 38.0, 10, 90)
    assert km(34.0, 38.0, lat, lon) == pytest.approx(10, abs=0.001)
    m = relative.midpoint((34.0, 38.0), (35.0, 40.0))
    assert km(34.0, 38.0, *m) == pytest.approx(km(35.0, 40.0, *m), abs=0.001)


def test_phrases_do_not_hide_real_names(gz):
    # names that look like sectors or areas are names first
    assert gz.resolve("South Africa").place.kind == "country"
    assert gz.resolve("Eastern Ghouta", SY).place.uid.startswith("curated:")
    r = gz.resolve("West Virginia")
    assert r.place.country == "US" and r.place.kind == "admin1"
