"""``geoevents resolve``: place names to places, as a table or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections import OrderedDict
from collections.abc import Iterator
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
    p.add_argument("--explain", action="store_true",
                   help="say why each answer won: the terms of its score and the weights behind "
                   "them, for the winner and the runner-up (JSON: an \"explain\" object)")
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


def _open_names(spec: str):
    """(label, binary stream) of a names file ('-' for stdin), with a message that says what
    is wrong with a path that is not a readable file."""
    from gazetteer import InputError

    if spec == "-":
        return "<stdin>", sys.stdin.buffer
    path = Path(spec)
    if path.is_dir():
        raise InputError("is a folder, not a file of names (one per line)", file=spec)
    if not path.exists():
        raise InputError("no such file", file=spec)
    try:
        return spec, open(path, "rb")
    except PermissionError:
        raise InputError("permission denied (cannot read the file)", file=spec) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=spec) from None


_MAGIC = ((b"\x1f\x8b", "a gzip-compressed file"), (b"PK\x03\x04", "a ZIP archive (or an .xlsx/.docx)"),
          (b"%PDF", "a PDF document"), (b"\x7fELF", "an executable"),
          (b"SQLite format 3\x00", "an SQLite database"), (b"\xd0\xcf\x11\xe0", "an old Office file"),
          (b"\xff\xfe", "UTF-16 text"), (b"\xfe\xff", "UTF-16 text"))


def _sniff(spec: str) -> None:
    """Say what is wrong with a names file before the index is opened: empty, or binary."""
    from gazetteer import InputError

    label, f = _open_names(spec)
    with f:
        head = f.read(8192)
    if not head:
        raise InputError("the file is empty: no place names (give one per line)", file=label)
    if not head.strip() and len(head) < 8192:
        raise InputError("the file holds only blank lines: no place names", file=label)
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise InputError(f"{what}, not UTF-8 text with one place name per line"
                             + (" (save it as UTF-8)" if what == "UTF-16 text" else ""),
                             file=label)
    if b"\x00" in head:
        raise InputError("binary data (NUL bytes), not a text file of place names "
                         "(one per line)", file=label)


def _iter_names(spec: str) -> Iterator[tuple[str, int, str]]:
    """(source, line number, text) for every line, blank ones included (they are reported,
    never dropped); read as it goes, so memory does not grow with the file."""
    from gazetteer import InputError

    label, f = _open_names(spec)
    try:
        for i, raw in enumerate(f, 1):
            if i == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", file=label,
                                 line=i) from None
            yield label, i, text.rstrip("\r\n")
    finally:
        if f is not sys.stdin.buffer:
            f.close()


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


CHUNK = 2000  # names resolved and written at a time from a file
ENCODED_MAX = 50_000  # names whose JSON line is kept for their repeats
GC_EVERY = 25  # chunks between two runs of the cyclic garbage collector


def run(args: argparse.Namespace) -> int:
    from gazetteer import InputError

    cfg = load_config(args)
    if args.candidates is not None and args.candidates < 0:
        raise InputError("--candidates must be 0 or more")
    if args.mentions:
        if args.names or args.file:
            raise InputError("--mentions reads documents: give no names or --file with it")
        return _run_mentions(args, cfg)
    if not args.names and not args.file:
        print("geoevents resolve: error: give place names, or --file FILE ('-' for stdin)",
              file=sys.stderr)
        return 2
    if args.file and args.file != "-":
        _sniff(args.file)  # a bad path or content is said before the index is opened

    gz = open_gazetteer(args, cfg)
    context = _context(args, cfg, gz)
    stats: dict = {"input_errors": 0, "unresolved": 0, "blank": [], "read": 0}
    items: Iterator[tuple[str, int | None, str]] = iter(
        [("<argv>", None, n) for n in args.names])
    if args.file:
        import itertools

        def counted(it):
            for x in it:
                stats["read"] += 1
                yield x

        items = itertools.chain(items, counted(_iter_names(args.file)))
    together = (args.together or not args.file) and not args.separately
    limit = max(args.candidates or 0, 5)
    if args.json and args.file:
        out = sys.stdout
        n = args.candidates
        import gc

        from gazetteer.batches import gc_paused

        from ._jsonl import answer_head

        encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        # Each distinct name is resolved and encoded once: its repeats reuse the line (up to
        # ENCODED_MAX names kept, the oldest dropped first, so memory stays flat).
        # (An OrderedDict: dropping the oldest of a plain dict rescans its deleted slots.)
        done: OrderedDict[str, tuple[str, str, str]] = OrderedDict()
        # The cyclic collector would walk every young answer after each chunk: paused, and
        # run once every GC_EVERY chunks for the few cycles there are (memory stays flat).
        chunks = 0
        with gc_paused():
            for line, q, r, before in _answers(gz, items, context, together, limit, stats,
                                               done=None if together else done):
                if before is not None:
                    _, head, tail = before
                else:
                    # Without candidates: the bytes of encoding to_dict without them, faster.
                    head = encode(r.to_dict(candidates=n))[:-1] if n else answer_head(r)
                    tail = f',"explain":{encode(gz.explain(r))}' if args.explain else ""
                    if q is not None and not together:
                        if len(done) >= ENCODED_MAX:
                            done.popitem(last=False)
                        done[q] = (r.status, head, tail)
                out.write(f'{head},"line":{"null" if line is None else line}{tail}}}\n')
                if stats.get("flush"):
                    out.flush()
                    stats["flush"] = False
                    chunks += 1
                    if chunks % GC_EVERY == 0:
                        gc.collect()
        out.flush()
    else:
        # Repeats of a name are its first answer (as in JSON Lines; bounded the same way).
        seen: OrderedDict[str, tuple[str, object]] = OrderedDict()
        final = []
        for _, q, r, before in _answers(gz, items, context, together, limit, stats,
                                        done=None if together else seen):
            if before is not None:
                r = before[1]
            elif q is not None and not together:
                if len(seen) >= ENCODED_MAX:
                    seen.popitem(last=False)
                seen[q] = (r.status, r)
            final.append(r)
        if not final:
            return _no_names(args.file)
        if args.json:
            n = args.candidates
            dicts = [r.to_dict(candidates=n if n is not None else 3) for r in final]
            if args.explain:
                for d, r in zip(dicts, final, strict=True):
                    d["explain"] = gz.explain(r)
            json.dump(dicts, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            _print_table(final, args.candidates, gz.weights if args.explain else None)
    if args.file and not args.names and not stats["read"]:
        return _no_names(args.file)
    blank = stats["blank"]
    if blank:
        shown = ", ".join(str(x) for x in blank[:10]) + (", ..." if len(blank) > 10 else "")
        label = "<stdin>" if args.file == "-" else args.file
        print(f"geoevents resolve: {label}: {len(blank)} blank line(s) (line {shown}) "
              "reported as unresolved", file=sys.stderr)
    if stats["input_errors"]:
        return 2
    return 1 if stats["unresolved"] else 0


def _no_names(spec: str) -> int:
    label = "<stdin>" if spec == "-" else spec
    print(f"geoevents resolve: error: {label}: no place names read (give one per line)",
          file=sys.stderr)
    return 2


def _answers(gz, items: Iterator[tuple[str, int | None, str]], context, together: bool,
             limit: int, stats: dict, done: dict | None = None
             ) -> Iterator[tuple[int | None, str | None, object, tuple | None]]:
    """(line, query, Resolution, None) for every item in order: blank lines and invalid names
    as unresolved answers with the reason (and a message naming file and line), the rest
    resolved — one report together, or chunk by chunk, each name on its own.  ``done``:
    queries the caller answered before (``{query: (status, ...)}``): they come back as
    (line, query, None, done[query]), not resolved again."""
    import itertools

    from gazetteer import InputError, Resolution, clean_query

    def check(src: str, line: int | None, name: str):
        if line is not None and not name.strip():
            stats["blank"].append(line)
            return Resolution(query=name, status="unresolved",
                              reason="blank line: no place name"), None
        try:
            return None, clean_query(name)
        except InputError as exc:
            stats["input_errors"] += 1
            where = f"{src}:{line}: " if line else ""
            print(f"geoevents resolve: {where}{exc}", file=sys.stderr)
            return Resolution(query=name, status="unresolved", reason=str(exc)), None

    def resolve(chunk: list[tuple[str, int | None, str]], whole: bool):
        checked = [check(*it) for it in chunk]
        # Decided before the first answer is handed out (the caller fills ``done`` as it goes).
        known = [done.get(q) if bad is None and done is not None else None
                 for bad, q in checked]
        names = [q for (bad, q), k in zip(checked, known, strict=True)
                 if bad is None and k is None]
        if whole and len(names) > 1:
            answers = iter(gz.resolve_document(names, context, limit=limit))
        else:
            answers = iter(gz.resolve_many(names, context, limit=limit, cleaned=True))
        for (_, line, _), (bad, q), k in zip(chunk, checked, known, strict=True):
            if k is not None:
                if k[0] != "resolved":
                    stats["unresolved"] += 1
                yield line, q, None, k
                continue
            r = bad if bad is not None else next(answers)
            if r.status != "resolved":
                stats["unresolved"] += 1
            yield line, q, r, None

    if together:
        yield from resolve(list(items), True)
        return
    bar = progress(itertools.count(), desc="resolving", unit=" names")
    bar_update = getattr(bar, "update", None)
    while True:
        chunk = list(itertools.islice(items, CHUNK))
        if not chunk:
            break
        yield from resolve(chunk, False)
        stats["flush"] = True
        if bar_update is not None:
            bar_update(len(chunk))
    if hasattr(bar, "close"):
        bar.close()


def _print_table(results: list, n_candidates: int | None, explain=None) -> None:
    """The answers as a table; with ``explain`` (the ranking's weights), why each won."""
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
    widths = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(head)]
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
        if explain is not None:
            from gazetteer.ranking import explain_lines

            for line in explain_lines(r, explain):
                out.write(f"    {line}\n")
