"""Score ``geoevents extract`` on the corpus of real reports against the hand-made gold incidents.

    GEOEVENTS_HOME=/tmp/gehome python bench/score_extract.py [--reports ../shared/reports]
        [--gold tests/gold] [--verbose] [--json] [--no-region] [--styles ngo,kurdish]

The extractor reads every report of the corpus with the corpus's ``meta.yaml`` as ``--meta``
(outlet, and the publication date where the page gives one), without merging, and each report's
incidents are matched one to one to its gold incidents (tests/gold/NNN.yaml, see the README
there).  An extracted and a gold incident match when

- they are of the same event family: territorial change (the two territory sub-event types),
  remote violence (ACLED "Explosions/Remote violence"), direct violence (Battles' armed clash and
  Violence against civilians' attack), abduction, or else the same event type;
- their dates are compatible: the extracted span overlaps the gold one (a day, a range, the week
  ending on the gold date, a month; a gold date ``unknown`` matches any date); an incident the
  extractor wrote with an unknown date matches when the gold date is not after its
  publication date (counted apart: "matched with an unknown date");
- their places agree: within 25 km of the gold place (tests/gold/places.yaml) or of one of its
  alternatives, or the same named place.

Printed: precision (matched extracted / extracted), recall (matched gold / gold, optional gold
incidents are neither required nor wrong), the strict recall "with a known date" (the matches
by an unknown date left out), fatalities exact (extracted best == gold killed, a
missing figure being 0, over matched gold incidents), per-style recall and precision, and
merging quality on the reports of the same event (meta.yaml ``same_event_as``; gold ``event``
keys): of the pairs of incidents of different reports that are the same gold event, how many
the merge joins (merge recall), and of the pairs it joins, how many are (merge precision);
then, over all the reports' merged incidents, how many pairs of gold incidents of different
reports are joined and how many of them are distinct events (wrong merges, whatever the
groups), and how many joins involve an incident the gold does not have (not verifiable).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TERRITORY = frozenset({"Government regains territory", "Non-state actor overtakes territory"})
PLACE_KM = 25.0
_DIRECTION = re.compile(r"^(?:the\s+)?(?:(?:north|south)?(?:east|west)ern|northern|southern|central|"
                        r"(?:north|south)?(?:east|west)|north|south)\s+", re.I)


def family(event_type: str, sub: str) -> str:
    if sub in TERRITORY:
        return "territory"
    if event_type == "Explosions/Remote violence":
        return "remote"
    if sub == "Abduction/forced disappearance":
        return "abduction"
    if event_type in ("Battles", "Violence against civilians"):
        return "violence"
    return event_type or "?"


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * \
        math.sin((lo2 - lo1) / 2) ** 2
    return 12742.0 * math.asin(math.sqrt(h))


def _date(v: Any) -> date | None:
    if v in (None, ""):
        return None
    return v if isinstance(v, date) else date.fromisoformat(str(v))


@dataclass
class Gold:
    report: str
    n: int
    raw: dict[str, Any]
    span: tuple[date, date] | None  # None: any date
    family: str
    points: list[tuple[float, float]]
    names: set[str]
    optional: bool
    event: str

    @property
    def killed(self) -> set[int]:
        k = self.raw.get("killed") or 0
        return {int(k), *(int(x) for x in self.raw.get("killed_alt", []))}


@dataclass
class Score:
    gold: int = 0
    extracted: int = 0
    matched_gold: int = 0
    matched_extracted: int = 0
    fatal_exact: int = 0
    unknown_date_matches: int = 0
    per_style: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0]))
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    fatal_wrong: list[str] = field(default_factory=list)
    merge_should: int = 0
    merge_joined: int = 0
    merge_pairs: int = 0
    merge_right: int = 0
    merge_notes: list[str] = field(default_factory=list)
    merge_all: int = 0  # pairs of gold incidents of different reports joined by the merge
    merge_wrong: int = 0  # ... of which distinct gold incidents
    merge_unverified: int = 0  # pairs joined where one is not a gold incident

    def figures(self) -> dict[str, Any]:
        def pct(a: int, b: int) -> float:
            return round(100.0 * a / b, 1) if b else 100.0

        return {
            "gold": self.gold, "extracted": self.extracted, "matched_gold": self.matched_gold,
            "matched_extracted": self.matched_extracted,
            "precision": pct(self.matched_extracted, self.extracted),
            "recall": pct(self.matched_gold, self.gold),
            "fatalities_exact": pct(self.fatal_exact, self.matched_gold),
            "unknown_date_matches": self.unknown_date_matches,
            # Strict: only the matches whose extracted date is known count.
            "recall_dated": pct(self.matched_gold - self.unknown_date_matches, self.gold),
            "styles": {s: {"gold": v[0], "recall": pct(v[1], v[0]), "extracted": v[2],
                           "precision": pct(v[3], v[2])}
                       for s, v in sorted(self.per_style.items())},
            "merge_recall": pct(self.merge_joined, self.merge_should),
            "merge_precision": pct(self.merge_right, self.merge_pairs),
            "merge_should": self.merge_should, "merge_pairs": self.merge_pairs,
            "merge_all": self.merge_all, "merge_wrong": self.merge_wrong,
            "merge_unverified": self.merge_unverified,
        }


def _gold_span(g: dict[str, Any]) -> tuple[date, date] | None:
    prec = g.get("prec", "day")
    d = _date(g.get("date"))
    if prec == "unknown" or d is None:
        return None
    if prec == "range":
        return d, _date(g["date_end"]) or d
    if prec == "week":
        return d - timedelta(days=6), d
    if prec == "month":
        nxt = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
        return d.replace(day=1), nxt - timedelta(days=1)
    return d, d


def load_gold(gold_dir: Path) -> tuple[dict[str, list[Gold]], dict[str, Any]]:
    import yaml

    from gazetteer.normalize import key

    places = yaml.safe_load((gold_dir / "places.yaml").read_text(encoding="utf-8"))
    out: dict[str, list[Gold]] = {}
    for f in sorted(gold_dir.glob("[0-9]*.yaml")):
        doc = yaml.safe_load(f.read_text(encoding="utf-8"))
        items = []
        for n, g in enumerate(doc.get("incidents") or []):
            names = [g["place"], *g.get("place_alt", [])]
            pts = [(places[x]["lat"], places[x]["lon"]) for x in names]
            items.append(Gold(doc["report"], n, g, _gold_span(g), family(g["type"], g["sub"]),
                              pts, {key(x) for x in names}, bool(g.get("optional")),
                              str(g.get("event", ""))))
        out[doc["report"]] = items
    return out, places


def _compatible(inc: Any, g: Gold) -> tuple[bool, bool, float]:
    """(matches, by an unknown date, distance)"""
    from gazetteer.normalize import key

    if family(inc.event_type, inc.sub_event_type) != g.family:
        return False, False, 0.0
    unknown = inc.date.precision == "unknown"
    if g.span is not None:
        a0, a1 = inc.date.bounds()
        if unknown:
            if inc.date.end is not None and g.span[0] > inc.date.end:
                return False, False, 0.0
        elif a1 < g.span[0] or g.span[1] < a0:
            return False, False, 0.0
    loc = inc.location
    if not loc.placed:
        return False, False, 0.0
    d = min(_km((loc.lat, loc.lon), p) for p in g.points)
    # "eastern Deir ez-Zor" (a sector of the named place) is the named place.
    bare = {key(_DIRECTION.sub("", x)) for x in (loc.name, loc.written) if x}
    same_name = bool(({key(loc.name), key(loc.written)} | bare) & g.names) if loc.name else False
    if d <= PLACE_KM or same_name:
        return True, unknown, d
    return False, False, 0.0


def match(incidents: list[Any], gold: list[Gold]) -> list[tuple[int, int, bool]]:
    """One-to-one matches (extracted index, gold index, unknown date): required gold first, then
    the closest place."""
    pairs = []
    for i, inc in enumerate(incidents):
        for j, g in enumerate(gold):
            ok, unknown, d = _compatible(inc, g)
            if ok:
                # Which gold incident it is about: the same name written, the same toll.
                named = not (_words(inc.location.written) & _words(g.raw.get("written", "")))
                toll = (inc.fatalities.best or 0) not in g.killed
                pairs.append((g.optional, unknown, named, toll, d, i, j))
    pairs.sort()
    used_i: set[int] = set()
    used_j: set[int] = set()
    out = []
    for _opt, unknown, _n, _t, _d, i, j in pairs:
        if i in used_i or j in used_j:
            continue
        used_i.add(i)
        used_j.add(j)
        out.append((i, j, unknown))
    return out


_STOP = frozenset({"the", "of", "in", "near", "city", "town", "village", "villages", "district",
                   "province", "area", "areas", "and", "east", "west", "north", "south",
                   "eastern", "western", "northern", "southern", "countryside", "outskirts"})


def _words(s: str) -> set[str]:
    import re

    return {w for w in re.findall(r"[a-z]{3,}", (s or "").lower()) if w not in _STOP}


def _describe(inc: Any) -> str:
    return (f"{inc.date} {inc.event_type}/{inc.sub_event_type} at {inc.location.written!r} -> "
            f"{inc.location.name} p{inc.location.precision} killed {inc.fatalities.best}")


def _describe_gold(g: Gold) -> str:
    r = g.raw
    return (f"{r.get('date', '?')} {r.get('prec')} {r['type']}/{r['sub']} at {r['place']} "
            f"killed {r.get('killed', 0)}")


def score(reports: Path, gold_dir: Path, gz: Any = None, *, region: bool = True,
          only: set[str] | None = None) -> Score:
    import yaml

    from geoevents.extract import extract_files, load_meta
    from geoevents.merge import merge_incidents

    own = gz is None
    if own:
        from gazetteer import Gazetteer

        gz = Gazetteer(verbose=False)
    gold, _places = load_gold(gold_dir)
    meta = load_meta(reports / "meta.yaml")
    if not region:  # as for reports whose --meta file gives no region
        meta = {k: {**v, "region": ""} for k, v in meta.items()}
    styles = {k: v.get("style", "?") for k, v in
              (yaml.safe_load((reports / "meta.yaml").read_text(encoding="utf-8")) or {}).items()}
    files = sorted(reports.glob("*.txt"))
    if only:
        files = [f for f in files if styles.get(f.name, "?") in only]
    ex = extract_files([str(p) for p in files], gz, meta=meta, merge=False)
    sc = Score()
    matched_event: dict[tuple[str, str], str] = {}  # (file, quote) -> gold event key
    # (file, quote) -> which gold incident: its event key, else the report's own incident
    identity: dict[tuple[str, str], str] = {}
    all_incidents = []
    for art in ex.articles:
        name = Path(art.file).name
        gl = gold.get(name, [])
        style = styles.get(name, "?")
        st = sc.per_style[style]
        req = [g for g in gl if not g.optional]
        sc.gold += len(req)
        sc.extracted += len(art.incidents)
        st[0] += len(req)
        st[2] += len(art.incidents)
        ms = match(art.incidents, gl)
        got_i = {i for i, _j, _u in ms}
        got_j = {j for _i, j, _u in ms}
        sc.matched_extracted += len(ms)
        st[3] += len(ms)
        for i, j, unknown in ms:
            g = gl[j]
            inc = art.incidents[i]
            if g.event:
                matched_event[(name, _key(inc))] = g.event
            identity[(name, _key(inc))] = g.event or f"{name}#{j}"
            if g.optional:
                continue
            sc.matched_gold += 1
            st[1] += 1
            sc.unknown_date_matches += unknown
            best = inc.fatalities.best or 0
            if best in g.killed:
                sc.fatal_exact += 1
            else:
                sc.fatal_wrong.append(f"{name}: {best} for {_describe_gold(g)}")
        for j, g in enumerate(gl):
            if j not in got_j and not g.optional:
                sc.misses.append(f"{name}: {_describe_gold(g)}")
        for i, inc in enumerate(art.incidents):
            if i not in got_i:
                sc.wrong.append(f"{name}: {_describe(inc)}")
        all_incidents.extend(art.incidents)
    # Merging: over all reports at once, as `geoevents extract` does.
    merged = merge_incidents(all_incidents)
    where: dict[tuple[str, str], int] = {}
    for m, inc in enumerate(merged):
        for s in inc.sources:
            where[(s.file, s.quote)] = m
    keyed = sorted(matched_event.items())
    for a in range(len(keyed)):
        for b in range(a + 1, len(keyed)):
            (ka, ea), (kb, eb) = keyed[a], keyed[b]
            if ka[0] == kb[0]:
                continue
            joined = where.get(ka) is not None and where.get(ka) == where.get(kb)
            if ea == eb:
                sc.merge_should += 1
                sc.merge_joined += joined
                if not joined:
                    sc.merge_notes.append(f"not merged: {ka[0]} and {kb[0]} ({ea})")
            if joined:
                sc.merge_pairs += 1
                sc.merge_right += ea == eb
                if ea != eb:
                    sc.merge_notes.append(f"wrongly merged: {ka[0]} {ea} with {kb[0]} {eb}")
    # Wrong merges anywhere: a merged incident joining distinct gold incidents of different
    # reports (not only among the same-event groups), and the joins of an incident the gold
    # does not have (not verifiable).
    for inc in merged:
        keys = sorted({(Path(s.file).name, s.quote) for s in inc.sources})
        for a in range(len(keys)):
            for b in range(a + 1, len(keys)):
                ka, kb = keys[a], keys[b]
                if ka[0] == kb[0]:
                    continue
                ia, ib = identity.get(ka), identity.get(kb)
                if ia is None or ib is None:
                    sc.merge_unverified += 1
                    continue
                sc.merge_all += 1
                if ia != ib:
                    sc.merge_wrong += 1
                    if not (ka in matched_event and kb in matched_event):
                        sc.merge_notes.append(f"wrongly merged: {ka[0]} {ia} with {kb[0]} {ib}")
    if own:
        gz.close()
    return sc


def _key(inc: Any) -> str:
    return inc.sources[0].quote if inc.sources else inc.id


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=Path, default=ROOT.parent / "shared" / "reports")
    ap.add_argument("--gold", type=Path, default=ROOT / "tests" / "gold")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="list the misses, the wrong incidents and the wrong figures")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--no-region", action="store_true",
                    help="ignore meta.yaml's region (as for reports given without one)")
    ap.add_argument("--styles", default="",
                    help="only the reports of these styles (comma-separated), e.g. a held-out "
                         "style")
    args = ap.parse_args(argv)
    if not (args.reports / "meta.yaml").is_file():
        print(f"score_extract: no meta.yaml in {args.reports}", file=sys.stderr)
        return 2
    only = {x.strip() for x in args.styles.split(",") if x.strip()} or None
    sc = score(args.reports, args.gold, region=not args.no_region, only=only)
    f = sc.figures()
    if args.json:
        json.dump(f, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    if args.verbose:
        for title, items in (("missed", sc.misses), ("not in the gold", sc.wrong),
                             ("fatalities wrong", sc.fatal_wrong), ("merging", sc.merge_notes)):
            print(f"--- {title} ({len(items)})")
            for x in items:
                print("  " + x)
    print(f"gold incidents {f['gold']}, extracted {f['extracted']}, matched "
          f"{f['matched_gold']} gold / {f['matched_extracted']} extracted")
    print(f"precision {f['precision']}%  recall {f['recall']}%  fatalities exact "
          f"{f['fatalities_exact']}% of matched  (matched with an unknown date: "
          f"{f['unknown_date_matches']}; recall with a known date "
          f"{f['recall_dated']}%)")
    for s, v in f["styles"].items():
        print(f"  {s:14s} recall {v['recall']:5.1f}% of {v['gold']:3d}   precision "
              f"{v['precision']:5.1f}% of {v['extracted']:3d}")
    print(f"merging: {f['merge_recall']}% of {f['merge_should']} same-event pairs merged, "
          f"{f['merge_precision']}% of {f['merge_pairs']} merged pairs right; over all reports "
          f"{f['merge_all']} pairs of gold incidents joined, {f['merge_wrong']} of distinct "
          f"events (wrong), {f['merge_unverified']} joins with an incident not in the gold")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
