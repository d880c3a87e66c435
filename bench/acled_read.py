"""Rows per second reading a 1 M-row ACLED-layout CSV into the incidents frame, with memory.

    python bench/acled_read.py [--rows 1000000] [--seed 3] [--downloaded]

The file is generated once (deterministic seed) with ACLED's 31 columns and realistic values
(Syrian and Iraqi places, several event types, 1-3 sources, notes with commas and quotes), and
0.1 % of the rows broken on purpose (a latitude outside -90..90, a date that is not one, a row
with a missing field) so that the reader's checks run as they would on real exports.  It is
cached in the temporary folder.  The reading runs in a fresh process (so that its peak memory is
its own): ``geoevents.tables.read_table`` -> GeoDataFrame following ``maps.schema``, every row an
incident or a rejection.  Printed: rows, seconds, rows/s, peak resident memory of the reading
process, the frame's own size, and the rejections.

``--downloaded`` writes the file as ACLED's export tool and the real file in ../shared have it:
upper-case headers, dates as ``05-Jan-22``, no ``event_id_cnty`` (so every id is made from the
row's content) - the slow paths of the reader.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PLACES = [("Al Mayadin", "Deir ez-Zor", 35.0198, 40.4515), ("Hajin", "Deir ez-Zor", 34.6951,
          40.8314), ("Palmyra", "Homs", 34.5624, 38.2840), ("Idlib", "Idlib", 35.9306, 36.6339),
          ("Azaz", "Aleppo", 36.5866, 37.0463), ("Daraa", "Daraa", 32.6189, 36.1021),
          ("Raqqa", "Ar-Raqqa", 35.9528, 39.0079), ("Qamishli", "Al-Hasakeh", 37.0521, 41.2314)]
TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"),
         ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Violence against civilians", "Attack"), ("Protests", "Peaceful protest"),
         ("Strategic developments", "Looting/property destruction")]
ACTORS = ["Military Forces of Syria (2000-)", "Islamic State (Syria)", "SDF: Syrian Democratic "
          "Forces", "HTS: Hayat Tahrir al-Sham", "Military Forces of Russia (2000-)",
          "Civilians (Syria)", "Military Forces of Turkey (2016-)", ""]
SOURCES = ["SOHR", "SOHR; AFP", "Enab Baladi", "Step News Agency; SOHR", "Syria Direct",
           "North Press Agency; Hawar News Agency; SOHR"]


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def generate(path: Path, rows: int, seed: int, downloaded: bool = False) -> None:
    from maps.layouts import ACLED_COLUMNS

    rng = random.Random(seed)
    tmp = path.with_suffix(".part")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([c.upper() for c in ACLED_COLUMNS[1:]] if downloaded else ACLED_COLUMNS)
        for i in range(rows):
            place, admin1, lat, lon = rng.choice(PLACES)
            et, sub = rng.choice(TYPES)
            y, m, d = rng.randrange(2017, 2024), rng.randrange(1, 13), rng.randrange(1, 29)
            fat = rng.choice([0, 0, 0, 1, 2, 3, 5, 12, 35])
            row = [f"SYR{i + 1}", f"{y:04d}-{m:02d}-{d:02d}", str(y), str(rng.choice([1, 1, 2, 3])),
                   "Political violence", et, sub, rng.choice(ACTORS), "", "2",
                   rng.choice(ACTORS), "", "1", "12", "", "760", "Middle East", "Syria", admin1,
                   "", "", place, f"{lat + rng.uniform(-0.05, 0.05):.4f}",
                   f"{lon + rng.uniform(-0.05, 0.05):.4f}", str(rng.choice([1, 1, 2, 3])),
                   rng.choice(SOURCES), "National",
                   f'On {d} {m} {y}, "clashes" in {place}, with {fat} killed.', str(fat), "",
                   str(1600000000 + i)]
            r = rng.random()
            if r < 0.0004:
                row[22] = "95.5"  # latitude outside -90..90
            elif r < 0.0007:
                row[1] = "31/02/2018x"  # not a date
            elif r < 0.001:
                row = row[:5]  # a row cut short
            if downloaded:
                if len(row) > 1 and row[1][:4].isdigit():
                    row[1] = f"{d:02d}-{MONTHS[m - 1]}-{y % 100:02d}"
                row = row[1:]
            w.writerow(row)
    os.replace(tmp, path)


READ = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
from geoevents.tables import read_table
import geopandas, pandas, pyarrow.csv  # the libraries the reader uses
t1 = time.perf_counter()
c1 = time.process_time()
res = read_table({path!r})
dt = time.perf_counter() - t1
cpu = time.process_time() - c1
print(json.dumps({{"rows": res.rows, "incidents": len(res.frame), "imports": t1 - t0,
                  "rejections": len(res.rejections), "seconds": dt, "cpu": cpu,
                  "load": __import__("os").getloadavg()[0],
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "frame_mb": float(res.frame.memory_usage(deep=True).sum()) / 1e6,
                  "first_rejections": [str(r) for r in res.rejections[:3]]}}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--downloaded", action="store_true",
                    help="upper-case headers, 05-Jan-22 dates, no event_id_cnty")
    args = ap.parse_args()
    form = "-downloaded" if args.downloaded else ""
    path = Path(tempfile.gettempdir()) / (f"geoevents-bench-acled-{args.rows}-{args.seed}"
                                          f"{form}-v1.csv")
    if not path.exists():
        t0 = time.perf_counter()
        generate(path, args.rows, args.seed, args.downloaded)
        print(f"generated {path} ({path.stat().st_size / 1e6:.0f} MB) in "
              f"{time.perf_counter() - t0:.0f} s")
    out = subprocess.run([sys.executable, "-c", READ.format(root=str(ROOT), path=str(path))],
                         capture_output=True, text=True, check=True)
    r = json.loads(out.stdout)
    print(f"{r['rows']} rows ({path.stat().st_size / 1e6:.0f} MB) read in {r['seconds']:.2f} s = "
          f"{r['rows'] / r['seconds']:,.0f} rows/s ({r['imports']:.1f} s more to import the "
          f"libraries once: {r['rows'] / (r['seconds'] + r['imports']):,.0f} rows/s for a "
          f"fresh process); {r['incidents']} incidents, {r['rejections']} rejections")
    print(f"CPU time of the reading: {r['cpu']:.2f} s (all threads; load average "
          f"{r['load']:.1f} on {os.cpu_count()} cores - on a shared machine the wall time above "
          "includes waiting for a core)")
    print(f"peak resident memory of the reading process: {r['peak_rss_mb']:.0f} MB; the frame "
          f"itself: {r['frame_mb']:.0f} MB")
    for line in r["first_rejections"]:
        print("  e.g.", line)


if __name__ == "__main__":
    main()
