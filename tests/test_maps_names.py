"""Display names: one rule for the map, the image, the briefing and exports' labels."""

from __future__ import annotations

import pytest

from maps.names import country_name, display_name, fold, report_spelling


@pytest.mark.parametrize("written, resolved, pid, extra, shown", [
    # an English exonym (Natural Earth's NAME_EN) comes first
    ("Dayr az-Zawr", "Dayr az Zawr", "geonames:1", {"exonyms": {"geonames:1": "Deir ez-Zor"}},
     "Deir ez-Zor"),
    # the report's own spelling when it differs from the gazetteer's romanisation
    ("near the town of Mayadeen", "Al Mayādīn", "geonames:2", {}, "Mayadeen"),
    # ... also when the report used another name of the place (an alias in the gazetteer)
    ("clashes in Palmyra", "Tadmur", "geonames:3", {"aliases": {"geonames:3": frozenset({"palmyra"})}},
     "Palmyra"),
    # the same spelling with marks: the gazetteer's name without the marks
    ("Hajin", "Hajīn", "geonames:4", {}, "Hajin"),
    ("", "Al ‘Ashārah", "geonames:5", {}, "Al Asharah"),
    # a curated English name stays as it is
    ("Deir Ezzor", "Deir ez-Zor", "admin1:SY.07", {}, "Deir ez-Zor"),
    # a phrase that names another place: the resolved place
    ("the Dawa area", "Palmyra", "geonames:6", {}, "Palmyra"),
    # nothing resolved: the report's text
    ("somewhere", "", "", {}, "somewhere"),
])
def test_display_name(written, resolved, pid, extra, shown) -> None:
    assert display_name(written, resolved, pid, **extra) == shown


def test_fold_keeps_names_written_in_their_own_alphabet() -> None:
    assert fold("Al Mayādīn") == "Al Mayadin"
    assert fold("Mūḩ Ḩasan") == "Muh Hasan"
    for name in ("Elazığ", "Zürich", "São Paulo", "دير الزور"):
        assert fold(name) == name


def test_report_spelling_needs_a_real_match() -> None:
    assert report_spelling("west of Palmyra", "Qasr al-Halabat") is None
    assert report_spelling("Qasr al-Halabat west of Palmyra", "Qasr al-Halabat") == "Qasr al-Halabat"
    assert country_name("SY") == "Syria" and country_name("") == ""


def test_fold_knows_romanisations_by_country() -> None:
    from maps.names import fold

    assert fold("Al Buşayrah", "SY") == "Al Busayrah"  # a mark of the romanisation of Arabic
    assert fold("Kahramanmaraş", "TR") == "Kahramanmaraş"  # a letter of Turkish
    assert fold("Kahramanmaraş") == "Kahramanmaraş"
    assert fold("Al Mayādīn") == "Al Mayadin"


def test_natural_earth_gives_exonyms_only_from_its_english_names() -> None:
    """Natural Earth's NAME_EN (or the shipped table) is an exonym; a place's local NAME, where
    NAME_EN is empty, only labels Natural Earth's own point; the shipped table wins over
    NAME_EN ("Tadmur" -> "Palmyra")."""
    import geopandas as gpd
    from shapely.geometry import Point

    from maps.basemap import prepare

    places = gpd.GeoDataFrame(
        {"NAME": ["Trablous", "Dayr az Zawr", "Tadmur"], "NAME_EN": [None, "Deir ez-Zor", "Tadmur"],
         "GEONAMEID": [900001.0, 170794.0, 163808.0], "POP_MAX": [1e6, 3e5, 5e4],
         "SCALERANK": [3, 5, 7], "ADM0CAP": [0, 0, 0]},
        geometry=[Point(35.85, 34.44), Point(40.14, 35.33), Point(38.28, 34.56)], crs=4326)
    base = prepare(bounds=(34.0, 33.0, 42.0, 36.5), places=places)
    assert base.exonyms == {"geonames:170794": "Deir ez-Zor", "geonames:163808": "Palmyra"}
    assert {lab[2] for lab in base.labels} == {"Trablous", "Deir ez-Zor", "Palmyra"}
    assert display_name("Trablous", "Trablus", "geonames:900001", base.exonyms) == "Trablous"
