"""From inputs to frames: the shared front half of ``geoevents map``, ``export`` and ``brief``.

``INPUT...`` are incident tables and/or articles; ``--lines SPEC`` adds control lines.  The result
is a :class:`Frames` with the GeoDataFrames of :mod:`maps.schema` and the list of everything that
could not be placed, with the reason (nothing is dropped silently).

Inputs are told apart by extension (and content): ``.csv``/``.tsv`` tables (our layout, ACLED
or UCDP GED, told by their columns), ``.geojson``, ``.gpkg``, ``.json``/``.yaml`` (the incident
model, or GeoJSON) are tables read by :mod:`geoevents.tables`; anything else (``.txt``,
``.html``, no extension) is an article read by :mod:`geoevents.extract`, and the articles'
incidents are merged across articles.  A file that cannot be read is a rejection and the other
inputs are still read; only when no input can be read at all is it an error.  Control lines are
added by :mod:`geoevents.control`.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gazetteer import InputError

from .model import Rejection  # its home is the model; importable from here as before


@dataclass(slots=True)
class Frames:
    incidents: Any  # GeoDataFrame, maps.schema INCIDENTS
    lines: Any = None  # GeoDataFrame, maps.schema LINES, or None
    zones: Any = None  # GeoDataFrame, maps.schema ZONES, or None
    rejections: list[Rejection] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # input files, for attribution
    # Places and events articles only mention (geoevents.extract.ContextItem), and warnings
    # (encodings, missing publication dates).
    context: list[Any] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    rows: int = 0  # table rows in the inputs (read, rejected or left out by a filter)
    rows_read: int = 0  # of them, read as incidents
    left_out: int = 0  # left out by --quad-class / --root-code


def add_input_arguments(p: argparse.ArgumentParser) -> None:
    """INPUT... and the options of ``geoevents extract`` shared by map/export/brief."""
    p.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="incident tables (CSV, ACLED/UCDP CSV, GeoJSON, JSON/YAML) and/or "
                   "articles (.txt, .html); none when --store gives the incidents")
    p.add_argument("--published", metavar="DATE",
                   help="publication date of the articles (YYYY-MM-DD), the reference for "
                   "relative dates such as 'last Wednesday'")
    p.add_argument("--meta", metavar="FILE", type=Path,
                   help="YAML file giving each article's outlet, publication date and URL")
    p.add_argument("--lines", metavar="SPEC", type=Path, action="append", default=[],
                   help="control-line spec (YAML) or line GeoJSON; repeatable")
    g = p.add_argument_group("tables")
    g.add_argument("--columns", metavar="ROLE=COLUMN,...",
                   help="read any CSV/TSV/.xlsx with this column mapping, e.g. "
                   "date=Date,lat=Y,lon=X,place=Town,fatalities=Killed (roles: see "
                   "docs/tables.md; also a [columns] table in the config file)")
    d = g.add_mutually_exclusive_group()
    d.add_argument("--dayfirst", action="store_true", default=None,
                   help="slash dates are day-first (3/4/2022 is 3 April)")
    d.add_argument("--monthfirst", dest="dayfirst", action="store_false",
                   help="slash dates are month-first (3/4/2022 is 4 March)")
    g.add_argument("--quad-class", metavar="N,...", default="",
                   help="GDELT: keep only these QuadClass values (4: material conflict)")
    g.add_argument("--root-code", metavar="CODE,...", default="",
                   help="GDELT: keep only these CAMEO root codes (e.g. 18,19,20)")


def table_options(args: argparse.Namespace, config: Any = None) -> Any:
    """The :class:`geoevents.tables.ReadOptions` of a command's arguments (and the config's
    [columns] / [tables] sections when the arguments do not say)."""
    from maps.layouts import parse_columns

    from .tables import ReadOptions

    if config is None:
        from .config import load

        config = load(getattr(args, "config", None))
    spec = getattr(args, "columns", None) or config.columns or None
    try:
        columns = parse_columns(spec) if spec else None
    except ValueError as exc:
        raise InputError(str(exc)) from None
    dayfirst = getattr(args, "dayfirst", None)
    if dayfirst is None:
        dayfirst = config.dayfirst

    def items(text: str, what: str) -> tuple[str, ...]:
        out = tuple(x.strip() for x in str(text or "").split(",") if x.strip())
        for x in out:
            if not x.isdigit():
                raise InputError(f"--{what}: {x!r} is not a number")
        return out

    return ReadOptions(columns=columns, dayfirst=dayfirst,
                       quad_classes=tuple(int(q) for q in items(
                           getattr(args, "quad_class", ""), "quad-class")),
                       root_codes=items(getattr(args, "root_code", ""), "root-code"))


def read_frame_file(path: Path):
    """An incidents table (our CSV, ACLED, UCDP, GeoJSON, JSON/YAML, GeoPackage) as the frame of
    :mod:`maps.schema`; rows that cannot be incidents are left out (see
    :func:`geoevents.tables.read_table` for the rejections)."""
    from .tables import read_table

    return read_table(Path(path)).frame


def is_table(path: Path) -> bool:
    from .tables import TABLE_EXTENSIONS

    return Path(path).suffix.lower() in TABLE_EXTENSIONS


def load_incidents(inputs: list[Path], *, published: str | None = None,
                   meta: Path | None = None, gazetteer: Any = None,
                   progress: Any = None, options: Any = None) -> Frames:
    """Tables and articles -> the incidents frame, rejections, context and messages."""
    import geopandas as gpd
    import pandas as pd

    from .frames import incidents_frame
    from .tables import read_table

    frames = []
    rejections: list[Rejection] = []
    messages: list[str] = []
    context: list[Any] = []
    paths = [Path(p) for p in inputs]
    tables = [p for p in paths if is_table(p)]
    articles = [p for p in paths if not is_table(p)]
    read_ok = 0
    rows = rows_read = left_out = 0
    for p in tables:
        try:
            res = read_table(p, options)
        except InputError as exc:
            rejections.append(Rejection(str(p), exc.line, exc.field, _reason(exc)))
            continue
        read_ok += 1
        frames.append(res.frame)
        rejections.extend(res.rejections)
        messages.extend(res.warnings)
        rows += res.rows
        rows_read += len(res.frame)
        left_out += res.left_out
    if articles or published or meta:
        from .extract import extract_files, load_meta, parse_date_arg

        pub = parse_date_arg(published) if published else None
        meta_map = load_meta(meta) if meta else None
    if articles:
        gz = gazetteer
        if gz is None:
            from gazetteer import Gazetteer

            gz = Gazetteer()
        ex = extract_files(articles, gz, published=pub, meta=meta_map, progress=progress)
        read_ok += len(ex.articles)
        rejections.extend(ex.rejections)
        messages.extend(ex.messages)
        context.extend(ex.context)
        # The frames hold placed incidents (the seam, maps.schema); one the extractor hands
        # over without coordinates is not dropped silently: it is a rejection saying so.
        for inc in ex.incidents:
            if not inc.location.placed:
                src = next((s for s in inc.sources if s.file), None)
                rejections.append(Rejection(
                    src.file if src else "", None, "place",
                    f"incident {inc.id or inc.content_id()} ({inc.location.written or 'no place'}"
                    "): no coordinates, it could not be placed", src.quote[:300] if src else ""))
        frames.append(incidents_frame([i for i in ex.incidents if i.location.placed]))
    if paths and not read_ok:
        detail = "; ".join(str(r) for r in rejections[:5])
        more = f" and {len(rejections) - 5} more" if len(rejections) > 5 else ""
        raise InputError(f"none of the inputs could be read: {detail}{more}")
    if len(frames) == 1 and isinstance(frames[0], gpd.GeoDataFrame):
        incidents = frames[0]  # one table (a large GDELT file): not copied once more
        incidents.index = pd.RangeIndex(len(incidents))
    elif frames:
        incidents = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")
    else:
        incidents = incidents_frame([])
    return Frames(incidents=incidents, rejections=rejections, sources=[str(p) for p in paths],
                  context=context, messages=messages, rows=rows, rows_read=rows_read,
                  left_out=left_out)


def _reason(exc: InputError) -> str:
    import re

    s = str(exc)
    return re.sub(r"^[^:]*(?::\d+)?: (?:field '[^']*': )?", "", s, count=1) if exc.file else s


def load_frames(inputs: list[Path], *, published: str | None = None, meta: Path | None = None,
                lines: list[Path] | None = None, gazetteer: Any = None,
                store: Any = None, options: Any = None) -> Frames:
    """Read every input into the frames of :mod:`maps.schema`; ``store`` (a
    :class:`geoevents.store.StoreQuery`, anything with ``read_into(frames)``: the store package
    builds on this module, not the other way) adds the incidents of a store that pass its filters;
    ``options`` are the :class:`geoevents.tables.ReadOptions` of the table readers."""
    if not inputs and store is None:
        raise InputError("give INPUT files, or --store STORE to read an incident store")
    frames = load_incidents(inputs, published=published, meta=meta, gazetteer=gazetteer,
                            options=options)
    if store is not None:
        store.read_into(frames)
    if lines:  # control lines: build each spec (or read a built file), then give sides
        from .control.lines import load as load_lines
        from .control.sides import assign_sides

        line_frame, zone_frame, warnings = load_lines([Path(p) for p in lines], gazetteer)
        frames.incidents = assign_sides(frames.incidents, line_frame, zone_frame)
        frames.lines, frames.zones = line_frame, zone_frame
        frames.messages.extend(str(w) for w in warnings)
    return frames


#: Rejections printed on the terminal before "and N more" (all of them up to SHOW_ALL).
SHOW, SHOW_ALL = 5, 10


def report_path(output: Path | None) -> Path:
    """Where the rejections of a run writing ``output`` go: ``map.html`` ->
    ``map.rejected.csv`` (``rejected.csv`` without an output)."""
    if output is None:
        return Path("rejected.csv")
    out = Path(output)
    return out.with_name(out.stem + ".rejected.csv")


def write_rejections(rejections: list[Rejection], path: Path) -> None:
    """The rejection report: file, line, field, reason, text (CSV, written atomically)."""
    import csv
    import io

    from gazetteer.atomic import write_file

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["file", "line", "field", "reason", "text"])
    for r in rejections:
        w.writerow([r.file, "" if r.line is None else r.line, r.field or "", r.reason, r.text])
    # the report belongs to the run that writes it: a new run replaces the last one's
    write_file(path, buf.getvalue(), overwrite=True, what="rejection report")


def summary(frames: Frames, report: Path | None) -> str:
    """One line: "5,070 of 5,071 rows read; 1 rejected: see map.rejected.csv"."""
    rej = len(frames.rejections)
    if frames.rows:
        text = f"{frames.rows_read:,} of {frames.rows:,} rows read"
    else:
        n = len(frames.incidents)
        text = f"{n:,} incident{'' if n == 1 else 's'} read"
    if frames.left_out:
        text += f"; {frames.left_out:,} left out by the GDELT filter"
    if rej:
        text += f"; {rej:,} rejected" + (f": see {report}" if report is not None else "")
    return text


def report_rejections(frames: Frames, command: str, output: Path | None, *,
                      stream: Any = None, verb: str = "not mapped",
                      write: bool = True, report: Path | None = None) -> Path | None:
    """Tell what could not be read: a few rejections on the terminal, all of them in the report
    file beside the output, then the summary line.  When nothing at all could be read, the
    report is written and InputError raised (exit status 2, nothing else written).  With
    ``write=False`` the caller writes the report (:func:`write_rejections`) once its own output
    is written, so that a failed write leaves nothing behind.  ``report``: the report's path
    (default: beside the output, :func:`report_path`)."""
    import sys

    stream = stream or sys.stderr
    for m in frames.messages:  # encodings guessed, publication dates missing ...
        print(f"geoevents {command}: warning: {m}", file=stream)
    rej = frames.rejections
    wanted, report = report, None
    nothing = not len(frames.incidents) and bool(rej)
    if rej:
        report = wanted or report_path(output)
        try:
            if write or nothing:
                write_rejections(rej, report)
        except InputError as exc:
            print(f"geoevents {command}: warning: {exc}", file=stream)
            report = None
        shown = rej if len(rej) <= SHOW_ALL else rej[:SHOW]
        for r in shown:
            print(f"geoevents {command}: {verb}: {r}", file=stream)
        if len(rej) > len(shown):
            print(f"geoevents {command}: ... and {len(rej) - len(shown):,} more"
                  + (f" (all in {report})" if report else ""), file=stream)
    line = summary(frames, report)
    if nothing:
        raise InputError(f"nothing could be read: {line}")
    print(f"geoevents {command}: {line}", file=stream)
    return report
