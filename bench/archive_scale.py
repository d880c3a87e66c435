"""Benchmark: an archive of N synthetic ACLED-layout incidents (issue 16).

Steps, each in its own process (time and peak memory of the process and its children):
1. write N rows in ACLED's layout (bench/store_synthetic.py; 8 countries, 2015-2024);
2. `geoevents archive build` -> GeoParquet partitioned by year and country;
3. `geoevents archive hexagons --country SY --every week` on the local dask.distributed cluster
   (two workers; memory is bounded by the partition files each task holds);
4. the map of the hexagons: `geoevents map --hexagons hex.geojson` (a hexagon layer with the
   time control).
Goal (issue 16): 10 M incidents, aggregate + map under 60 s on this 2-core machine.

  python bench/archive_scale.py --rows 10000000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from store_add import WRAP  # noqa: E402


def measure(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", WRAP, *args], capture_output=True, text=True,
                         cwd=HERE.parent, env={**os.environ, "PYTHONPATH": str(HERE.parent)})
    return json.loads(out.stdout)




def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--country", default="SY")
    ap.add_argument("--resolution", type=int, default=5)
    ap.add_argument("--tmp", type=Path)
    ap.add_argument("--reuse", action="store_true",
                    help="reuse the archive built by an earlier run in --tmp")
    a = ap.parse_args()
    tmp = a.tmp or Path(tempfile.mkdtemp(prefix="archive-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    src = tmp / "synthetic_acled.csv"
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; rows {a.rows:,}")
    if not src.exists():
        gen = measure(sys.executable, "-c", "import sys; sys.path.insert(0, 'bench'); "
                      "from store_synthetic import write; "
                      f"write({str(src)!r}, {a.rows})")
        print(f"generate: {gen['s']:.1f} s, {src.stat().st_size / 1e9:.2f} GB")
    arch = tmp / "archive"
    if not (a.reuse and (arch / "archive.json").exists()):
        b = measure(sys.executable, "-m", "geoevents", "archive", "build", str(src), "-o",
                    str(arch), "--overwrite")
        print(f"build: {b['s']:.1f} s, peak {b['rss_mb']:.0f} MB (rc {b['rc']})")
        if b["rc"] not in (0, 1):
            print(b["err"])
            return 1
    m = json.loads((arch / "archive.json").read_text())
    n_country = sum(v for k, v in m["partitions"].items() if k.endswith("/" + a.country))
    hexes = tmp / "hex.geojson"
    h = measure(sys.executable, "-m", "geoevents", "archive", "hexagons", str(arch),
                "--resolution", str(a.resolution), "--every", "week", "--country", a.country,
                "-o", str(hexes), "--overwrite")
    print(f"hexagons ({a.country}: {n_country:,} incidents, weekly, h3 res {a.resolution}): "
          f"{h['s']:.1f} s (the whole command; {h.get('cpu_s', 0):.0f} s CPU), peak {h['rss_mb']:.0f} MB (rc {h['rc']}) {h['err'].strip().splitlines()[-1] if h['err'] else ''}")
    page = tmp / "hex.html"
    mp = measure(sys.executable, "-m", "geoevents", "map", "--hexagons", str(hexes), "-o",
                 str(page), "--overwrite")
    ok = mp["rc"] == 0 and page.exists()
    size = f", page {page.stat().st_size / 1e6:.1f} MB" if ok else ""
    print(f"map (`geoevents map --hexagons`, the hexagon layer with the time control): "
          f"{mp['s']:.1f} s ({mp.get('cpu_s', 0):.0f} s CPU), peak {mp['rss_mb']:.0f} MB (rc {mp['rc']}){size} "
          f"{'' if ok else mp['err'][-300:]}")
    total = h["s"] + (mp["s"] if ok else 0)
    cpu = h.get("cpu_s", 0) + (mp.get("cpu_s", 0) if ok else 0)
    print(f"aggregate + map: {total:.1f} s, {cpu:.0f} s CPU (goal < 60 s); load "
          f"{os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    t = time.perf_counter()
    rc = main()
    print(f"total {time.perf_counter() - t:.0f} s")
    raise SystemExit(rc)
