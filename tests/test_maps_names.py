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
