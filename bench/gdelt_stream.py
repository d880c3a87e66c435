"""GDELT events stream in constant memory: peak resident memory reading generated GDELT 2.0
export files of two sizes (the larger several times the smaller) with ``--quad-class 4``.

    python bench/gdelt_stream.py [--rows 1000000] [--small 200000] [--seed 5]

The files are generated once (deterministic seed, 61 tab-separated columns as in GDELT's
2.0 codebook, about a tenth of the events QuadClass 4, some rows without ActionGeo, a few cut
short) into the temporary folder.  Each file is read in a fresh process, twice: with
``geoevents.tables.read_table`` and ``ReadOptions(quad_classes=(4,))`` (the frame of the kept
incidents grows with the file, the reading does not), and block by block with
``geoevents.tables.gdelt.iter_gdelt`` keeping nothing (the streaming itself).  Printed: rows,
MB, seconds, rows/s, CPU seconds, peak resident memory and the incidents kept.  Constant memory
means the peak of the second barely moves while the file grows.
"""

from __future__ import annotations

import argparse
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

PLACES = [("Aleppo, Halab, Syria", "SY", "SY09", 36.2028, 37.1586, "-2012313"),
          ("Baghdad, Baghdad, Iraq", "IZ", "IZ07", 33.3386, 44.3939, "-3096441"),
          ("Syria", "SY", "SY", 35.0, 38.0, "SY"), ("Sanaa, Sanaa, Yemen", "YM", "YM26",
                                                     15.3547, 44.2067, "-3005451")]
# About a tenth of GDELT's events are material conflict (QuadClass 4).
CODES = [("010", "01", "1")] * 9 + [("043", "04", "1")] * 8 + [("112", "11", "2")] * 4 + [
    ("051", "05", "1")] * 4 + [("036", "03", "1")] * 5 + [("145", "14", "3")] * 2 + [
    ("173", "17", "4"), ("190", "19", "4"), ("195", "19", "4"), ("183", "18", "4")]


def generate(path: Path, rows: int, seed: int) -> None:
    from maps.layouts import GDELT2_COLUMNS

    rng = random.Random(seed)
    idx = {c: i for i, c in enumerate(GDELT2_COLUMNS)}
    tmp = path.with_suffix(".part")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        for i in range(rows):
            v = [""] * len(GDELT2_COLUMNS)
            code, root, quad = rng.choice(CODES)
            place = rng.choice(PLACES)
            v[idx["GLOBALEVENTID"]] = str(1_000_000_000 + i)
            v[idx["SQLDATE"]] = f"2022{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
            v[idx["MonthYear"]], v[idx["Year"]] = "202201", "2022"
            v[idx["FractionDate"]] = "2022.0411"
            v[idx["Actor1Code"]], v[idx["Actor1Name"]] = "SYRMIL", "SYRIA"
            v[idx["Actor2Code"]], v[idx["Actor2Name"]] = "REB", "REBEL"
            v[idx["IsRootEvent"]] = "1"
            v[idx["EventCode"]], v[idx["EventBaseCode"]] = code, code
            v[idx["EventRootCode"]], v[idx["QuadClass"]] = root, quad
            v[idx["GoldsteinScale"]] = "-10.0"
            v[idx["NumMentions"]], v[idx["NumSources"]], v[idx["NumArticles"]] = "4", "1", "4"
            v[idx["AvgTone"]] = f"{rng.uniform(-10, 3):.4f}"
            if rng.random() > 0.05:
                name, cc, adm1, lat, lon, fid = place
                v[idx["ActionGeo_Type"]] = "1" if cc == name[:2] or "," not in name else "4"
                v[idx["ActionGeo_FullName"]] = name
                v[idx["ActionGeo_CountryCode"]], v[idx["ActionGeo_ADM1Code"]] = cc, adm1
                v[idx["ActionGeo_Lat"]] = f"{lat + rng.uniform(-0.01, 0.01):.4f}"
                v[idx["ActionGeo_Long"]] = f"{lon + rng.uniform(-0.01, 0.01):.4f}"
                v[idx["ActionGeo_FeatureID"]] = fid
            v[idx["DATEADDED"]] = "20220411151500"
            v[idx["SOURCEURL"]] = f"https://www.example-news-{i % 97}.com/world/story-{i}.html"
            if rng.random() < 0.0005:
                v = v[:20]
            f.write("\t".join(v) + "\n")
    os.replace(tmp, path)


ITER = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from geoevents.tables import ReadOptions
from geoevents.tables.gdelt import iter_gdelt
import geopandas, pandas, pyarrow.csv
t1, c1 = time.perf_counter(), time.process_time()
rows = kept = left = rej = 0
warm = None
with open({path!r}, "rb") as fh:  # block by block, nothing kept: the streaming itself
    for k, (frame, r, n, lo) in enumerate(iter_gdelt(fh, {path!r},
                                                     ReadOptions(quad_classes=(4,)))):
        rows, kept, left, rej = rows + n, kept + len(frame), left + lo, rej + len(r)
        if k == 2:  # the first blocks warm up the allocators
            warm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"rows": rows, "kept": kept, "left_out": left, "rejections": rej,
                  "seconds": time.perf_counter() - t1, "cpu": time.process_time() - c1,
                  "warm_rss_mb": warm,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

READ = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from geoevents.tables import ReadOptions, read_table
import geopandas, pandas, pyarrow.csv
t1, c1 = time.perf_counter(), time.process_time()
res = read_table({path!r}, ReadOptions(quad_classes=(4,)))
print(json.dumps({{"rows": res.rows, "kept": len(res.frame), "left_out": res.left_out,
                  "rejections": len(res.rejections), "seconds": time.perf_counter() - t1,
                  "cpu": time.process_time() - c1,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run(path: Path, code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code.format(root=str(ROOT), path=str(path))],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--small", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    for n in (args.small, args.rows):
        path = Path(tempfile.gettempdir()) / f"geoevents-bench-gdelt-{n}-{args.seed}-v1.export.CSV"
        if not path.exists():
            t0 = time.perf_counter()
            generate(path, n, args.seed)
            print(f"generated {path} ({path.stat().st_size / 1e6:.0f} MB) in "
                  f"{time.perf_counter() - t0:.0f} s")
        for what, code in (("read_table (the kept incidents held)", READ),
                           ("iter_gdelt (block by block)", ITER)):
            r = run(path, code)
            assert r["rows"] == r["kept"] + r["left_out"] + r["rejections"]
            print(f"{what}: {r['rows']:,} rows ({path.stat().st_size / 1e6:.0f} MB): "
                  f"{r['seconds']:.1f} s = {r['rows'] / r['seconds']:,.0f} rows/s "
                  f"({r['cpu']:.1f} s CPU); peak memory {r['peak_rss_mb']:.0f} MB; kept "
                  f"{r['kept']:,} QuadClass 4 incidents, {r['left_out']:,} left out, "
                  f"{r['rejections']:,} rejected" + (
                      f"; peak after the first 3 blocks {r['warm_rss_mb']:.0f} MB"
                      if r.get("warm_rss_mb") else ""))


if __name__ == "__main__":
    main()
