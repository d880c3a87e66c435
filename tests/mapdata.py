"""Frames in the maps.schema layout for map tests: the seed incidents (values as the incidents
issue specifies them), a 2018 Euphrates control line and its two zones, and synthetic incidents
in any number."""

from __future__ import annotations

import json
import random
from typing import Any

SOURCES = {
    "000": {"outlet": "The Independent", "published": "2018-05-28",
            "url": "https://www.independent.co.uk/news/world/middle-east/syria-isis-russian-soldiers-killed-suprise-attack-deir-ezzor-a8373296.html"},
    "001": {"outlet": "Arab News (AFP)", "published": "2018-05-27", "url": ""},
    "002": {"outlet": "Al Jazeera", "published": "2018-05-27", "url": ""},
    "003": {"outlet": "AsiaNews", "published": "2018-05-28", "url": ""},
    "004": {"outlet": "NDTV (AFP)", "published": "2016-03-19", "url": ""},
}


def _src(key: str, quote: str) -> dict[str, str]:
    return {**SOURCES[key], "quote": quote}


def _row(**kw: Any) -> dict[str, Any]:
    base = {
        "sub_event_type": "", "place_id": "", "country": "SY", "admin1": "", "geo_precision": 1,
        "actor2": "", "assoc_actors": "", "fatalities_low": None, "fatalities_best": None,
        "fatalities_high": None, "wounded_best": None, "casualties_json": "[]",
        "claims_json": "[]", "notes": "",
    }
    base.update(kw)
    srcs = json.loads(base["sources_json"])
    base["sources"] = "; ".join(f"{s['outlet']} ({s['published']})" for s in srcs)
    base["source_count"] = len(srcs)
    base["date_end"] = base.get("date_end") or base["date_start"]
    return base


def seed_rows() -> list[dict[str, Any]]:
    return [
        _row(id="inc-mayadeen", date_start="2018-05-23", date_precision="day",
             event_type="Battles", sub_event_type="Armed clash",
             place="near the town of Mayadeen", place_resolved="Al Mayādīn",
             place_id="geonames:170794", admin1="Deir ez-Zor", geo_precision=2,
             lat=35.01982, lon=40.45154, actor1="Islamic State",
             actor2="Syrian government forces", assoc_actors="Russian forces",
             fatalities_low=39, fatalities_best=78, fatalities_high=78, wounded_best=5,
             casualties_json=json.dumps([
                 {"side": "pro-government forces", "kind": "killed", "low": 35, "best": 35,
                  "high": 35, "source": "SOHR",
                  "quote": "35 pro-government forces killed, including at least nine Russians"},
                 {"side": "Russian forces", "kind": "killed", "low": 4, "best": 4, "high": 9,
                  "source": "Russian defence ministry",
                  "quote": "four Russian servicemen were killed"},
                 {"side": "Russian forces", "kind": "wounded", "low": 5, "best": 5, "high": 5,
                  "source": "Russian defence ministry", "quote": "five were wounded"},
                 {"side": "Islamic State", "kind": "killed", "low": 43, "best": 43, "high": 43,
                  "source": "Russian defence ministry", "quote": "43 attackers were killed"},
             ]),
             sources_json=json.dumps([
                 _src("000", "Four Russian soldiers have been killed in a surprise attack by "
                      "Isis militants in Syria"),
                 _src("001", "35 pro-government forces killed"),
                 _src("002", "the attack near the town of Mayadeen"),
                 _src("003", "Four Russian soldiers killed"),
             ])),
        _row(id="inc-homs-desert", date_start="2018-05-22", date_precision="day",
             event_type="Battles", sub_event_type="Attack", place="the Homs desert",
             place_resolved="Homs Desert", place_id="curated:homs-desert", admin1="Homs",
             geo_precision=3, lat=34.55, lon=37.9, actor1="Islamic State",
             actor2="Syrian government forces", fatalities_low=26, fatalities_best=26,
             fatalities_high=26,
             casualties_json=json.dumps([{"side": "regime forces", "kind": "killed", "low": 26,
                                          "best": 26, "high": 26, "source": "SOHR",
                                          "quote": "26 regime forces killed"}]),
             sources_json=json.dumps([_src("001", "an attack in the Homs desert on Tuesday "
                                            "killed 26 regime forces")])),
        _row(id="inc-deir-night", date_start="2018-05-26", date_end="2018-05-27",
             date_precision="range", event_type="Battles", sub_event_type="Attack",
             place="Deir ez-Zor province", place_resolved="Deir ez-Zor Governorate",
             place_id="curated:sy-deir-ez-zor", admin1="Deir ez-Zor", geo_precision=3,
             lat=35.2, lon=40.2, actor1="Islamic State", actor2="pro-regime forces",
             fatalities_low=11, fatalities_best=11, fatalities_high=11,
             sources_json=json.dumps([_src("001", "two attacks overnight killed 11")])),
        _row(id="inc-hmeimim", date_start="2018-03-01", date_end="2018-03-31",
             date_precision="month", event_type="Strategic developments",
             sub_event_type="Plane crash", place="the Hmeimim air base",
             place_resolved="Hmeimim Air Base", place_id="curated:hmeimim",
             admin1="Latakia", geo_precision=1, lat=35.4011, lon=35.9487,
             actor1="Russian forces", fatalities_low=39, fatalities_best=39,
             fatalities_high=39,
             sources_json=json.dumps([_src("001", "a transport plane crashed at Hmeimim, "
                                            "killing 39")])),
        _row(id="inc-hajin", date_start="2018-05-24", date_precision="day",
             event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
             place="Hajin", place_resolved="Hajīn", place_id="geonames:171148",
             admin1="Deir ez-Zor", geo_precision=1, lat=34.69, lon=40.83,
             actor1="Iraqi air force", actor2="Islamic State",
             sources_json=json.dumps([_src("003", "Iraqi F-16s struck Hajin on Thursday")])),
        _row(id="inc-palmyra-halabat", date_start="2016-03-16", date_end="2016-03-17",
             date_precision="range", event_type="Battles", sub_event_type="Armed clash",
             place="Qasr al-Halabat west of Palmyra", place_resolved="Qasr al-Halabat",
             place_id="curated:qasr-al-halabat", admin1="Homs", geo_precision=1,
             lat=34.57, lon=38.13, actor1="Islamic State", actor2="Russian forces",
             fatalities_low=4, fatalities_best=4, fatalities_high=4,
             claims_json=json.dumps([{"claimant": "Islamic State (Aamaq)",
                                      "claim": "four Russian soldiers killed",
                                      "confirmed_by": [],
                                      "not_confirmed_by": ["SOHR", "Kremlin"],
                                      "independent": False}]),
             sources_json=json.dumps([_src("004", "IS said through its Aamaq agency it had "
                                            "killed four Russian soldiers")])),
        _row(id="inc-palmyra-dawa", date_start="2016-03-16", date_end="2016-03-17",
             date_precision="range", event_type="Battles", sub_event_type="Armed clash",
             place="the Dawa area", place_resolved="Palmyra", place_id="geonames:163345",
             admin1="Homs", geo_precision=2, lat=34.56, lon=38.28, actor1="Islamic State",
             actor2="Russian forces", fatalities_low=1, fatalities_best=1, fatalities_high=1,
             sources_json=json.dumps([_src("004", "a military adviser in the Dawa area")])),
    ]


