"""Held-out accuracy of control areas (issue 13).

Five folds over a control table's places (seeded shuffle): areas are built from 80 % of the
places and each of the other 20 % is checked at each evaluation date: does its point fall in
the area of its own party?  Contested, besieged and mixed places are left out of the check
(they still build areas).  Compared with a plain nearest-place vote (the party of the nearest
training place: what a Voronoi map without rivers, borders or reach gives).

Each variant adds one thing to the plain tessellation so its share is visible: the control
lines (--lines), the clip to the country (--clip) and the reach limit (--reach).  A held-out
place outside every area (beyond the reach of all training places, or clipped away) counts as
a miss; the share of such places is reported too.

    python bench/areas_holdout.py [TABLE...] [--parties FILE] [--lines SPEC] [--clip SY]
                                  [--reach KM] [--every month] [--seed 13]
                                  [--reach-spacing F]... [--spacing-k K]...

The last variant's reach follows the spacing of the places (``reach_spacing``): each place
reaches at least F times the distance to its K-th nearest place (default F = 2, K = 5; give
several to compare them).

It prints each variant's share over all folds and per fold.  Several tables are read together
(both worked examples: data/control/deir-ez-zor-raqqa-2017-2019.csv and
data/control/syria-west-south-2017-2019.csv); docs/control.md has the figures of each.

Defaults: data/control/deir-ez-zor-raqqa-2017-2019.csv with the Syria parties file, the
Euphrates lines of data/lines/deir-ez-zor-2018.yaml (Tabqa to Albu Kamal),
data/lines/euphrates-north-2017-2019.yaml (Jarabulus to Tabqa) and
data/lines/euphrates-albu-kamal-border-2017-2019.yaml (Albu Kamal to the Iraqi border), and a clip
to SY (Natural Earth must be installed: `geoevents data install naturalearth`, or --from
../shared/naturalearth).  The clip is measured twice: at the drawn 1:10 m border, and reaching
--clip-tolerance km beyond it (default 2, as `areas build` does).  A second
dev set, real and unrelated: the territorial changes of the ACLED export in ../shared
(Yemen, Syria, Iraq, January-February 2022; actor1 as the party, evaluated weekly):

    python bench/areas_holdout.py ../shared/real/acled/acled_me_2022q1.csv --auto-parties \
        --no-lines --clip YE --every week --reach 15
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    import numpy as np
    import shapely

    from geoevents.control import areas as A
    from geoevents.control.lines import load as load_lines
    from geoevents.control.parties import parties_or_auto
    from geoevents.control.table import read_control

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tables", nargs="*", type=Path,
                    default=[ROOT / "data/control/deir-ez-zor-raqqa-2017-2019.csv"])
    ap.add_argument("--parties", type=Path, default=ROOT / "data/parties/syria-2016-2019.yaml")
    ap.add_argument("--lines", type=Path, action="append")
    ap.add_argument("--clip", action="append")
    ap.add_argument("--no-lines", action="store_true", help="no control line")
    ap.add_argument("--no-clip", action="store_true", help="no clip")
    ap.add_argument("--auto-parties", action="store_true",
                    help="each party name its own party (no parties file)")
    ap.add_argument("--reach", type=float, default=A.DEFAULT_REACH_KM)
    ap.add_argument("--reach-spacing", type=float, action="append",
                    help="add a variant whose reach grows to F times each place's nearest-"
                         "neighbour distance (repeatable; default 2)")
    ap.add_argument("--spacing-k", type=int, action="append",
                    help="...to its k-th nearest neighbour (repeatable; default areas.SPACING_K)")
    ap.add_argument("--clip-tolerance", type=float, default=None, metavar="KM",
                    help="how far a country clip reaches beyond its 1:10 m border (default "
                         "areas.CLIP_TOLERANCE_M, 2 km); a variant with the exact border (0) is "
                         "measured too")
    ap.add_argument("--every", default="month")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--misses", action="store_true",
                    help="list the held-out places the last variant gets wrong (place: dates)")
    args = ap.parse_args(argv)
    lines_specs = args.lines if args.lines is not None else [
        ROOT / "data/lines/deir-ez-zor-2018.yaml", ROOT / "data/lines/euphrates-north-2017-2019.yaml",
        ROOT / "data/lines/euphrates-albu-kamal-border-2017-2019.yaml"]
    clip = args.clip if args.clip is not None else ["SY"]
    if args.no_lines:
        lines_specs = []
    if args.no_clip:
        clip = []

    parties = parties_or_auto(None if args.auto_parties else args.parties)
    read = read_control(args.tables, parties)
    parties.assign_auto(sorted({r.party for r in read.rows} | {r.party2 for r in read.rows
                                                               if r.party2}))
    places = A.group_places(read.rows, any_order=True)
    all_dates = sorted({r.date for r in read.rows})
    dates = A.series_dates(all_dates[0], all_dates[-1], args.every)
    lines = load_lines(lines_specs)[0] if lines_specs else None
    region = None
    tol_m = (A.CLIP_TOLERANCE_M if args.clip_tolerance is None
             else max(args.clip_tolerance, 0.0) * 1000.0)
    tolerance: list[float] = []
    if clip:
        lats = [p.lat for p in places]
        lons = [p.lon for p in places]
        parts = A.clip_polygons(clip, (min(lons), min(lats), max(lons), max(lats)))
        region = [g for g, _, _ in parts]
        # the tolerance applies to country borders only, as in areas.build
        tolerance = [tol_m if kind == "country" else 0.0 for _, _, kind in parts]
    exact = [0.0] * len(tolerance)

    variants = {
        "tessellation only": {"reach_km": None, "lines": None, "region": None},
        "+ lines": {"reach_km": None, "lines": lines, "region": None},
        "+ lines + clip, exact border": {"reach_km": None, "lines": lines, "region": region,
                                         "tolerance": exact},
        f"+ lines + clip ({tol_m / 1000:g} km tolerance)": {
            "reach_km": None, "lines": lines, "region": region, "tolerance": tolerance},
        f"+ lines + clip + reach {args.reach:g} km": {"reach_km": args.reach, "lines": lines,
                                                     "region": region, "tolerance": tolerance},
    }
    for f in args.reach_spacing or [2.0]:
        for k in args.spacing_k or [A.SPACING_K]:
            variants[f"+ lines + clip + reach {args.reach:g} km or {f:g} x spacing{k}"] = {
                "reach_km": args.reach, "lines": lines, "region": region, "reach_spacing": f,
                "spacing_k": k, "tolerance": tolerance}
    rng = np.random.default_rng(args.seed)
    order = rng.permutation(len(places))
    folds = [order[i::args.folds] for i in range(args.folds)]
    names = ["nearest-place vote", *variants]
    # per fold: right, total, outside (in no area)
    score = {k: [[0, 0, 0] for _ in folds] for k in names}
    misses: dict[tuple[str, str, str], list[str]] = {}  # (place, party, got) -> dates
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    for f, test in enumerate(folds):
        test_set = set(int(i) for i in test)
        train = [p for i, p in enumerate(places) if i not in test_set]
        for d in dates:
            cases = []
            for i in sorted(test_set):
                r = places[i].at(d)
                if r is not None and r.status == "held":
                    cases.append((places[i], r.party))
            live = [(p, p.at(d)) for p in train]
            live = [(p, r) for p, r in live if r is not None]
            if not cases or not live:
                continue
            # nearest-place vote (great-circle distance)
            tl = np.array([p.lon for p, _ in live])
            ta = np.array([p.lat for p, _ in live])
            for p, party in cases:
                _, _, dist = geod.inv(np.full(tl.size, p.lon), np.full(tl.size, p.lat), tl, ta)
                k = int(np.argmin(dist))
                score["nearest-place vote"][f][0] += live[k][1].party == party
                score["nearest-place vote"][f][1] += 1
            for name, v in variants.items():
                frame = A.areas_from_places(train, parties, [d], reach_km=v["reach_km"],
                                            lines=v["lines"], region=v["region"], warnings=[],
                                            reach_spacing=v.get("reach_spacing"),
                                            spacing_k=v.get("spacing_k", A.SPACING_K),
                                            region_tolerance_m=v.get("tolerance", 0.0))
                geoms = list(frame.geometry)
                owners = list(frame["party"])
                for g in geoms:
                    shapely.prepare(g)
                for p, party in cases:
                    hit = [o for g, o in zip(geoms, owners, strict=True)
                           if shapely.contains_xy(g, p.lon, p.lat)]
                    score[name][f][0] += bool(hit) and hit[0] == party
                    score[name][f][1] += 1
                    score[name][f][2] += not hit
                    if name == names[-1] and not (hit and hit[0] == party):
                        misses.setdefault((p.name, party, hit[0] if hit else "-"),
                                          []).append(str(d))
    print(f"{len(places)} places, {len(read.rows)} rows, {len(dates)} dates ({dates[0]} to "
          f"{dates[-1]}), {args.folds} folds, seed {args.seed}; contested places aside")
    head = "".join(f"  fold {f + 1:<3}" for f in range(len(folds)))
    print(f"  {'variant':<48} {'all':>6}{head}   (place-dates; in no area)")
    for name in names:
        per = score[name]
        right = sum(x[0] for x in per)
        total = sum(x[1] for x in per)
        outside = sum(x[2] for x in per)
        cells = "".join(f"  {x[0] / max(x[1], 1):7.1%}" for x in per)
        out = (f"; {outside / max(total, 1):.1%} in no area, {right / max(total - outside, 1):.1%}"
               " of those in an area" if name in variants else "")
        print(f"  {name:<48} {right / max(total, 1):6.1%}{cells}   ({right}/{total}{out})")
    if args.misses:
        print(f"\nmisses of '{names[-1]}' (place, its party, the area's party: dates):")
        for (name, party, got), ds in sorted(misses.items(), key=lambda t: -len(t[1])):
            print(f"  {len(ds):3d}  {name}: {party} -> {got}  ({ds[0]} .. {ds[-1]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
