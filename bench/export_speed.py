"""Export speed: N incidents to GeoPackage and to GeoJSON (goal: 1 M in under 30 s each).

    python bench/export_speed.py                 # 1,000,000 incidents, gpkg then geojson
    python bench/export_speed.py -n 200000 --formats gpkg csv kml

Each format runs in its own process, so the memory figures are that format's own: "frame" is the
resident memory after building the incidents frame, "peak" the highest resident memory of the
process (ru_maxrss), "export" the extra the export needed on top of the frame.  "CPU" is the
process's CPU time during the export (all its threads), a figure that depends less than the
wall time on what else the machine runs; "load" the 1-minute load average after it (2 cores).  The incidents are
the six seed incidents of tests/frames.py repeated with jittered positions, dates, figures and
unique ids (realistic field widths: three sources with quotes, casualty JSON).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(n: int):
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    from tests.frames import incidents_frame

    base = pd.DataFrame(incidents_frame().drop(columns="geometry"))
    rng = np.random.default_rng(7)
    pick = rng.integers(0, len(base), n)
    table = base.iloc[pick].reset_index(drop=True)
    table["id"] = [f"inc-{i:010x}" for i in range(n)]
    table["lat"] = np.round(table["lat"].to_numpy() + rng.normal(0, 0.3, n), 7)
    table["lon"] = np.round(table["lon"].to_numpy() + rng.normal(0, 0.3, n), 7)
    days = pd.to_datetime(table["date_start"]) + pd.to_timedelta(rng.integers(0, 900, n), "D")
    table["date_start"] = days.dt.strftime("%Y-%m-%d")
    table["date_end"] = table["date_start"]
    best = rng.integers(0, 60, n)
    table["fatalities_best"] = pd.array(best, dtype="Int64")
    table["fatalities_low"] = pd.array(best // 2, dtype="Int64")
    table["fatalities_high"] = pd.array(best * 2, dtype="Int64")
    return gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(table["lon"], table["lat"]),
                            crs=4326)


def one(fmt: str, n: int, folder: Path) -> dict:
    from maps.export import export_frames
    from tests.frames import lines_frame, zones_frame

    t0 = time.perf_counter()
    frame = build(n)
    built = time.perf_counter() - t0
    before = rss_mb()
    out = folder / f"bench.{ {'acled-csv': 'csv'}.get(fmt, fmt) }"
    t0, c0 = time.perf_counter(), time.process_time()
    export_frames(out, frame, lines_frame(), zones_frame(), fmt=fmt, overwrite=True,
                  progress=False)
    took, cpu = time.perf_counter() - t0, time.process_time() - c0
    size = sum(p.stat().st_size for p in folder.iterdir() if p.name.startswith("bench."))
    return {"format": fmt, "n": n, "seconds": round(took, 2), "cpu_s": round(cpu, 1),
            "load": round(os.getloadavg()[0], 1), "build_s": round(built, 1),
            "rows_per_s": round(n / took), "frame_mb": round(before),
            "peak_mb": round(peak_mb()), "export_mb": round(peak_mb() - before),
            "file_mb": round(size / 2**20, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=1_000_000)
    ap.add_argument("--formats", nargs="+", default=["gpkg", "geojson"])
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--folder", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.n, Path(args.folder))))
        return 0
    print(f"export speed, {args.n:,} incidents (python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores)")
    for fmt in args.formats:
        with tempfile.TemporaryDirectory(prefix="geoevents-bench-") as folder:
            proc = subprocess.run([sys.executable, __file__, "--one", fmt, "-n", str(args.n),
                                   "--folder", folder], capture_output=True, text=True,
                                  check=False)
            if proc.returncode:
                print(proc.stderr, file=sys.stderr)
                return 1
            r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"{fmt:8s} {r['seconds']:6.1f} s (CPU {r['cpu_s']} s, load {r['load']})  "
              f"{r['rows_per_s']:>9,} rows/s  "
              f"file {r['file_mb']:7.1f} MB  memory: frame {r['frame_mb']} MB, "
              f"peak {r['peak_mb']} MB (+{r['export_mb']} MB for the export)  "
              f"[frame built in {r['build_s']} s]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
