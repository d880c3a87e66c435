"""From inputs to frames: the shared front half of ``geoevents map``, ``export`` and ``brief``.

``INPUT...`` are incident tables and/or articles; ``--lines SPEC`` adds control lines.  The result
is a :class:`Frames` with the GeoDataFrames of :mod:`maps.schema` and the list of everything that
could not be placed, with the reason (nothing is dropped silently).

Status: incident tables in the frame layout of :mod:`maps.schema` (GeoJSON, our CSV) are read
here; articles, ACLED/UCDP tables and control lines are added by the incidents and control-lines
modules (:mod:`geoevents.tables`, :mod:`geoevents.extract`, :mod:`geoevents.lines`).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gazetteer import InputError


@dataclass(slots=True)
class Rejection:
    """An input item that did not become a mapped incident, and why."""

    file: str
    line: int | None
    field: str | None
    reason: str
    text: str = ""

    def __str__(self) -> str:
        where = ":".join(str(x) for x in (self.file, self.line) if x is not None)
        fld = f" [{self.field}]" if self.field else ""
        return f"{where}{fld}: {self.reason}"


@dataclass(slots=True)
class Frames:
    incidents: Any  # GeoDataFrame, maps.schema INCIDENTS
    lines: Any = None  # GeoDataFrame, maps.schema LINES, or None
    zones: Any = None  # GeoDataFrame, maps.schema ZONES, or None
    rejections: list[Rejection] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # input files, for attribution


def add_input_arguments(p: argparse.ArgumentParser) -> None:
    """INPUT... and the options of ``geoevents extract`` shared by map/export/brief."""
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="incident tables (CSV, ACLED/UCDP CSV, GeoJSON, JSON/YAML) and/or "
                   "articles (.txt, .html)")
    p.add_argument("--published", metavar="DATE",
                   help="publication date of the articles (YYYY-MM-DD), the reference for "
                   "relative dates such as 'last Wednesday'")
    p.add_argument("--meta", metavar="FILE", type=Path,
                   help="YAML file giving each article's outlet, publication date and URL")
    p.add_argument("--lines", metavar="SPEC", type=Path, action="append", default=[],
                   help="control-line spec (YAML) or line GeoJSON; repeatable")


def read_frame_file(path: Path):
    """An incidents file already in the :mod:`maps.schema` layout (GeoJSON or our CSV)."""
    import geopandas as gpd
    import pandas as pd

    from maps.schema import INCIDENT_COLUMNS, SchemaError, check_incidents

    if not path.is_file():
        raise InputError("no such file", file=str(path))
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json", ".gpkg"):
        frame = gpd.read_file(path, engine="pyogrio")
    elif suffix == ".csv":
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        missing = [c for c in ("lat", "lon") if c not in table.columns]
        if missing:
            raise InputError(f"missing column(s) {', '.join(missing)}; expected the columns "
                             f"{', '.join(INCIDENT_COLUMNS)}", file=str(path), line=1)
        frame = gpd.GeoDataFrame(
            table, geometry=gpd.points_from_xy(table["lon"].astype(float),
                                               table["lat"].astype(float)), crs=4326)
    else:
        raise InputError(f"cannot read {suffix or 'files without extension'} here",
                         file=str(path))
    try:
        check_incidents(frame)
    except SchemaError as exc:
        raise InputError(str(exc), file=str(path)) from None
    return frame


def load_frames(inputs: list[Path], *, published: str | None = None, meta: Path | None = None,
                lines: list[Path] | None = None, gazetteer: Any = None) -> Frames:
    """Read every input into the frames of :mod:`maps.schema`."""
    import pandas as pd

    frames = [read_frame_file(Path(p)) for p in inputs]
    import geopandas as gpd

    incidents = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=4326)
    line_frame = zone_frame = None
    if lines:  # control lines: build each spec (or read a built file), then give sides
        from .lines import assign_sides
        from .lines import load as load_lines

        line_frame, zone_frame, _warnings = load_lines([Path(p) for p in lines], gazetteer)
        incidents = assign_sides(incidents, line_frame, zone_frame)
    return Frames(incidents=incidents, lines=line_frame, zones=zone_frame,
                  sources=[str(p) for p in inputs])
