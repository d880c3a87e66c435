"""Side assignment speed: N incidents against the 2018 Deir ez-Zor control line.

    GEOEVENTS_HOME=/tmp/gehome python bench/lines_sides.py [N] [--from ../shared/naturalearth]

Builds data/lines/deir-ez-zor-2018.yaml (installing Natural Earth rivers and countries from
``--from`` when they are not installed yet), makes N random incidents in a box around the line
(deterministic seed, half of them inside the line's dates, mixed geo_precision) and times
:func:`geoevents.control.sides.assign_sides`.  Target (issue 5): 1,000,000 incidents in under 10 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=1_000_000)
    ap.add_argument("--from", dest="src", type=Path, default=ROOT.parent / "shared" / "naturalearth")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    import geopandas as gpd
    import numpy as np
    import pandas as pd

    from gazetteer import naturalearth
    from geoevents.control import lines as L
    from geoevents.control.sides import assign_sides

    if naturalearth.installed_path("rivers") is None or naturalearth.installed_path(
            "countries") is None:
        naturalearth.install_from_dir(args.src, ["rivers", "countries"])
    t0 = time.perf_counter()
    lines, zones, _ = L.build_frames(L.load_specs(ROOT / "data/lines/deir-ez-zor-2018.yaml"))
    t_build = time.perf_counter() - t0

    rng = np.random.default_rng(5)
    n = args.n
    lon = rng.uniform(37.5, 42.0, n)
    lat = rng.uniform(33.8, 36.8, n)
    days = rng.integers(0, 4 * 365, n)
    start = (pd.Timestamp("2016-01-01") + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d")
    frame = gpd.GeoDataFrame(
        {"id": np.arange(n).astype(str), "date_start": start, "date_end": start,
         "geo_precision": rng.integers(1, 4, n), "lat": lat, "lon": lon},
        geometry=gpd.points_from_xy(lon, lat), crs=4326)
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        out = assign_sides(frame, lines, zones)
        times.append(time.perf_counter() - t0)
    sided = int((out["zone_party"] != "").sum())
    near = int(out["near_line"].sum())
    print(f"build line + zones: {t_build:.2f} s")
    print(f"assign_sides, {n:,} incidents: best {min(times):.2f} s, median "
          f"{sorted(times)[len(times) // 2]:.2f} s over {args.repeat} runs "
          f"({n / min(times):,.0f} incidents/s)")
    print(f"  {sided:,} given a side, {near:,} near the line, {n - sided - near:,} neither")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
