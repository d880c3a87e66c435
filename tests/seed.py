"""The one seed fixture: the incidents the five seed articles report, as :class:`Incident` objects,
turned into the incidents frame by the real builder (:func:`geoevents.frames.incidents_frame`,
which casts through :func:`maps.schema.conform`); a 2018 Euphrates control line with its two
zones; synthetic incidents in any number.

Places carry the gazetteer's own ids and points (Al Mayādīn geonames:173480, Hajīn
geonames:174506, Tadmur/Palmyra geonames:163808, Deir ez-Zor governorate admin1:SY.07, the Badiya
curated:badiya-sy...), so a test that resolves a name and one that reads this fixture agree.
``tests/frames.py`` and ``tests/mapdata.py`` are views of this module for older tests.
"""

from __future__ import annotations

import json
import random
from datetime import date
from typing import Any

from geoevents.model import Casualty, Claim, EventDate, Incident, Location, Source

SOURCES = {
    "000": {"outlet": "The Independent", "published": "2018-05-28",
            "url": "https://www.independent.co.uk/news/world/middle-east/syria-isis-russian-"
                   "soldiers-killed-suprise-attack-deir-ezzor-a8373296.html"},
    "001": {"outlet": "Arab News (AFP)", "published": "2018-05-27", "url": ""},
    "002": {"outlet": "Al Jazeera", "published": "2018-05-27", "url": ""},
    "003": {"outlet": "AsiaNews", "published": "2018-05-28", "url": ""},
    "004": {"outlet": "NDTV (AFP)", "published": "2016-03-19", "url": ""},
}


def _src(key: str, quote: str) -> Source:
    s = SOURCES[key]
    return Source(outlet=s["outlet"], url=s["url"], published=date.fromisoformat(s["published"]),
                  quote=quote)


def _date(start: str, end: str = "", precision: str = "day") -> EventDate:
    return EventDate(start=date.fromisoformat(start), end=date.fromisoformat(end or start),
                     precision=precision)


def _place(written: str, name: str, place_id: str, admin1: str, precision: int, lat: float,
           lon: float, kind: str) -> Location:
    return Location(written=written, name=name, place_id=place_id, country="SY", admin1=admin1,
                    lat=lat, lon=lon, precision=precision, kind=kind)


def _killed(side: str, low: int, best: int, high: int, source: str, quote: str,
            **kw: Any) -> Casualty:
    return Casualty(kind="killed", side=side, low=low, best=best, high=high, source=source,
                    quote=quote, **kw)


