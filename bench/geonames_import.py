"""Speed and memory of `geoevents gazetteer import` on a large GeoNames dump.

    GEOEVENTS_HOME=/tmp/gehome python bench/geonames_import.py [--rows 2000000] [--zip]

The dump is synthesised from the real GeoNames rows in ../shared/geonames/ (cities500 of the
Levant box and four countries): the rows are repeated with new geonameids (from 900,000,000 on),
so every row is a new place with real names, alternate names and feature codes.  The import runs
in a fresh process against a copy of the built-in index (built first if needed), with
``/usr/bin/time``-style peak memory (ru_maxrss of the child).  A second run imports the same file
again (every row is then an update of a known place: the merge path).

Goal (issue 3): >= 50,000 rows/s, peak memory < 1 GB.

Caveat: cities500 rows carry about 9 alternate names each, several times a typical dump row
(most features of a country file or allCountries have none or one): ``--alternates 1`` keeps at
most one per row.  The repeated rows repeat names, so the memoised normalisation hits often.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("GEOEVENTS_SHARED", ROOT.parent / "shared"))
if not (SHARED / "geonames").is_dir():
    SHARED = Path("/work/shared")


def synthesise(out: Path, rows: int, alternates: int | None = None) -> int:
    src = []
    for name in ("cities500_levant_bbox.txt", "cities500_SY.txt", "cities500_IQ.txt",
                 "cities500_JO.txt", "cities500_LB.txt"):
        src += (SHARED / "geonames" / name).read_text(encoding="utf-8").splitlines()
    tails = []
    for ln in src:
        if not ln.strip():
            continue
        cols = ln.split("\t")
        if alternates is not None:  # keep at most N alternate names, as most dump rows have
            cols[3] = ",".join([a for a in cols[3].split(",") if a][:alternates])
        tails.append("\t".join(cols[1:]))
    gid = 900_000_000
    with open(out, "w", encoding="utf-8") as f:
        written = 0
        while written < rows:
            for t in tails:
                f.write(f"{gid}\t{t}\n")
                gid += 1
                written += 1
                if written >= rows:
                    break
    return written


def child(index: str, files: list[str]) -> None:
    from gazetteer import geonames

    con = geonames.connect_for_import(Path(index))
    for f in files:
        t = time.perf_counter()
        r = geonames.import_file(con, f, show_progress=False, force=True)
        dt = time.perf_counter() - t
        print(f"  {r.summary()}")
        print(f"  -> {r.rows / dt:,.0f} rows/s")
    con.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory of the importing process: {peak:.0f} MB  [goal < 1024 MB]")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--zip", action="store_true", help="import a .zip of the dump instead")
    ap.add_argument("--alternates", type=int, default=None, metavar="N",
                    help="keep at most N alternate names per row (default: all, as cities500 "
                    "has them: about 9 per row; most rows of allCountries or a country file "
                    "have 0-2)")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], args.child[1:])
        return
    from gazetteer import index as gindex

    base, _ = gindex.ensure(None, verbose=False)
    with tempfile.TemporaryDirectory(prefix="geoevents-import-bench-") as tmp:
        dump = Path(tmp) / "synthetic.txt"
        t = time.perf_counter()
        n = synthesise(dump, args.rows, args.alternates)
        print(f"synthesised {n:,} rows ({dump.stat().st_size / 1e6:.0f} MB) in "
              f"{time.perf_counter() - t:.1f} s")
        if args.zip:
            z = Path(tmp) / "synthetic.zip"
            with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
                zf.write(dump, "synthetic.txt")
            dump.unlink()
            dump = z
        index = Path(tmp) / "gazetteer.sqlite"
        shutil.copyfile(base, index)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        print(f"import 1 (new places) into a copy of the built-in index, {dump.name}:")
        out = subprocess.run([sys.executable, __file__, "--child", str(index), str(dump)],
                             env=env, capture_output=True, text=True)
        print(out.stdout + out.stderr, end="")
        print("import 2 (the same file again: every row merges into a known place):")
        out = subprocess.run([sys.executable, __file__, "--child", str(index), str(dump)],
                             env=env, capture_output=True, text=True)
        print(out.stdout + out.stderr, end="")
        print(f"index size after: {index.stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
