"""Exports of the incidents, control-lines and zones frames (:mod:`maps.schema`) to files that open
right in QGIS, Google Earth and spreadsheets.

Formats (chosen from the output's extension, or given):

``gpkg``     GeoPackage 1.2: layers ``incidents`` (points), ``sources`` (a table: one row per
             source per incident), ``control_lines`` and ``zones`` (always present, empty when
             there are none), each with typed fields (Date/DateTime, Integer, Real, Boolean), an
             R-tree spatial index, and a default QGIS style in ``layer_styles``.
``geojson``  RFC 7946 GeoJSON, one file per layer: ``out.geojson`` holds the incidents,
             ``out.control_lines.geojson`` and ``out.zones.geojson`` the lines and zones (when
             given); a QGIS style ``<file>.qml`` beside each, which QGIS loads by default.
             Every layer is streamed by :mod:`maps.geojson` (Arrow string kernels), the one
             GeoJSON writer; polygon rings oriented as RFC 7946 asks.
``kml``      KML 2.2 for Google Earth (see :mod:`maps.kml`).
``csv``      CSV in the geoevents layout: the incident columns of :mod:`maps.schema`, UTF-8 with
             a byte-order mark (so spreadsheets read Arabic and accented names right), RFC 4180
             quoting and CRLF line ends.
``acled-csv`` CSV in ACLED's export columns (the mapping of :mod:`maps.layouts`, which the
             ACLED reader shares), UTF-8 without a byte-order mark (the first column name stays
             ``event_id_cnty`` for R and other tools), RFC 4180 quoting, CRLF line ends.

Every file is written to a temporary file in the target folder and renamed into place, so a
failed export leaves nothing half-written; an existing file is replaced only with
``overwrite=True``.  Output is byte-identical for the same input, GeoPackage included (the
``last_change`` stamps GDAL writes are fixed at :data:`FIXED_TIMESTAMP`, or the time in
``$SOURCE_DATE_EPOCH``).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import tables, writers
from .tables import AREAS, INCIDENTS, LINES, SOURCES, ZONES, FrameError

#: The formats ``export`` writes (the table is :data:`maps.writers.FORMATS`).
FORMATS: dict[str, str] = {name: writers.FORMATS[name].description
                           for name in writers.COMMAND_FORMATS["export"]}
FORMAT_EXTENSIONS: dict[str, tuple[str, ...]] = {
    name: writers.FORMATS[name].extensions for name in writers.COMMAND_FORMATS["export"]}
FIXED_TIMESTAMP = writers.FIXED_TIMESTAMP
fixed_timestamp = writers.fixed_timestamp
gdal_config = writers.gdal_config
GPKG_GEOMETRY = "geom"
CSV_BOM = b"\xef\xbb\xbf"


class ExportError(writers.OutputError):
    """An export that cannot be written as asked (bad path, existing file, unknown format)."""


@dataclass(slots=True)
class ExportResult:
    format: str
    files: list[Path]
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [f"{n} {name.replace('_', ' ')}" for name, n in self.counts.items()]
        return f"wrote {', '.join(str(f) for f in self.files)}: {', '.join(parts)}"


# --- formats and paths ---------------------------------------------------------------------------

def resolve_format(path: Path, fmt: str | None = None) -> str:
    """The format for ``path``: ``fmt`` if given (checked against the extension), else from the
    extension; ExportError listing what we write otherwise (:func:`maps.writers.format_for`)."""
    return writers.format_for("export", path, fmt, error=ExportError)


def sibling(path: Path, layer: str, suffix: str | None = None) -> Path:
    """``out.geojson`` -> ``out.<layer>.geojson`` (the other layers of a one-file-per-layer
    export); ``layer=""`` with ``suffix`` swaps the extension (``out.qml``)."""
    stem = path.name[: len(path.name) - len(path.suffix)] if path.suffix else path.name
    name = f"{stem}.{layer}" if layer else stem
    return path.with_name(name + (suffix if suffix is not None else path.suffix))


def output_files(path: Path, fmt: str, *, lines: bool = False, zones: bool = False,
                 areas: bool = False) -> list[Path]:
    """Every file an export to ``path`` writes."""
    if fmt != "geojson":
        return [path]
    files = [path, sibling(path, "", ".qml")]
    for present, layer in ((lines, LINES), (zones, ZONES), (areas, AREAS)):
        if present:
            files += [sibling(path, layer), sibling(path, layer, ".qml")]
    return files


def _stale_siblings(path: Path, fmt: str, planned: list[Path]) -> list[Path]:
    """Layer files of an earlier GeoJSON export to ``path`` that this one would not rewrite."""
    if fmt != "geojson":
        return []
    candidates = output_files(path, fmt, lines=True, zones=True, areas=True)
    return [p for p in candidates if p not in planned and p.exists()]


# --- frames --------------------------------------------------------------------------------------

def _empty(columns: dict[str, str]) -> Any:
    import geopandas as gpd

    return gpd.GeoDataFrame({c: [] for c in columns}, geometry=[], crs=4326)


def prepare(frame: Any, layer: str) -> Any:
    """The frame in EPSG:4326, checked against its schema and geometry types."""
    import geopandas as gpd

    from .schema import (
        LINE_COLUMNS,
        ZONE_COLUMNS,
        SchemaError,
        check_areas,
        check_incidents,
        check_lines,
        check_zones,
    )

    if frame is None:
        return _empty(LINE_COLUMNS if layer == LINES else ZONE_COLUMNS)
    if not isinstance(frame, gpd.GeoDataFrame):
        raise ExportError(f"{layer}: expected a GeoDataFrame, got {type(frame).__name__}")
    if frame.crs is None:
        frame = frame.set_crs(4326)
    elif frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    checker = {INCIDENTS: check_incidents, LINES: check_lines, ZONES: check_zones,
               AREAS: check_areas}[layer]
    try:
        checker(frame)
    except SchemaError as exc:
        raise ExportError(str(exc)) from None
    if layer == AREAS:  # text is never missing in the schema: "" for no second party etc.
        frame = frame.copy()
        for c in ("party2", "color2", "valid_to", "sources"):
            frame[c] = frame[c].where(frame[c].notna(), "")
    tables.check_geometries(frame, layer)
    return frame


def labelled(frame: Any) -> Any:
    """The incidents with their ``label`` field (:data:`maps.schema.LABEL_COLUMN`): each place's
    display name by the one rule of the maps, the image and the briefing
    (:func:`maps.names.display_names`).  A shallow copy: the caller's frame is not changed."""
    from .names import display_names
    from .schema import LABEL_COLUMN

    out = frame.copy(deep=False)
    out[LABEL_COLUMN] = display_names(frame) if len(frame) else []
    return out