def incidents_frame(rows: list[dict[str, Any]] | None = None):
    import geopandas as gpd
    import pandas as pd

    rows = rows if rows is not None else seed_rows()
    df = pd.DataFrame(rows)
    for c in ("fatalities_low", "fatalities_best", "fatalities_high", "wounded_best"):
        df[c] = df[c].astype("Int64")
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs=4326)


# The Euphrates from Tabqa to Al-Bukamal (approximate river course) -- west/right bank:
# government and Russia; east/left bank: SDF and the coalition.
EUPHRATES = [(38.55, 35.84), (38.80, 35.93), (39.01, 35.94), (39.40, 35.83), (39.75, 35.62),
             (40.05, 35.40), (40.14, 35.34), (40.30, 35.20), (40.45, 35.03), (40.60, 34.90),
             (40.75, 34.70), (40.92, 34.46)]


def control_frames(valid_from: str = "2017-09-01", valid_to: str = "2019-03-23"):
    import geopandas as gpd
    import shapely
    from pyproj import Transformer
    from shapely.geometry import LineString

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
    left = transform(back, proj.buffer(40000, single_sided=True))
    right = transform(back, proj.buffer(-40000, single_sided=True))
    zones = gpd.GeoDataFrame([
        {"id": "euphrates-2018-left", "line_id": "euphrates-2018", "party": "SDF and coalition",
         "bank": "left", "side": "east", "color": "#e6b800", "valid_from": valid_from,
         "valid_to": valid_to, "width_km": 40.0},
        {"id": "euphrates-2018-right", "line_id": "euphrates-2018",
         "party": "Government and Russia", "bank": "right", "side": "west", "color": "#c0392b",
         "valid_from": valid_from, "valid_to": valid_to, "width_km": 40.0},
    ], geometry=[left, right], crs=4326)
    return lines, zones


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
