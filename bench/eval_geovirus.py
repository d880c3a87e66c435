"""Resolution in context on GeoVirus (Gritta et al.): 229 news documents, gold toponym spans.

    GEOEVENTS_HOME=/tmp/gehome python bench/eval_geovirus.py [--gold ../shared/eval/geovirus_gold.jsonl]
        [--naturalearth ../shared/naturalearth] [--misses 40]

Each document's toponyms are resolved together, with the whole text as context
(:func:`gazetteer.documents.resolve_mentions`, as ``geoevents resolve --mentions`` does).  An
ambiguous mention is scored on its best candidate; an unanswered one gets the maximum error
(20,039 km, half the Earth's circumference).  Reported, as Gritta et al. ("What's missing in
geographical parsing?", 2018) define them: accuracy within 161 km (100 miles), mean and median
error in km, and the AUC of the curve of sorted log(1 + error km), normalised by log(20039)
(trapezoid rule over the n errors, divided by n - 1; 0 is perfect, lower is better).

``--naturalearth DIR`` installs the Natural Earth layers from DIR into a separate
GEOEVENTS_HOME (``<home>-ne``) first, so the index includes their admin-1 areas and places.
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", default=str(shared_file("eval", "geovirus_gold.jsonl")))
    ap.add_argument("--naturalearth", metavar="DIR", help="install Natural Earth from DIR first")
    ap.add_argument("--misses", type=int, default=40, help="list the worst N answers")
    ap.add_argument("--points", choices=("reference", "centroid"), default="reference",
                    help="point convention for areas (GeoVirus uses encyclopaedia points: "
                    "compare both)")
    args = ap.parse_args()

    use_naturalearth(args.naturalearth, "/tmp/geoevents-geovirus")
    from pyproj import Geod

    from gazetteer import Gazetteer
    from gazetteer.documents import Document, resolve_mentions
    from gazetteer.index import expected_stamp

    geod = Geod(ellps="WGS84")
    import csv

    from gazetteer import paths

    with open(paths.shipped_data("gazetteer", "countries.csv"), encoding="utf-8") as f:
        bbox = {r["iso2"]: tuple(float(r[k]) for k in ("west", "south", "east", "north"))
                for r in csv.DictReader(ln for ln in f if ln.strip() and not ln.startswith("#"))
                if r.get("west")}

    def in_country(cc: str, lat: float, lon: float) -> bool:
        b = bbox.get(cc)
        return b is not None and b[0] <= lon <= b[2] and b[1] <= lat <= b[3]

    same_area = 0  # answers that are the right country, but > 161 km from the gold point
    gz = Gazetteer(verbose=False, points=args.points)
    print(f"index {gz.index_path} (naturalearth: {expected_stamp()['naturalearth']}); "
          f"points: {args.points}")
    docs = [json.loads(ln) for ln in Path(args.gold).read_text(encoding="utf-8").splitlines()
            if ln.strip()]
    errors: list[float] = []
    answered: list[float] = []
    worst: list[tuple[float, str]] = []
    kinds: collections.Counter[str] = collections.Counter()
    t0 = time.perf_counter()
    for d in docs:
        tops = d["toponyms"]
        doc = Document(d["id"], d["text"], [(t["start"], t["end"]) for t in tops])
        res = resolve_mentions(gz, doc)
        for t, r in zip(tops, res, strict=True):
            if r.place is None:
                e = MAX_KM
                kinds["unanswered"] += 1
                worst.append((e, f"{t['name']!r}: unanswered ({(r.reason or '')[:80]})"))
            else:
                e = geod.inv(r.lon, r.lat, t["lon"], t["lat"])[2] / 1000.0
                answered.append(e)
                if e > 161 and r.place.kind == "country" and in_country(
                        r.place.country, t["lat"], t["lon"]):
                    same_area += 1
                kinds[r.status] += 1
                worst.append((e, f"{t['name']!r} -> {r.place.name} ({r.place.country}, "
                                 f"{r.place.kind}, {r.status}, {r.match}) gold {t['lat']:.2f},"
                                 f"{t['lon']:.2f}"))
            errors.append(e)
    dt = time.perf_counter() - t0
    n = len(errors)
    acc = sum(e <= 161 for e in errors) / n
    print(f"GeoVirus: {len(docs)} documents, {n} toponyms, resolved in {dt:.1f} s")
    print(f"  answers: {dict(kinds)}")
    print(f"  accuracy within 161 km: {acc:.1%}   [goal 90% built-in, 95% with Natural Earth]")
    print(f"  mean error {statistics.mean(errors):,.0f} km, median {statistics.median(errors):,.1f}"
          f" km, AUC {auc(errors):.3f} (all toponyms, unanswered = {MAX_KM:,.0f} km)")
    print(f"  {same_area} answers ({same_area / n:.1%}) are a country whose extent holds the gold "
          f"point but whose representative point is > 161 km from it (a different convention "
          f"for the point of a large area); counting them, accuracy {acc + same_area / n:.1%}")
    if answered:
        print(f"  answered only: mean {statistics.mean(answered):,.0f} km, median "
              f"{statistics.median(answered):,.1f} km, AUC {auc(answered):.3f}, within 161 km "
              f"{sum(e <= 161 for e in answered) / len(answered):.1%}")
    print(f"\nworst {args.misses} (of {sum(e > 161 for e in errors)} beyond 161 km):")
    for e, line in sorted(worst, reverse=True)[: args.misses]:
        print(f"  {e:8,.0f} km  {line}")
    bad = collections.Counter(line.split(" ->")[0].split(":")[0] for e, line in worst if e > 161)
    print("\nmost frequent misses:", ", ".join(f"{k} x{v}" for k, v in bad.most_common(25)))


if __name__ == "__main__":
    main()
