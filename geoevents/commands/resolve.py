"""``geoevents resolve``: place names to places, as a table or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ._common import add_gazetteer_options, load_config, open_gazetteer, progress

HELP = "resolve place names to coordinates (with context, confidence and candidates)"
DESCRIPTION = """\
Resolve place names as reporting writes them ("Mayadeen", "Deir Az Zor", "الميادين") to places.

Names given on the command line are read as one report: each is context for the others
("Palmyra" next to "Deir Az Zor" is Tadmur in Syria).  Use --separately to resolve each on its
own.  Names read from a file or stdin (--file, one per line) are resolved separately unless
--together is given.

exit status: 0 all resolved, 1 some names unresolved or ambiguous, 2 usage or input error."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("resolve", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("names", nargs="*", metavar="NAME", help="place names")
    p.add_argument("-f", "--file", metavar="FILE",
                   help="read names from FILE, one per line ('-' for stdin)")
    p.add_argument("--json", action="store_true", help="print JSON (a list of answers)")
    p.add_argument("--mentions", metavar="FILE.jsonl",
                   help="documents with toponym spans, one JSON object per line: {\"id\", "
                   "\"text\", \"mentions\": [{\"start\", \"end\"}]} ('-' for stdin); prints "
                   "one JSON line per document with each mention's place and coordinates, "
                   "resolved with the whole document as context")
    p.add_argument("--focus", metavar="CC", action="append", default=[],
                   help="country focus: ISO code or name (SY, Syria); repeatable or "
                   "comma-separated")
    p.add_argument("--admin1", metavar="AREA", action="append", default=[],
                   help="first-level area in focus (Deir ez-Zor, SY.07); repeatable")
    p.add_argument("--near", metavar="LAT,LON", action="append", default=[],
                   help="a point of interest (decimal degrees); repeatable")
    p.add_argument("--candidates", metavar="N", type=int, default=None,
                   help="list up to N candidates per name (default: 3 for ambiguous names)")
    net = p.add_mutually_exclusive_group()
    net.add_argument("--online", action="store_true",
                     help="ask an online geocoder (Nominatim, 1 request/s, answers cached on "
                     "disk) for names the offline gazetteer cannot answer; off by default "
                     "(also [online] enabled = true in the configuration)")
    net.add_argument("--offline", action="store_true",
                     help="never go online, even when the configuration enables it")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--separately", action="store_true",
                      help="command-line names: resolve each on its own, not as one report")
    mode.add_argument("--together", action="store_true",
                      help="file names: read them as one report (each is context for the rest)")
    add_gazetteer_options(p)
    p.set_defaults(run=run)


def _parse_near(values: list[str]) -> tuple[tuple[float, float], ...]:
    from gazetteer import InputError

    out = []
    for v in values:
        try:
            lat_s, lon_s = v.split(",")
            lat, lon = float(lat_s), float(lon_s)
        except ValueError:
            raise InputError(f"--near {v!r}: expected LAT,LON in decimal degrees") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InputError(f"--near {v!r}: latitude must be in -90..90, longitude in -180..180")
        out.append((lat, lon))
    return tuple(out)


def _context(args: argparse.Namespace, cfg, gz):
    """The query context of the options: --focus (or the config's focus), --admin1, --near."""
    from gazetteer import Context, InputError

    focus = [c.strip() for f in (args.focus or cfg.focus) for c in f.split(",") if c.strip()]
    bad = [f for f in focus if gz.country_code(f) is None]
    if bad:
        raise InputError(f"--focus {bad[0]!r} is not a country code or name")
    return Context(countries=tuple(focus), admin1=tuple(args.admin1),
                   near=_parse_near(args.near))


def _read_names(spec: str) -> list[tuple[str, int, str]]:
    """(source, line number, name) for each non-empty line."""
    from gazetteer import InputError

    if spec == "-":
        data = sys.stdin.buffer.read()
        label = "<stdin>"
    else:
        path = Path(spec)
        if not path.is_file():
            raise InputError("no such file", file=spec)
        data = path.read_bytes()
        label = spec
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text (byte 0x{data[exc.start]:02x})", file=label,
                         line=line) from None
    return [(label, i, ln) for i, ln in enumerate(text.splitlines(), 1) if ln.strip()]