def seed_incidents() -> list[Incident]:
    """The seven incidents of the seed articles, with their figures, claims and sources."""
    return [
        Incident(
            id="inc-mayadeen", date=_date("2018-05-23"), event_type="Battles",
            sub_event_type="Armed clash",
            location=_place("near the town of Mayadeen", "Al Mayādīn", "geonames:173480",
                            "Deir ez-Zor", 2, 35.01982, 40.45154, "populated_place"),
            actor1="Islamic State", actor2="Syrian government forces",
            assoc_actors=["Russian forces"], assoc_side={"Russian forces": 2},
            casualties=[
                _killed("pro-government forces", 35, 35, 35, "SOHR",
                        "35 pro-government forces killed, including at least nine Russians",
                        party="B"),
                _killed("Russian forces", 4, 4, 9, "Russian defence ministry",
                        "four Russian servicemen were killed", party="B",
                        part_of="pro-government forces"),
                Casualty(kind="wounded", side="Russian forces", low=5, best=5, high=5,
                         source="Russian defence ministry", quote="five were wounded",
                         party="B"),
                _killed("Islamic State", 43, 43, 43, "Russian defence ministry",
                        "43 attackers were killed", party="A"),
            ],
            sources=[
                _src("000", "Four Russian soldiers have been killed in a surprise attack by "
                     "Isis militants in Syria"),
                _src("001", "35 pro-government forces killed"),
                _src("002", "the attack near the town of Mayadeen"),
                _src("003", "Four Russian soldiers killed"),
            ],
            notes="IS attack on pro-government positions; Russian deaths low 4, high 9."),
        Incident(
            id="inc-homs-desert", date=_date("2018-05-22"), event_type="Battles",
            sub_event_type="Armed clash",
            # a region: the point is where the report puts it, not the region's centre
            location=_place("the Homs desert", "Badiya", "curated:badiya-sy", "Homs", 3,
                            34.55, 37.9, "desert"),
            actor1="Islamic State", actor2="Syrian government forces",
            casualties=[_killed("regime forces", 26, 26, 26, "SOHR", "26 regime forces killed")],
            sources=[_src("001", "an attack in the Homs desert on Tuesday killed 26 regime "
                          "forces")]),
        Incident(
            id="inc-deir-night", date=_date("2018-05-26", "2018-05-27", "range"),
            event_type="Battles", sub_event_type="Armed clash",
            location=_place("Deir ez-Zor province", "Deir ez-Zor", "admin1:SY.07",
                            "Deir ez-Zor", 3, 35.2, 40.2, "admin1"),
            actor1="Islamic State", actor2="pro-regime forces",
            casualties=[_killed("pro-regime forces", 11, 11, 11, "SOHR",
                                "two attacks overnight killed 11")],
            sources=[_src("001", "two attacks overnight killed 11")]),
        Incident(
            id="inc-hmeimim", date=_date("2018-03-01", "2018-03-31", "month"),
            event_type="Strategic developments", sub_event_type="Other",
            location=_place("the Hmeimim air base", "Hmeimim Air Base",
                            "curated:hmeimim-air-base-sy", "Latakia", 1, 35.401, 35.949,
                            "military_base"),
            actor1="Russian forces",
            casualties=[_killed("Russian forces", 39, 39, 39, "Russian defence ministry",
                                "a transport plane crashed at Hmeimim, killing 39")],
            sources=[_src("001", "a transport plane crashed at Hmeimim, killing 39")],
            notes="Transport plane crash on landing."),
        Incident(
            id="inc-hajin", date=_date("2018-05-24"), event_type="Explosions/Remote violence",
            sub_event_type="Air/drone strike",
            location=_place("Hajin", "Hajīn", "geonames:174506", "Deir ez-Zor", 1, 34.69508,
                            40.83138, "populated_place"),
            actor1="Iraqi air force", actor2="Islamic State",
            sources=[_src("003", "Iraqi F-16s struck Hajin on Thursday")]),
        Incident(
            id="inc-palmyra-halabat", date=_date("2016-03-16", "2016-03-17", "range"),
            event_type="Battles", sub_event_type="Armed clash",
            location=_place("Qasr al-Halabat west of Palmyra", "Qasr al-Halabat",
                            "curated:qasr-al-halabat-sy", "Homs", 1, 34.37, 38.17, "site"),
            actor1="Islamic State", actor2="Russian forces",
            casualties=[_killed("Russian forces", 4, 4, 4, "Islamic State (Aamaq)",
                                "IS said through its Aamaq agency it had killed four Russian "
                                "soldiers")],
            claims=[Claim(claimant="Islamic State (Aamaq)", claim="four Russian soldiers killed",
                          not_confirmed_by=["SOHR", "Kremlin"])],
            sources=[_src("004", "IS said through its Aamaq agency it had killed four Russian "
                          "soldiers")],
            notes="Claimed by IS through Aamaq; not confirmed."),
        Incident(
            id="inc-palmyra-dawa", date=_date("2016-03-16", "2016-03-17", "range"),
            event_type="Battles", sub_event_type="Armed clash",
            location=_place("the Dawa area", "Tadmur", "geonames:163808", "Homs", 2, 34.5624,
                            38.28402, "populated_place"),
            actor1="Islamic State", actor2="Russian forces",
            casualties=[_killed("Russian forces", 1, 1, 1, "Russian defence ministry",
                                "a military adviser in the Dawa area")],
            sources=[_src("004", "a military adviser in the Dawa area")]),
    ]


def seed_rows() -> list[dict[str, Any]]:
    """The frame rows of :func:`seed_incidents` (what the frame builder writes)."""
    from geoevents.frames import incident_row

    return [incident_row(i) for i in seed_incidents()]


def incidents_frame(rows: list[dict[str, Any]] | None = None):
    """The seed incidents through the real builder; ``rows`` (frame rows, e.g. edited copies of
    :func:`seed_rows` or :func:`synthetic_rows`) cast by :func:`maps.schema.conform`."""
    import geopandas as gpd
    import pandas as pd

    from geoevents.frames import incidents_frame as build
    from maps.schema import conform

    if rows is None:
        return build(seed_incidents())
    df = pd.DataFrame(rows)
    return conform(gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]),
                                    crs=4326), "incidents")


