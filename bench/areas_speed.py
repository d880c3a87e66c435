"""Speed of control areas (issue 13): N places (default 10,000) to areas in under 10 s.

Places are spread over eastern Syria (seeded) and held by six parties around six centres, with
one control line (a meandering north-south line) and a reach limit; the figure is the time of
:func:`geoevents.control.areas.build_areas` from control rows to the AREAS frame, for one date
and for a series of four dates.

    python bench/areas_speed.py [--places 10000] [--seed 13]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    import geopandas as gpd
    import numpy as np
    import shapely

    from geoevents.control.areas import build_areas
    from geoevents.control.table import ControlRow

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--places", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    n = args.places
    lat = rng.uniform(33.0, 37.0, n)
    lon = rng.uniform(36.0, 42.0, n)
    centres = np.array([[34.0, 37.0], [36.0, 40.0], [35.0, 41.0], [33.5, 39.0], [36.5, 37.5],
                        [34.5, 40.5]])
    names = np.array(["government", "SDF", "Islamic State", "opposition", "Turkey", "HTS"])
    d2 = (lat[:, None] - centres[:, 0]) ** 2 + (lon[:, None] - centres[:, 1]) ** 2
    party = names[d2.argmin(axis=1)]
    dates = ["2018-01-01", "2018-04-01", "2018-07-01", "2018-10-01"]
    rows = []
    for i in range(n):
        rows.append(ControlRow(place=f"p{i}", lat=float(lat[i]), lon=float(lon[i]),
                               party=str(party[i]), date=dates[0], source=f"s{i % 50}"))
        if i % 10 == 0:  # a tenth of the places change hands over the year
            rows.append(ControlRow(place=f"p{i}", lat=float(lat[i]), lon=float(lon[i]),
                                   party=str(names[(i // 10) % 6]), date=dates[1 + i % 3]))
    t = np.linspace(0.0, 1.0, 400)
    line = shapely.LineString(np.column_stack([39.0 + 0.15 * np.sin(t * 40), 33.0 + 4.0 * t]))
    lines = gpd.GeoDataFrame({"id": ["l"], "valid_from": [""], "valid_to": [""]},
                             geometry=[line], crs=4326)
    for label, at in (("1 date", dates[-1]), ("4 dates", dates)):
        t0 = time.perf_counter()
        frame = build_areas(rows, at=at, lines=lines, reach_km=25)
        dt = time.perf_counter() - t0
        print(f"{n:,} places, {label}: {len(frame)} areas in {dt:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