def _run_mentions(args: argparse.Namespace, cfg) -> int:
    from gazetteer.documents import mention_dict, read_documents, resolve_mentions

    gz = open_gazetteer(args, cfg)
    context = _context(args, cfg, gz)
    unresolved = 0
    out = sys.stdout
    for doc in progress(read_documents(args.mentions), desc="resolving documents",
                        unit=" docs"):
        res = resolve_mentions(gz, doc, context)
        ms = [mention_dict(s, e, doc.text[s:e], r)
              for (s, e), r in zip(doc.spans, res, strict=True)]
        unresolved += sum(1 for m in ms if m["status"] != "resolved")
        out.write(json.dumps({"id": doc.id, "mentions": ms}, ensure_ascii=False) + "\n")
    return 1 if unresolved else 0


def _fmt_row(cols: list[str], widths: list[int]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip()


def run(args: argparse.Namespace) -> int:
    from gazetteer import InputError, Resolution, clean_query

    cfg = load_config(args)
    if args.candidates is not None and args.candidates < 0:
        raise InputError("--candidates must be 0 or more")
    if args.mentions:
        if args.names or args.file:
            raise InputError("--mentions reads documents: give no names or --file with it")
        return _run_mentions(args, cfg)
    items: list[tuple[str, int | None, str]] = [("<argv>", None, n) for n in args.names]
    from_file = bool(args.file)
    if args.file:
        items += _read_names(args.file)
    if not items:
        print("geoevents resolve: error: give place names, or --file FILE ('-' for stdin)",
              file=sys.stderr)
        return 2

    gz = open_gazetteer(args, cfg)
    context = _context(args, cfg, gz)

    # Invalid names are reported with where they came from; the rest are resolved.
    input_errors = 0
    valid: list[tuple[int, str]] = []
    results: list[Resolution | None] = [None] * len(items)
    for i, (src, line, name) in enumerate(items):
        try:
            valid.append((i, clean_query(name)))
        except InputError as exc:
            input_errors += 1
            where = f"{src}:{line}: " if line else ""
            print(f"geoevents resolve: {where}{exc}", file=sys.stderr)
            results[i] = Resolution(query=name, status="unresolved", reason=str(exc))

    together = (args.together or not from_file) and not args.separately
    names = [q for _, q in valid]
    limit = max(args.candidates or 0, 5)
    if together and len(names) > 1:
        answers = gz.resolve_document(names, context, limit=limit)
    else:
        answers = gz.resolve_many(progress(names, total=len(names), desc="resolving",
                                           unit=" names"), context, limit=limit)
    for (i, _), r in zip(valid, answers, strict=True):
        results[i] = r
    final = [r for r in results if r is not None]

    if args.json:
        n = args.candidates
        json.dump([r.to_dict(candidates=n if n is not None else 3) for r in final], sys.stdout,
                  ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_table(final, args.candidates)
    unresolved = sum(1 for r in final if r.status != "resolved")
    if input_errors:
        return 2
    return 1 if unresolved else 0


def _print_table(results: list, n_candidates: int | None) -> None:
    head = ["QUERY", "STATUS", "PLACE", "CC", "ADMIN1", "LAT", "LON", "KIND", "MATCH", "CONF",
            "PREC"]
    rows = []
    for r in results:
        p = r.place
        rows.append([
            r.query[:40], r.status, (p.name if p else "-")[:32], p.country if p else "-",
            ((p.admin1_name or p.admin1 or "-") if p else "-")[:20],
            f"{p.lat:.5f}" if p else "-", f"{p.lon:.5f}" if p else "-",
            p.kind if p else "-", r.match or "-", f"{r.confidence:.2f}",
            str(r.precision or "-"),
        ])
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    out = sys.stdout
    out.write(_fmt_row(head, widths) + "\n")
    for r, row in zip(results, rows, strict=True):
        out.write(_fmt_row(row, widths) + "\n")
        n = n_candidates if n_candidates is not None else (3 if r.status == "ambiguous" else 0)
        if r.reason and r.status != "resolved":
            out.write(f"    {r.reason}\n")
        elif r.reason:
            out.write(f"    note: {r.reason}\n")
        for c in r.candidates[:n]:
            p = c.place
            dist = f", {c.distance_km:.0f} km from context" if c.distance_km is not None else ""
            out.write(f"    candidate: {p.name} ({p.country}{', ' + p.admin1_name if p.admin1_name else ''})"
                      f" {p.lat:.4f},{p.lon:.4f} {p.kind} pop {p.population} [{c.match}, score"
                      f" {c.score:.2f}{dist}] {p.uid}\n")
        if r.status == "unresolved" and r.suggestions:
            out.write(f"    did you mean: {', '.join(r.suggestions)}\n")