def _progress(batches: Iterator[Any], total: int, desc: str, show: bool) -> Iterator[Any]:
    if not show:
        return batches
    from tqdm import tqdm

    return tqdm(batches, total=total, desc=desc, unit=" batches", file=sys.stderr, leave=False)


class _Batches:
    """Record batches for GDAL; an exception raised while converting a batch (a bad value) is
    kept and re-raised by :meth:`reraise`, since Arrow's stream would report only "Error while
    accessing batch from stream"."""

    def __init__(self, batches: Iterator[Any]) -> None:
        self.batches = batches
        self.error: BaseException | None = None

    def __iter__(self) -> Iterator[Any]:
        try:
            yield from self.batches
        except BaseException as exc:
            self.error = exc
            raise

    def reraise(self) -> None:
        if self.error is not None:
            raise self.error


_current: list[_Batches] = []


def _reader(frame: Any, layer: str, *, dates: str, geometry: bool = True,
            multi: str | None = None, decimals: int | None = None, chunk: int = 65536,
            progress: bool = False, geometry_name: str = "geometry") -> Any:
    import pyarrow as pa

    schema, batches = tables.arrow_batches(frame, layer, dates=dates, geometry=geometry,
                                           multi=multi, decimals=decimals, chunk=chunk,
                                           geometry_name=geometry_name)
    total = max(1, -(-len(frame) // chunk))
    wrapped = _Batches(batches)
    _current.append(wrapped)
    return pa.RecordBatchReader.from_batches(
        schema, _progress(iter(wrapped), total, f"{layer}", progress and len(frame) > chunk))


# --- GeoPackage ----------------------------------------------------------------------------------

GPKG_GEOMETRY_TYPES = {INCIDENTS: "Point", LINES: "MultiLineString", ZONES: "MultiPolygon",
                       AREAS: "MultiPolygon"}
DESCRIPTIONS = {
    INCIDENTS: "Incidents (one point per incident); geoevents",
    SOURCES: "Sources: one row per source per incident (incident_id -> incidents.id)",
    LINES: "Control lines; the left/right bank looking along the line (downstream)",
    ZONES: "Zones on each side of the control lines",
    AREAS: "Control areas: each party's territory as of each date (geoevents areas build)",
}


def write_geopackage(path: Path, incidents: Any, lines: Any = None, zones: Any = None, *,
                     areas: Any = None, progress: bool = False) -> dict[str, int]:
    """Write a GeoPackage to ``path`` (a new file); returns feature counts per layer."""
    from concurrent.futures import ThreadPoolExecutor

    import pandas as pd
    import pyarrow as pa
    import pyogrio

    from . import qgis_styles

    lines_f = prepare(lines, LINES)
    zones_f = prepare(zones, ZONES)
    stamp = fixed_timestamp()
    counts: dict[str, int] = {}
    first = True
    # The sources table is parsed (by Arrow, outside the GIL) while GDAL writes the incidents.
    # A fresh temporary file needs no rollback journal and no fsync before it is renamed.
    with ThreadPoolExecutor(max_workers=1) as pool, gdal_config(**writers.gpkg_options()):
        parsed = pool.submit(tables.source_rows, incidents)
        layers = [(INCIDENTS, incidents, None), (SOURCES, parsed, None),
                  (LINES, lines_f, "line"), (ZONES, zones_f, "polygon")]
        if areas is not None:  # control areas: a layer only when given
            layers.append((AREAS, areas, "polygon"))
        for layer, frame, multi in layers:
            if layer == SOURCES:
                frame = parsed.result()
            spatial = layer != SOURCES
            reader = _reader(frame, layer, dates="typed", geometry=spatial, multi=multi,
                             progress=progress and layer == INCIDENTS,
                             geometry_name=GPKG_GEOMETRY)
            pyogrio.write_arrow(
                reader, path, layer=layer, driver="GPKG",
                geometry_name=GPKG_GEOMETRY if spatial else None,
                geometry_type=GPKG_GEOMETRY_TYPES.get(layer),
                crs="EPSG:4326" if spatial else None,
                dataset_options={"VERSION": "1.2"} if first else None,
                layer_options={"DESCRIPTION": DESCRIPTIONS[layer], "IDENTIFIER": layer,
                               **({"GEOMETRY_NAME": GPKG_GEOMETRY} if spatial else {})})
            first = False
            counts[layer] = len(frame)
        styles = {INCIDENTS: qgis_styles.incidents_qml(incidents),
                  LINES: qgis_styles.lines_qml(lines_f),
                  ZONES: qgis_styles.zones_qml(zones_f)}
        if areas is not None:
            styles[AREAS] = qgis_styles.areas_qml(areas)
        n = len(styles)
        table = pa.table({
            "f_table_catalog": pa.array([""] * n), "f_table_schema": pa.array([""] * n),
            "f_table_name": pa.array(list(styles)),
            "f_geometry_column": pa.array([GPKG_GEOMETRY] * n),
            "styleName": pa.array(list(styles)), "styleQML": pa.array(list(styles.values())),
            "styleSLD": pa.array([""] * n), "useAsDefault": pa.array([True] * n),
            "description": pa.array(["geoevents default style"] * n),
            "owner": pa.array([""] * n), "ui": pa.array([None] * n, type=pa.string()),
            "update_time": pa.array([pd.Timestamp(stamp).tz_convert(None)] * n,
                                    type=pa.timestamp("ms")),
        })
        pyogrio.write_arrow(table, path, layer="layer_styles", driver="GPKG",
                            layer_options={"FID": "id"})
    return counts


# --- GeoJSON -------------------------------------------------------------------------------------

def write_geojson_layer(path: Path, frame: Any, layer: str, *, progress: bool = False,
                        chunk: int = 65536) -> int:
    """One layer as an RFC 7946 FeatureCollection (lon/lat WGS 84, no ``crs`` member, outer
    rings counter-clockwise, coordinates rounded to 7 decimals), streamed batch by batch by
    :mod:`maps.geojson` (Arrow string kernels, several times faster than GDAL's driver);
    properties typed as :func:`maps.tables.layer_fields` says, dates as ISO text."""
    from .geojson import write_features

    _, batches = tables.arrow_batches(frame, layer, dates="text", geometry=False, chunk=chunk)
    total = max(1, -(-len(frame) // chunk))
    with open(path, "wb") as out:
        return write_features(out, frame, layer, chunk=chunk, rfc7946=layer != INCIDENTS,
                              batches=_progress(batches, total, layer,
                                                progress and len(frame) > chunk))


def write_incidents_geojson(path: Path, frame: Any, *, progress: bool = False,
                            chunk: int = 65536) -> int:
    """The incidents layer (:func:`write_geojson_layer`)."""
    return write_geojson_layer(path, frame, INCIDENTS, progress=progress, chunk=chunk)


# --- CSV -----------------------------------------------------------------------------------------

def _neutralise_formulas(arr: Any) -> Any:
    """Text starting with = + - @ (not a number) gets a leading apostrophe, so a spreadsheet
    shows it instead of running it as a formula."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_string(arr.type) or len(arr) == 0:
        return arr
    risky = pc.and_(pc.match_substring_regex(arr, r"^[=+\-@\t\r]"),
                    pc.invert(pc.match_substring_regex(arr, r"^[-+]?[0-9.]+(?:[eE][-+]?\d+)?$")))
    risky = pc.fill_null(risky, False)
    if not pc.any(risky).as_py():
        return arr
    return pc.if_else(risky, pc.binary_join_element_wise("'", arr, ""), arr)


def write_acled_csv(out: Any, frame: Any) -> int:
    """The incidents in ACLED's column layout (:func:`maps.layouts.frame_to_acled`) as CSV to
    the binary file ``out``."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from .layouts import frame_to_acled

    table = pd.DataFrame(frame.drop(columns=[frame.geometry.name]))
    acled = frame_to_acled(table)
    arrays = [_neutralise_formulas(pa.array(acled[c].astype(object).where(acled[c].notna(),
                                                                          None),
                                            type=pa.string()))
              for c in acled.columns]
    batch = pa.RecordBatch.from_arrays(arrays, names=[str(c) for c in acled.columns])
    pacsv.write_csv(batch, out, write_options=pacsv.WriteOptions(
        quoting_style="needed", eol="\r\n", include_header=True))
    return len(acled)


def write_csv(out: Any, frame: Any, layer: str = INCIDENTS, *, progress: bool = False) -> int:
    """The frame's schema columns (no geometry) as CSV to the binary file ``out``."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    out.write(CSV_BOM)
    reader = _reader(frame, layer, dates="text", geometry=False, progress=progress)
    options = pacsv.WriteOptions(quoting_style="needed", eol="\r\n", include_header=True)
    writer = None
    for batch in reader:
        cols = [_neutralise_formulas(c) for c in batch.columns]
        batch = pa.RecordBatch.from_arrays(cols, names=batch.schema.names)
        if writer is None:
            writer = pacsv.CSVWriter(out, batch.schema, write_options=options)
        writer.write_batch(batch)
    if writer is None:  # pragma: no cover - arrow_batches yields at least one batch
        return 0
    writer.close()
    return len(frame)


# --- the entry point -----------------------------------------------------------------------------

def export_frames(path: str | os.PathLike[str], incidents: Any, lines: Any = None,
                  zones: Any = None, *, areas: Any = None, fmt: str | None = None,
                  overwrite: bool = False,
                  progress: bool | None = None,
                  inputs: Iterable[str | os.PathLike[str]] = ()) -> ExportResult:
    """Write the frames to ``path`` in ``fmt`` (default: from the extension).

    ``lines``/``zones``/``areas`` (the AREAS frame of :mod:`geoevents.control.areas`) may be
    None; ``inputs``: files the frames were read from, which the
    export refuses to write over.  Files are written by :class:`maps.writers.Staged`.  Raises :class:`ExportError` for a path or format we cannot
    write (nothing is left behind) and :class:`maps.tables.FrameError` for a value a field cannot
    hold.  ``progress``: a bar on stderr (default: when stderr is a terminal).
    """
    path = Path(path)
    fmt = resolve_format(path, fmt)
    if progress is None:
        progress = sys.stderr.isatty()
    incidents = prepare(incidents, INCIDENTS)
    if fmt != "acled-csv":  # ACLED's layout has no such column
        incidents = labelled(incidents)
    lines = prepare(lines, LINES) if lines is not None else None
    zones = prepare(zones, ZONES) if zones is not None else None
    areas = prepare(areas, AREAS) if areas is not None else None
    planned = output_files(path, fmt, lines=lines is not None, zones=zones is not None,
                           areas=areas is not None)
    staging = writers.Staged(planned, overwrite=overwrite, inputs=inputs, what="export",
                             error=ExportError)
    stale = _stale_siblings(path, fmt, planned) if overwrite else []
    try:
        counts = _write(fmt, path, staging, incidents, lines, zones, areas=areas,
                        progress=progress)
        staging.commit()
    except BaseException:
        staging.abort()
        raise
    finally:
        _current.clear()
    for p in stale:  # an earlier export's zones.geojson etc. would no longer match
        with contextlib.suppress(OSError):
            p.unlink()
    return ExportResult(format=fmt, files=planned, counts=counts)


def _write(fmt: str, path: Path, staging: writers.Staged, incidents: Any, lines: Any, zones: Any, *,
           areas: Any = None, progress: bool) -> dict[str, int]:
    from . import qgis_styles

    try:
        if fmt == "gpkg":
            return write_geopackage(staging.path(path), incidents, lines, zones, areas=areas,
                                    progress=progress)
        if fmt == "geojson":
            counts = {INCIDENTS: write_incidents_geojson(staging.path(path), incidents,
                                                         progress=progress)}
            _write_text(staging.path(sibling(path, "", ".qml")),
                        qgis_styles.incidents_qml(incidents))
            for layer, frame, style in ((LINES, lines, qgis_styles.lines_qml),
                                        (ZONES, zones, qgis_styles.zones_qml),
                                        (AREAS, areas, qgis_styles.areas_qml)):
                if frame is not None:
                    counts[layer] = write_geojson_layer(staging.path(sibling(path, layer)),
                                                        frame, layer)
                    _write_text(staging.path(sibling(path, layer, ".qml")), style(frame))
            return counts
        if fmt == "kml":
            from .kml import write_kml

            with open(staging.path(path), "w", encoding="utf-8", newline="\n") as out:
                return write_kml(out, incidents, lines, zones, areas=areas, name=path.stem,
                                 progress=progress)
        if fmt == "csv":
            with open(staging.path(path), "wb") as out:
                return {INCIDENTS: write_csv(out, incidents, progress=progress)}
        if fmt == "acled-csv":
            with open(staging.path(path), "wb") as out:
                return {INCIDENTS: write_acled_csv(out, incidents)}
    except FrameError:
        raise
    except Exception as exc:
        problem = staging.disk_problem(exc)  # a full disk, a lost permission: not our data
        if problem is not None:
            raise problem from None
        _reraise_gdal(exc, path)
        raise
    raise ExportError(f"unknown format {fmt!r}")  # pragma: no cover


def _reraise_gdal(exc: Exception, path: Path) -> None:
    """Raise the error behind a GDAL or Arrow failure as a message where it is one: a bad value
    met while converting a batch (Arrow only says "Error while accessing batch from stream"),
    an OSError, a GDAL error."""
    import pyogrio.errors

    if isinstance(exc, RuntimeError):
        for batches in _current:
            batches.reraise()
    if isinstance(exc, OSError):
        raise ExportError(f"{path}: cannot write the export: {writers.reason(exc)}") from None
    if isinstance(exc, pyogrio.errors.DataSourceError | pyogrio.errors.DataLayerError
                  | pyogrio.errors.FieldError | pyogrio.errors.GeometryError):
        raise ExportError(f"{path}: {exc}") from None


def _write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)
