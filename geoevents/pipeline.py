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
    from .store.query import add_store_arguments

    add_store_arguments(p)


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
                   progress: Any = None) -> Frames:
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
    for p in tables:
        try:
            res = read_table(p)
        except InputError as exc:
            rejections.append(Rejection(str(p), exc.line, exc.field, _reason(exc)))
            continue
        read_ok += 1
        frames.append(res.frame)
        rejections.extend(res.rejections)
        messages.extend(res.warnings)
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
        frames.append(incidents_frame([i for i in ex.incidents if i.location.placed]))
    if paths and not read_ok:
        detail = "; ".join(str(r) for r in rejections[:5])
        raise InputError(f"none of the inputs could be read: {detail}")
    if frames:
        incidents = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")
    else:
        incidents = incidents_frame([])
    return Frames(incidents=incidents, rejections=rejections, sources=[str(p) for p in paths],
                  context=context, messages=messages)


def _reason(exc: InputError) -> str:
    import re

    s = str(exc)
    return re.sub(r"^[^:]*(?::\d+)?: (?:field '[^']*': )?", "", s, count=1) if exc.file else s


def load_frames(inputs: list[Path], *, published: str | None = None, meta: Path | None = None,
                lines: list[Path] | None = None, gazetteer: Any = None,
                store: Any = None) -> Frames:
    """Read every input into the frames of :mod:`maps.schema`; ``store`` (a
    :class:`geoevents.store.StoreQuery`) adds the incidents of a store that pass its filters."""
    if not inputs and store is None:
        raise InputError("give INPUT files, or --store STORE to read an incident store")
    frames = load_incidents(inputs, published=published, meta=meta, gazetteer=gazetteer)
    if store is not None:
        from .store import read_store

        read_store(frames, store)
    if lines:  # control lines: build each spec (or read a built file), then give sides
        from .control.lines import load as load_lines
        from .control.sides import assign_sides

        line_frame, zone_frame, warnings = load_lines([Path(p) for p in lines], gazetteer)
        frames.incidents = assign_sides(frames.incidents, line_frame, zone_frame)
        frames.lines, frames.zones = line_frame, zone_frame
        frames.messages.extend(str(w) for w in warnings)
    return frames
