"""Frames in the :mod:`maps.schema` layout built by hand for the export tests and benchmarks.

The incidents are the ones the seed articles report (Deir ez-Zor and the Syrian desert, 2016 and
2018), with the figures and sources those articles give; the control line is a simplified trace
of the Euphrates from Tabqa to Al-Bukamal (a few vertices on the river), with the 2018 parties.
"""

from __future__ import annotations

import json
from typing import Any

from maps.schema import INCIDENT_COLUMNS

SOHR = {"outlet": "The Independent", "url": "https://www.independent.co.uk/news/world/"
        "middle-east/syria-russia-isis-attack-deir-ezzor-a8370431.html",
        "published": "2018-05-27",
        "quote": "35 pro-government forces killed, including at least nine Russians"}
AFP = {"outlet": "Arab News", "url": "https://www.arabnews.com/node/1310471/middle-east",
       "published": "2018-05-27", "quote": "four Russian servicemen were killed"}
AJ = {"outlet": "Al Jazeera", "url": "https://www.aljazeera.com/news/2018/5/27/"
      "russia-says-four-soldiers-killed-in-syria-attack", "published": "2018-05-27",
      "quote": "43 attackers were killed"}
ASIA = {"outlet": "AsiaNews", "url": "http://www.asianews.it/news-en/"
        "Russian-soldiers-killed-near-Palmyra-36991.html", "published": "2016-03-18",
        "quote": "four Russian soldiers were killed at Qasr al-Halabat, west of Palmyra"}


def _sources(items: list[dict[str, str]]) -> tuple[str, str, int]:
    readable = "; ".join(f"{s['outlet']} ({s['published']})" for s in items)
    return json.dumps(items, ensure_ascii=False), readable, len(items)


def _incident(**kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {c: "" for c in INCIDENT_COLUMNS}
    row.update({"date_precision": "day", "geo_precision": 1, "fatalities_low": None,
                "fatalities_best": None, "fatalities_high": None, "wounded_best": None,
                "casualties_json": "[]", "claims_json": "[]", "country": "SY"})
    srcs = kw.pop("srcs", [])
    row["sources_json"], row["sources"], row["source_count"] = _sources(srcs)
    row.update(kw)
    if not row["date_end"]:
        row["date_end"] = row["date_start"]
    return row


def incident_rows() -> list[dict[str, Any]]:
    casualties = [
        {"side": "pro-government forces", "kind": "killed", "low": 35, "best": 35,
         "high": 35, "source": "SOHR", "quote": SOHR["quote"]},
        {"side": "Russian forces", "kind": "killed", "low": 4, "best": 4, "high": 9,
         "source": "Russian defence ministry", "quote": AFP["quote"]},
        {"side": "Islamic State", "kind": "killed", "low": 43, "best": 43, "high": 43,
         "source": "Russian defence ministry", "quote": AJ["quote"]},
        {"side": "Russian forces", "kind": "wounded", "low": 5, "best": 5, "high": 5,
         "source": "Russian defence ministry", "quote": "five were wounded"},
    ]
    return [
        _incident(id="inc-5c0a7e21d4", date_start="2018-05-23", event_type="Battles",
                  sub_event_type="Armed clash", place="near the town of Mayadeen",
                  place_resolved="Al Mayādīn", place_id="geonames:170794",
                  admin1="Deir ez-Zor", lat=35.01982, lon=40.45154, actor1="Islamic State",
                  actor2="Syrian government forces", assoc_actors="Russian forces",
                  fatalities_low=47, fatalities_best=78, fatalities_high=78, wounded_best=5,
                  casualties_json=json.dumps(casualties, ensure_ascii=False),
                  srcs=[SOHR, AFP, AJ],
                  notes="IS attack on pro-government positions; Russian deaths low 4, high 9."),
        _incident(id="inc-91d3b6f0a2", date_start="2018-05-22", event_type="Battles",
                  sub_event_type="Attack", place="Homs desert", place_resolved="Badiya",
                  admin1="Homs", geo_precision=3, lat=34.55, lon=38.28,
                  actor1="Islamic State", actor2="Syrian government forces",
                  fatalities_low=26, fatalities_best=26, fatalities_high=26, srcs=[AFP]),
        _incident(id="inc-2f7c44e9b1", date_start="2018-05-26", date_end="2018-05-27",
                  date_precision="range", event_type="Battles", sub_event_type="Attack",
                  place="Deir ez-Zor province", place_resolved="Deir ez-Zor",
                  place_id="geonames:170794", admin1="Deir ez-Zor", geo_precision=3,
                  lat=35.33588, lon=40.14084, actor1="Islamic State",
                  actor2="Syrian government forces", fatalities_low=11, fatalities_best=11,
                  fatalities_high=11, srcs=[AFP]),
        _incident(id="inc-7a19c0d3e5", date_start="2018-03-01", date_end="2018-03-31",
                  date_precision="month", event_type="Strategic developments",
                  sub_event_type="Other", place="Hmeimim air base",
                  place_resolved="Hmeimim Air Base", admin1="Latakia", lat=35.40108,
                  lon=35.94869, actor1="Russian forces", fatalities_low=39,
                  fatalities_best=39, fatalities_high=39, srcs=[AFP],
                  notes="Transport plane crash on landing."),
        _incident(id="inc-c4e8a2b7f9", date_start="2018-05-24",
                  event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
                  place="Hajin", place_resolved="Hajīn", place_id="geonames:169063",
                  admin1="Deir ez-Zor", lat=34.69347, lon=40.83145,
                  actor1="Iraqi air force", actor2="Islamic State", srcs=[AJ]),
        _incident(id="inc-e0b5d9c1a8", date_start="2016-03-16", date_end="2016-03-17",
                  date_precision="range", event_type="Battles", sub_event_type="Armed clash",
                  place="Qasr al-Halabat, west of Palmyra", place_resolved="Qasr al-Halabat",
                  admin1="Homs", geo_precision=2, lat=34.5672, lon=38.1701,
                  actor1="Islamic State", actor2="Russian forces", fatalities_low=4,
                  fatalities_best=4, fatalities_high=5, srcs=[ASIA],
                  claims_json=json.dumps([{"claimant": "Islamic State (Aamaq)",
                                           "claim": "killed four Russian soldiers",
                                           "confirmed_by": [],
                                           "not_confirmed_by": ["SOHR", "Kremlin"],
                                           "independent": False}]),
                  notes="Claimed by IS through Aamaq; not confirmed."),
    ]


def incidents_frame(rows: list[dict[str, Any]] | None = None) -> Any:
    import geopandas as gpd
    import pandas as pd

    table = pd.DataFrame(rows if rows is not None else incident_rows(),
                         columns=list(INCIDENT_COLUMNS))
    for c in ("fatalities_low", "fatalities_best", "fatalities_high", "wounded_best"):
        table[c] = table[c].astype("Int64")
    return gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(table["lon"], table["lat"]),
                            crs=4326)