# The Euphrates from Tabqa to Al-Bukamal (approximate river course) -- west/right bank:
# government and Russia; east/left bank: SDF and the coalition.
EUPHRATES = [(38.55, 35.84), (38.80, 35.93), (39.01, 35.94), (39.40, 35.83), (39.75, 35.62),
             (40.05, 35.40), (40.14, 35.34), (40.30, 35.20), (40.45, 35.03), (40.60, 34.90),
             (40.75, 34.70), (40.92, 34.46)]


def control_frames(valid_from: str = "2017-09-01", valid_to: str = "2019-03-23",
                   width_km: float = 40.0):
    """(LINES, ZONES): the Euphrates line and a zone ``width_km`` wide on each bank."""
    import geopandas as gpd
    import shapely
    from pyproj import Transformer
    from shapely.geometry import LineString

    from maps.schema import conform

    line = LineString(EUPHRATES)
    lines = gpd.GeoDataFrame([{
        "id": "euphrates-2018", "name": "Euphrates de-confliction line 2018", "kind": "river",
        "river": "Euphrates", "party_left": "SDF and coalition",
        "party_right": "Government and Russia", "side_left": "east", "side_right": "west",
        "color_left": "#e6b800", "color_right": "#c0392b", "color": "#1f3b73",
        "valid_from": valid_from, "valid_to": valid_to,
    }], geometry=[line], crs=4326)
    fwd = Transformer.from_crs(4326, 32637, always_xy=True).transform
    back = Transformer.from_crs(32637, 4326, always_xy=True).transform

    def transform(f, g):
        return shapely.transform(g, lambda x, y: f(x, y), interleaved=False)

    proj = transform(fwd, line)
    # Looking downstream (south-east), the left bank is to the north-east.
    left = transform(back, proj.buffer(width_km * 1000, single_sided=True))
    right = transform(back, proj.buffer(-width_km * 1000, single_sided=True))
    zones = gpd.GeoDataFrame([
        {"id": "euphrates-2018-left", "line_id": "euphrates-2018", "party": "SDF and coalition",
         "bank": "left", "side": "east", "color": "#e6b800", "valid_from": valid_from,
         "valid_to": valid_to, "width_km": width_km},
        {"id": "euphrates-2018-right", "line_id": "euphrates-2018",
         "party": "Government and Russia", "bank": "right", "side": "west", "color": "#c0392b",
         "valid_from": valid_from, "valid_to": valid_to, "width_km": width_km},
    ], geometry=[left, right], crs=4326)
    return conform(lines, "lines"), conform(zones, "zones")


OUTLETS = ["SOHR", "Reuters", "AFP", "Enab Baladi", "Deir Ezzor 24", "SANA", "ANHA",
           "Airwars", "Al Jazeera", "The Independent", "AsiaNews", "Arab News"]
EVENTS = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
          "Riots", "Strategic developments"]


def synthetic_rows(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """``n`` plausible incidents over Syria and Iraq, 2017-2019, with one or two sources each."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        lat = round(rng.uniform(32.5, 37.0), 5)
        lon = round(rng.uniform(35.8, 44.5), 5)
        day = rng.randrange(0, 3 * 365)
        y, rest = 2017 + day // 365, day % 365
        m, d = 1 + rest // 31 % 12, 1 + rest % 28
        ds = f"{y}-{m:02d}-{d:02d}"
        best = rng.choice([None, 0, 1, 2, 3, 5, 8, 12, 20, 35, 60])
        nsrc = rng.choice([1, 1, 2])
        srcs = [{"outlet": rng.choice(OUTLETS), "url": f"https://example.org/r/{i}-{k}",
                 "published": ds, "quote": f"Report {i}: clashes near village {i % 997}"}
                for k in range(nsrc)]
        rows.append({
            "id": f"inc-{i:07d}", "date_start": ds, "date_end": ds, "date_precision": "day",
            "event_type": rng.choice(EVENTS), "sub_event_type": "Armed clash",
            "place": f"village {i % 997}", "place_resolved": f"Village {i % 997}",
            "place_id": f"geonames:{100000 + i % 997}", "country": "SY",
            "admin1": "Deir ez-Zor", "geo_precision": rng.choice([1, 1, 1, 2, 3]),
            "lat": lat, "lon": lon, "actor1": "Islamic State", "actor2": "SDF",
            "assoc_actors": "", "fatalities_low": best, "fatalities_best": best,
            "fatalities_high": best, "wounded_best": None,
            "casualties_json": "[]", "claims_json": "[]", "sources_json": json.dumps(srcs),
            "sources": "; ".join(s["outlet"] for s in srcs), "source_count": nsrc, "notes": "",
        })
    return rows
