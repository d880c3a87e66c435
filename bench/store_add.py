"""Benchmark: adding incidents to a big store (issue 16).

Builds a store of BASE synthetic ACLED-layout incidents (bench/store_synthetic.py), then adds
ADD more: 90 % new events and 10 % another dataset's reports of stored events (other ids, other
outlet, points ~1 km off: they must merge).  Times both steps and the peak memory of each
(`geoevents add` in its own process), for the GeoPackage store and, with --pg URL, PostGIS.
Checks the result: BASE + 0.9 ADD incidents.

  python bench/store_add.py --base 1000000 --add 100000 --pg postgresql://u:p@host:5439/db

The base store is built in adds of --chunk incidents (250,000), as a store grows.
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

from store_synthetic import write  # noqa: E402

WRAP = """import json, resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], capture_output=True, text=True)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": r.returncode, "s": time.perf_counter() - t, "rss_mb": u.ru_maxrss / 1024,
                  "cpu_s": u.ru_utime + u.ru_stime, "err": r.stderr[-600:]}))
"""


def measure(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", WRAP, sys.executable, "-m", "geoevents", *args],
                         capture_output=True, text=True, cwd=HERE.parent,
                         env={**os.environ, "PYTHONPATH": str(HERE.parent)})
    return json.loads(out.stdout)


def count(store: str) -> int:
    from geoevents.store import open_store

    return int(open_store(store).info()["incidents"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", type=int, default=1_000_000)
    ap.add_argument("--add", type=int, default=100_000)
    ap.add_argument("--pg", metavar="URL", help="also a PostGIS store (a fresh schema)")
    ap.add_argument("--chunk", type=int, default=250_000,
                    help="build the base store in adds of this many (a store grows by adds; "
                    "0: one add)")
    ap.add_argument("--no-gpkg", action="store_true")
    ap.add_argument("--tmp", type=Path, default=None)
    a = ap.parse_args()
    tmp = a.tmp or Path(tempfile.mkdtemp(prefix="store-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    chunk = a.chunk or a.base
    bases = [write(tmp / f"base-{k}.csv", min(chunk, a.base - k), start=k, prefix="SYN",
                   source="SOHR") for k in range(0, a.base, chunk)]
    new = write(tmp / "new.csv", a.add - a.add // 10, start=a.base, prefix="SYN", source="SOHR")
    other = write(tmp / "other.csv", a.add // 10, start=0, prefix="OTH", source="AFP",
                  jitter=0.01)
    stores = []
    if not a.no_gpkg:
        stores.append(("GeoPackage", str(tmp / "store.gpkg")))
    if a.pg:
        import uuid
        from urllib.parse import quote

        import psycopg

        schema = "bench_" + uuid.uuid4().hex[:8]
        with psycopg.connect(a.pg, autocommit=True) as con:
            con.execute(f"CREATE SCHEMA {schema}")
        sep = "&" if "?" in a.pg else "?"
        stores.append(("PostGIS", f"{a.pg}{sep}options="
                       f"{quote(f'-csearch_path={schema},public', safe='')}"))
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; base {a.base:,}, "
          f"add {a.add:,} ({a.add // 10:,} of them reports of stored events)")
    for name, store in stores:
        steps = [measure("add", str(b), "--store", store) for b in bases]
        t0 = {"s": sum(t["s"] for t in steps), "rss_mb": max(t["rss_mb"] for t in steps),
              "rc": max(t["rc"] for t in steps), "err": steps[-1]["err"]}
        print(f"  {name}: build in {len(steps)} add(s) of {chunk:,}: "
              + ", ".join(f"{t['s']:.0f} s/{t['rss_mb']:.0f} MB" for t in steps), flush=True)
        t1 = measure("add", str(new), str(other), "--store", store)
        t2 = measure("add", str(new), "--store", store)  # again: nothing changes
        n = count(store)
        want = a.base + a.add - a.add // 10
        print(f"{name}: build {a.base:,}: {t0['s']:.1f} s, {t0['rss_mb']:.0f} MB | add "
              f"{a.add:,}: {t1['s']:.1f} s ({t1.get('cpu_s', 0):.0f} s CPU), "
              f"{t1['rss_mb']:.0f} MB | same input again: "
              f"{t2['s']:.1f} s | incidents {n:,} (expected {want:,}: "
              f"{'ok' if n == want else 'WRONG'}); load {os.getloadavg()[0]:.1f}", flush=True)
        for t in (t0, t1):
            if t["rc"] not in (0, 1):
                print(t["err"])
        if name == "GeoPackage":
            print(f"  store file: {Path(store).stat().st_size / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    start = time.perf_counter()
    rc = main()
    print(f"total {time.perf_counter() - start:.0f} s")
    raise SystemExit(rc)
