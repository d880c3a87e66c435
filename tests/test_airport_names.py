"""Airports and air bases by the names reports use: the distinctive name alone ("Incirlik",
"Heathrow Airport", "Kuweires airport"), never the city's own name."""

from __future__ import annotations

import pytest

from gazetteer.airports import distinctive, names_for

from .geo import km


@pytest.mark.parametrize(("name", "city", "military", "want"), [
    ("Incirlik Air Base", "Adana", True, "Incirlik"),
    ("London Heathrow Airport", "London", False, "Heathrow"),
    ("Washington Dulles International Airport", "Washington", False, "Dulles"),
    ("Ben Gurion International Airport", "Tel Aviv", False, "Ben Gurion"),
    ("Denver International Airport", "Denver", False, None),  # the city's name
    ("Frankfurt am Main Airport", "Frankfurt-am-Main", False, None),
    ("Bagram Air Base", "Bagram", True, "Bagram"),  # a base keeps its town's name
    ("Kuweires Air Base", "", True, "Kuweires"),
    ("Airport 7", "", False, None),  # nothing distinctive left
])
def test_distinctive_name(name, city, military, want):
    assert distinctive(name, city, military=military) == want


def test_a_base_is_named_as_reports_name_it():
    names = names_for("Kuweires Air Base", "", military=True)
    assert {"Kuweires", "Kuweires airport", "Kuweires airbase"} <= set(names)
    assert "Denver" not in names_for("Denver International Airport", "Denver")


def test_bases_and_airports_resolve_by_their_distinctive_name(gz):
    for query, lat, lon in [("Incirlik", 37.00, 35.43), ("Kuweires", 36.19, 37.58),
                            ("Kuweires airport", 36.19, 37.58), ("Tiyas", 34.52, 37.63),
                            ("Heathrow Airport", 51.47, -0.46)]:
        r = gz.resolve(query)
        assert r.place is not None and r.place.kind in ("airport", "military_base"), query
        assert km(r.lat, r.lon, lat, lon) < 5, (query, r.place)
    # A town that bears the name as its own still outranks a field's alias.
    r = gz.resolve("Adana")
    assert r.place.kind == "populated_place"