# The Euphrates, upstream to downstream, Tabqa -> Deir ez-Zor -> Mayadin -> Al-Bukamal.
EUPHRATES = [(38.55, 35.87), (39.02, 35.94), (39.55, 35.72), (40.06, 35.38), (40.18, 35.30),
             (40.45, 35.01), (40.70, 34.80), (40.92, 34.46)]


def lines_frame() -> Any:
    import geopandas as gpd
    from shapely.geometry import LineString

    return gpd.GeoDataFrame({
        "id": ["euphrates-2018"], "name": ["Euphrates de-confliction line 2018"],
        "kind": ["river"], "river": ["Euphrates"],
        "party_left": ["SDF and US-led coalition"],
        "party_right": ["Syrian government and Russia"], "side_left": ["east"],
        "side_right": ["west"], "color_left": ["#f1c40f"], "color_right": ["#c0392b"],
        "color": ["#1f618d"], "valid_from": ["2017-09-01"], "valid_to": ["2019-03-23"],
    }, geometry=[LineString(EUPHRATES)], crs=4326)


def zones_frame() -> Any:
    import geopandas as gpd
    from shapely.geometry import LineString

    river = LineString(EUPHRATES)
    left = river.buffer(0.25, single_sided=True)  # left of the direction of travel
    right = river.buffer(-0.25, single_sided=True)
    return gpd.GeoDataFrame({
        "id": ["euphrates-2018-left", "euphrates-2018-right"],
        "line_id": ["euphrates-2018", "euphrates-2018"],
        "party": ["SDF and US-led coalition", "Syrian government and Russia"],
        "bank": ["left", "right"], "side": ["east", "west"], "color": ["#f1c40f", "#c0392b"],
        "valid_from": ["2017-09-01", "2017-09-01"], "valid_to": ["2019-03-23", "2019-03-23"],
        "width_km": [25.0, 25.0],
    }, geometry=[left, right], crs=4326)
