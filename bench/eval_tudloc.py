"""Resolution in context on TUD-Loc-2013 (Katz et al.): 152 web documents, gold toponym spans
typed CONTINENT / COUNTRY / CITY / UNIT / REGION / LANDMARK / POI / STREET / STREETNR / ZIP.

    GEOEVENTS_HOME=/tmp/gehome python bench/eval_tudloc.py [--gold ../shared/eval/tudloc2013_gold.jsonl]
        [--splits training,validation] [--points reference|centroid] [--naturalearth DIR] [--misses 30]

Develop on ``training`` and ``validation`` (the default); ``--splits test`` reports the test
split, which is never used to tune anything.  Each document's gold spans are resolved together
with the whole text as context (:func:`gazetteer.documents.resolve_mentions`, exactly as
``geoevents resolve --mentions`` does).  Only toponyms with gold coordinates count (3,477 of
3,850).  An ambiguous mention is scored on its best candidate; an unanswered one gets the maximum
error (20,039 km).  Reported per split and per annotation type: accuracy within 161 km, mean and
median error (km) and AUC (as :mod:`bench.geoparse` defines them).
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from geoparse import MAX_KM, auc, shared_file, use_naturalearth  # noqa: E402

TYPES = ("CONTINENT", "COUNTRY", "UNIT", "CITY", "REGION", "LANDMARK", "POI", "STREET",
         "STREETNR", "ZIP")


def line(label: str, errs: list[float]) -> str:
    if not errs:
        return f"  {label:10s}     0"
    acc = sum(e <= 161 for e in errs) / len(errs)
    return (f"  {label:10s} {len(errs):5d}  acc@161 {acc:6.1%}  mean {statistics.mean(errs):7,.0f}"
            f" km  median {statistics.median(errs):7,.1f} km  AUC {auc(errs):.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", default=str(shared_file("eval", "tudloc2013_gold.jsonl")))
    ap.add_argument("--splits", default="training,validation",
                    help="comma-separated splits (training, validation, test)")
    ap.add_argument("--points", choices=("reference", "centroid"), default=None,
                    help="point convention for areas (default: the gazetteer's default)")
    ap.add_argument("--naturalearth", metavar="DIR", help="install Natural Earth from DIR first")
    ap.add_argument("--misses", type=int, default=30, help="list the worst N answers")
    ap.add_argument("--type", default=None, help="list misses of this annotation type only")
    args = ap.parse_args()
    splits = [s.strip() for s in args.splits.split(",") if s.strip()]

    use_naturalearth(args.naturalearth, "/tmp/geoevents-tudloc")
    from pyproj import Geod

    from gazetteer import Gazetteer
    from gazetteer.documents import Document, resolve_mentions
    from gazetteer.index import expected_stamp

    geod = Geod(ellps="WGS84")
    kw = {"points": args.points} if args.points else {}
    gz = Gazetteer(verbose=False, **kw)
    print(f"index {gz.index_path} (naturalearth: {expected_stamp()['naturalearth']}); "
          f"points: {getattr(gz, 'points', 'centroid')}")
    docs = [json.loads(ln) for ln in Path(args.gold).read_text(encoding="utf-8").splitlines()
            if ln.strip()]
    by: dict[tuple[str, str], list[float]] = collections.defaultdict(list)
    statuses: collections.Counter[str] = collections.Counter()
    worst: list[tuple[float, str]] = []
    t0 = time.perf_counter()
    n_docs = 0
    for d in docs:
        if d["split"] not in splits:
            continue
        n_docs += 1
        tops = d["toponyms"]
        doc = Document(d["id"], d["text"], [(t["start"], t["end"]) for t in tops])
        res = resolve_mentions(gz, doc)
        for t, r in zip(tops, res, strict=True):
            if t.get("lat") is None or t.get("lon") is None:
                continue
            if r.place is None:
                e = MAX_KM
                statuses["unanswered"] += 1
                what = f"unanswered ({(r.reason or '')[:70]})"
            else:
                e = geod.inv(r.lon, r.lat, t["lon"], t["lat"])[2] / 1000.0
                statuses[r.status] += 1
                what = (f"-> {r.place.name} ({r.place.country}, {r.place.kind}, {r.status}, "
                        f"{r.match})")
            by[(d["split"], t["type"])].append(e)
            by[("all", t["type"])].append(e)
            if args.type is None or t["type"] == args.type:
                worst.append((e, f"[{t['type']}] {t['name']!r} {what} gold {t['lat']:.2f},"
                                 f"{t['lon']:.2f} {t.get('source', '')}"))
    dt = time.perf_counter() - t0
    print(f"TUD-Loc-2013 {'+'.join(splits)}: {n_docs} documents, resolved in {dt:.1f} s; "
          f"answers {dict(statuses)}")
    for split in [*splits, "all"] if len(splits) > 1 else splits:
        errs_all = [e for (s, _), v in by.items() if s == split for e in v]
        print(f"{split}:")
        print(line("overall", errs_all))
        for ty in TYPES:
            if (split, ty) in by:
                print(line(ty, by[(split, ty)]))
    print(f"\nworst {args.misses}:")
    for e, txt in sorted(worst, reverse=True)[: args.misses]:
        print(f"  {e:8,.0f} km  {txt}")


if __name__ == "__main__":
    main()
