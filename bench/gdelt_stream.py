"""GDELT events stream in constant memory: time and peak resident memory of reading generated
GDELT 2.0 export files of about 250 MB and 1 GB (61 tab-separated columns, no header), plain
and zipped as GDELT publishes them, with the command users run and with the block reader.

    python bench/gdelt_stream.py [--rows 1000000 4000000] [--seed 5] [--no-zip] [--keep]

The files are generated (deterministic seed, the columns of GDELT's 2.0 codebook, about a
tenth of the events QuadClass 4, some rows without ActionGeo, a few cut short) into the
temporary folder and deleted afterwards (``--keep`` keeps them).  Each reading runs in a fresh
process, its peak memory measured by the kernel (``wait4``):

- ``geoevents export FILE --quad-class 4 -o out.csv``: what a user runs; the material-conflict
  incidents kept (a tenth of the rows) are held and written, so its peak is the streaming's
  own plus the kept incidents;
- ``iter_gdelt`` block by block keeping nothing: the streaming itself, whose peak must not
  move while the file grows four times.
"""

from __future__ import annotations

import argparse
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
import sys
sys.path.insert(0, {root!r})
from geoevents.tables import ReadOptions
from geoevents.tables.gdelt import iter_gdelt
rows = kept = left = rej = 0
with open({path!r}, "rb") as fh:  # block by block, nothing kept: the streaming itself
    for frame, r, n, lo in iter_gdelt(fh, {path!r}, ReadOptions(quad_classes=(4,))):
        rows, kept, left, rej = rows + n, kept + len(frame), left + lo, rej + len(r)
print(rows, kept, left, rej)
"""


def run(argv: list[str]) -> tuple[float, float, float, str, str]:
    """(seconds, CPU seconds, peak resident MB, stdout, stderr) of a fresh process, its
    figures from the kernel (``wait4``)."""
    with tempfile.TemporaryFile("w+") as fo, tempfile.TemporaryFile("w+") as fe:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=fo, stderr=fe,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        fo.seek(0)
        fe.seek(0)
        out, err = fo.read(), fe.read()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv[:4]} failed ({proc.returncode}): {err[-2000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out, err


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 4_000_000],
                    help="rows of each file (1,000,000 rows are about 250 MB)")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--no-zip", action="store_true", help="only the plain files")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    args = ap.parse_args()
    tmp = Path(tempfile.gettempdir())
    print(f"load average at the start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for n in args.rows:
        path = tmp / f"geoevents-bench-gdelt-{n}-{args.seed}-v1.export.CSV"
        made = []
        if not path.exists():
            t0 = time.perf_counter()
            generate(path, n, args.seed)
            made.append(path)
            print(f"generated {path.name} ({path.stat().st_size / 1e6:,.0f} MB) in "
                  f"{time.perf_counter() - t0:.0f} s")
        inputs = [path]
        if not args.no_zip:
            import zipfile

            z = path.with_name(path.name + ".zip")
            with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
                zf.write(path, path.name)
            made.append(z)
            inputs.append(z)
        try:
            for inp in inputs:
                out = tmp / f"geoevents-bench-gdelt-out-{os.getpid()}.csv"
                sec, cpu, rss, _o, err = run([sys.executable, "-m", "geoevents.cli", "export",
                                              str(inp), "--quad-class", "4", "-o", str(out),
                                              "--overwrite"])
                with open(out, "rb") as fh:
                    kept = sum(1 for _ in fh) - 1
                out.unlink()
                out.with_name(out.stem + ".rejected.csv").unlink(missing_ok=True)
                line = err.strip().splitlines()
                print(f"geoevents export {inp.name} ({inp.stat().st_size / 1e6:,.0f} MB, "
                      f"{n:,} rows): {sec:.1f} s = {n / sec:,.0f} rows/s ({cpu:.1f} s CPU); "
                      f"peak memory {rss:,.0f} MB; {kept:,} incidents written; "
                      f"load {os.getloadavg()[0]:.1f}")
                print("   ", next((x for x in line if "rows read" in x), line[-1] if line
                                   else ""))
            sec, cpu, rss, o, _e = run([sys.executable, "-c",
                                        ITER.format(root=str(ROOT), path=str(path))])
            rows, kept, left, rej = map(int, o.split())
            assert rows == n == kept + left + rej, (rows, kept, left, rej)
            print(f"iter_gdelt {path.name} ({path.stat().st_size / 1e6:,.0f} MB): {sec:.1f} s "
                  f"= {rows / sec:,.0f} rows/s ({cpu:.1f} s CPU); peak memory {rss:,.0f} MB "
                  f"(nothing kept); {kept:,} kept, {left:,} left out, {rej:,} rejected; load "
                  f"{os.getloadavg()[0]:.1f}")
        finally:
            if not args.keep:
                for f in made:
                    f.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
