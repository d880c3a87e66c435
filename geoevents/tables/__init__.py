"""Incident tables in and out: our CSV (the columns of :mod:`maps.schema`), JSON and YAML (the
incident model), GeoJSON features, ACLED export CSV and UCDP GED CSV.

Reading never loses a row silently: every row becomes an incident (a row of the frame) or a
:class:`~geoevents.model.Rejection` with file, line, field and reason.  A file that cannot be
read at all (empty, binary, an HTML page, an unknown layout, a missing column) raises
:class:`gazetteer.InputError` with a message saying what was expected.

CSV is read with Apache Arrow's reader (multi-threaded, typed as text) and mapped column by
column with pandas (see :mod:`maps.layouts`); a quoted value may hold line breaks; rows with the
wrong number of fields or a broken quote are rejected with their line and the rest of the file
is read.  Non-UTF-8 files and files
mixing encodings are decoded line by line (see :mod:`geoevents.textio`) with a warning naming
the lines.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gazetteer import InputError

from ..model import Incident, IncidentError, Rejection
from ..textio import check_binary, decode
from .core import (  # noqa: F401 (the package's names)
    _DEFAULT,
    ReadOptions,
    TableRead,
    _arrow_csv,
    _bad_row_rejections,
    _frame_columns,
    _is_hxl_row,
    _keep_rows,
    _line_break_stand_in,
    _LineIndex,
    _one_record,
    _quoted_record_end,
    _restore_line_breaks,
    _RowLines,
    _to_frame,
    validate_rows,
)

#: Extensions read as tables (anything else is an article).
TABLE_EXTENSIONS = (".csv", ".tsv", ".tab", ".json", ".geojson", ".yaml", ".yml", ".gpkg", ".xlsx",
                    ".xlsm", ".zip")


# ------------------------------------------------------------------------------------ reading
def read_table(path: str | Path, options: ReadOptions | None = None) -> TableRead:
    """Read any incident table (by extension and content) into the incidents frame."""
    opts = options or _DEFAULT
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", file=str(p))
    if p.is_dir():
        raise InputError("is a folder, not a file", file=str(p))
    suffix = p.suffix.lower()
    try:
        if suffix == ".zip":
            return _read_zip(p, opts)
        if suffix in (".csv", ".tsv", ".txt", ".tab"):
            return read_csv(p, opts)
        if suffix in (".xlsx", ".xlsm"):
            from .sheets import read_xlsx

            return read_xlsx(p, opts)
        if suffix == ".gpkg":
            return _read_gpkg(p)
        if suffix in (".json", ".geojson", ".yaml", ".yml"):
            return _read_json_yaml(p, suffix, opts)
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", file=str(p)) from None
    raise InputError(f"cannot read {suffix or 'files without an extension'} as a table; "
                     "tables are .csv/.tsv (ours, ACLED, UCDP, GDELT, any with --columns), "
                     ".xlsx, .zip (of one of these), .geojson, .json, .yaml, .gpkg",
                     file=str(p))


def _read_json_yaml(p: Path, suffix: str, opts: ReadOptions) -> TableRead:
    data = p.read_bytes()
    text, warnings = decode(data, str(p))
    if suffix in (".yaml", ".yml"):
        return _read_model(p, text, warnings, yaml_=True)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} (column {exc.colno})", file=str(p),
                         line=exc.lineno) from None
    except RecursionError:
        raise InputError("not valid JSON: nested too deeply", file=str(p)) from None
    if isinstance(doc, dict) and doc.get("type") in ("FeatureCollection", "Feature"):
        return _read_geojson(p, doc, warnings)
    from .sheets import api_records

    records = api_records(doc)
    if records is not None:
        from .sheets import read_records

        return read_records(p, records, warnings, opts)
    return _read_model(p, doc, warnings, yaml_=False)


def _read_zip(p: Path, opts: ReadOptions) -> TableRead:
    """A .zip holding one table (GDELT's daily files, zipped exports): read its member."""
    import zipfile
    import zlib

    file = str(p)
    try:
        with zipfile.ZipFile(p) as zf:
            members = [i for i in zf.infolist() if not i.is_dir() and
                       not i.filename.startswith("__MACOSX/")]
            tables = [i for i in members if Path(i.filename).suffix.lower() in
                      (".csv", ".tsv", ".txt", ".tab")]
            if len(tables) != 1:
                raise InputError(f"a .zip must hold one table (.csv/.tsv/.txt); this one holds "
                                 f"{len(tables)} of {len(members)} file(s)", file=file)
            member = f"{file}!{tables[0].filename}"
            with zf.open(tables[0]) as fh:
                from .gdelt import is_gdelt_head, read_gdelt_stream

                head = fh.peek(65536)[:65536] if hasattr(fh, "peek") else b""
                if is_gdelt_head(head):
                    return read_gdelt_stream(fh, member, opts)
                data = fh.read()
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise InputError(f"the .zip archive is damaged or truncated ({exc}); download it "
                         "again", file=file) from None
    return read_csv_bytes(data, member, opts)


def read_csv(path: Path, options: ReadOptions | None = None) -> TableRead:
    opts = options or _DEFAULT
    file = str(path)
    with open(path, "rb") as fh:
        head = fh.read(65536)
    from .gdelt import is_gdelt_head

    if is_gdelt_head(head):
        from .gdelt import read_gdelt

        return read_gdelt(path, opts)
    return read_csv_bytes(path.read_bytes(), file, opts)


def read_csv_bytes(data: bytes, file: str, opts: ReadOptions | None = None) -> TableRead:
    import pyarrow as pa

    from maps.layouts import (
        ACLED_REQUIRED,
        UCDP_COLUMNS,
        UCDP_REQUIRED,
        detect_layout,
        expected_columns_message,
    )

    opts = opts or _DEFAULT
    if not data[:65536].strip() and not data.strip():
        raise InputError("empty file" if not data else "the file holds only white space",
                         file=file)
    check_binary(data, file)
    head = data[:4096].lstrip().lower()
    if head.startswith((b"<!doctype", b"<html", b"<?xml")) or re.match(rb"<(?:head|body|div|p)\b",
                                                                        head):
        raise InputError("this is an HTML page, not a CSV table (a web page saved instead of "
                         "the export?)", file=file, line=1)
    warnings: list[str] = []
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        text, warnings = decode(data, file)
        data = text.encode("utf-8")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nl = data.find(b"\n")
    first = (data if nl < 0 else data[:nl]).decode("utf-8").rstrip("\r")
    # Tabs (TSV, GDELT), semicolons (a CSV saved by a spreadsheet in a locale whose decimal
    # mark is a comma) or commas: whichever the header has most of.
    counts = {d: first.count(d) for d in ("\t", ";")}
    delimiter = max(counts, key=counts.get) if max(counts.values()) > first.count(",") else ","
    import csv

    header = [h.strip() for h in next(csv.reader([first], delimiter=delimiter), [])]
    lower = [h.lower() for h in header]
    layout = "columns" if opts.columns else detect_layout(lower)
    headerless = False
    if layout is None and len(header) == len(UCDP_COLUMNS) and header[0].strip().isdigit() \
            and re.match(r"^[A-Z]{2,4}-\d{4}-\d", header[1].strip()):
        layout, headerless = "ucdp", True  # GED as downloaded without its header row
        lower = list(UCDP_COLUMNS)
    if layout is None:
        raise InputError("not an incident table I know: " + expected_columns_message() +
                         "; for any other table give --columns (date=...,lat=...,lon=...)",
                         file=file, line=1)
    required = {"frame": ("date_start", "lat", "lon"), "acled": ACLED_REQUIRED,
                "ucdp": UCDP_REQUIRED, "columns": ()}[layout]
    missing = [c for c in required if c not in lower]
    if missing:
        raise InputError(f"a {layout.upper() if layout != 'frame' else 'incidents'} table "
                         f"without the column(s) {', '.join(missing)}; it needs "
                         f"{', '.join(required)}", file=file, line=1, field=missing[0])
    dup = sorted({h for h in lower if lower.count(h) > 1})
    if dup:
        raise InputError(f"column(s) {', '.join(dup)} appear more than once", file=file, line=1)
    if headerless:
        data = ",".join(lower).encode("utf-8") + b"\n" + data
    if b"\n" not in data:  # the header alone (a file cut after it): a table without rows
        data += b"\n"
    index = _LineIndex(data)
    expected_rows = index.data_rows()
    table, bad_rows = _arrow_csv(data, header if not headerless else lower, delimiter, file,
                                 index=index)
    line_map: list[int] | None = None  # line in the file of each line of ``data``
    broken: list[Rejection] = []
    multiline = False  # a quoted value held a line break (kept as ``keep_nl``)
    if any(t.count('"') % 2 or "\n" in t for t, _e, _a, _n in bad_rows) or \
            table.num_rows + len(bad_rows) != expected_rows:
        # A quoted value may hold line breaks (valid CSV: the record goes on to the line
        # that closes the quote).  A broken quote runs on into the next lines too (and in a
        # large file can swallow thousands of them into one value): a line with an odd number
        # of quotes starts a record that ends at the next such line; it is kept when those
        # lines make one whole record of the header's width (its line breaks stand in as
        # ``keep_nl`` on one line, so every row is one line again), else the opening line
        # is set aside as a broken quote and the rest read again.
        raw = data.split(b"\n")
        keep, line_map = [raw[0]], [1]
        keep_nl = _line_break_stand_in(data)
        width = len(header if not headerless else lower)
        i = 1
        while i < len(raw):
            ln, n = raw[i], i + 1
            if not ln.count(b'"') % 2:
                keep.append(ln)
                line_map.append(n - headerless)
                i += 1
                continue
            end = _quoted_record_end(raw, i)
            if end is not None and keep_nl is not None and \
                    _one_record(raw[i:end + 1], width, delimiter):
                keep.append(keep_nl.join(raw[i:end + 1]))
                line_map.append(n - headerless)
                multiline = True
                i = end + 1
                continue
            broken.append(Rejection(file, n - headerless, None, "a broken quote (an "
                                    "opening \" without its closing one); the row was "
                                    "skipped", ln.decode("utf-8", "replace")[:200]))
            i += 1
        data = b"\n".join(keep)
        table, bad_rows = _arrow_csv(data, header if not headerless else lower, delimiter,
                                     file)
        if multiline:
            table = _restore_line_breaks(table, keep_nl)
    elif headerless:
        line_map = [max(n, 1) for n in range(0, expected_rows + 2)]
    import pandas as pd

    # Read as large_string (pandas' own Arrow string type): the frame takes Arrow's pieces as
    # they are, without a cast or a copy.
    df = table.to_pandas(types_mapper={pa.large_string(): pd.StringDtype("pyarrow")}.get,
                         self_destruct=True)
    del table
    df.columns = [str(c).strip() if layout == "columns" else str(c).strip().lower()
                  for c in df.columns]
    if delimiter == ";":
        df = _decimal_commas(df)
    skipped = _bad_row_rejections(data, file, bad_rows, line_map)
    if multiline:
        for r in skipped:
            r.text = r.text.replace(keep_nl.decode("utf-8"), "\n")
    hxl = _is_hxl_row(df)
    skipped_lines = [r.line for r in skipped if r.line is not None]
    if hxl:  # HDX's hashtag row under the header (#date, #geo+lat ...): not a data row
        df = df.iloc[1:]
    rejections = broken + skipped
    n_rows = len(df) + len(bad_rows) + len(broken)
    lines = _RowLines(data, {t for t, _e, _a, _n in bad_rows}, line_map, skipped_lines,
                      offset=1 if hxl else 0,
                      blank_lines=index.blank > 0 if line_map is None else None)
    frame, row_rejections = _to_frame(df, layout, file, lines, opts)
    return TableRead(frame, layout, rejections + row_rejections, warnings, n_rows)


def _decimal_commas(df):
    """A semicolon-separated file writes decimals with a comma (34,5624): a column whose every
    value is a number written so (or a whole number, or empty) is read with the point.  Decided
    per column, never per value."""
    import pandas as pd
    import pyarrow.compute as pc

    from maps.layouts import _arrow

    for c in df.columns:
        arr = _arrow(df[c])
        comma = pc.match_substring_regex(arr, r"^\s*[-+]?\d+,\d+\s*$")
        if not pc.any(comma).as_py():
            continue
        whole = pc.match_substring_regex(arr, r"^\s*(?:[-+]?\d+)?\s*$")
        if pc.all(pc.or_(comma, whole)).as_py():
            fixed = pc.replace_substring(arr, ",", ".")
            df[c] = pd.Series(pd.arrays.ArrowStringArray(fixed), index=df.index)
    return df


def _read_geojson(path: Path, doc: dict, warnings: list[str]) -> TableRead:
    """GeoJSON features: properties in our layout (the exporter's) or ACLED/UCDP columns."""
    import pandas as pd

    from maps.layouts import detect_layout

    file = str(path)
    feats = doc.get("features") if doc.get("type") == "FeatureCollection" else [doc]
    if not isinstance(feats, list):
        raise InputError("'features' must be a list", file=file)
    rows = []
    rejections = []
    keep = []
    for i, ft in enumerate(feats):
        where = f"feature {i + 1}: "
        if not isinstance(ft, dict) or ft.get("type") != "Feature":
            rejections.append(Rejection(file, None, None, where + "not a GeoJSON Feature"))
            continue
        props = ft.get("properties") or {}
        geom = ft.get("geometry") or {}
        if not isinstance(props, dict):
            rejections.append(Rejection(file, None, "properties", where + "properties must be "
                                        "an object"))
            continue
        row = {k: ("" if v is None else (json.dumps(v, ensure_ascii=False)
                                         if isinstance(v, (list, dict)) else str(v)))
               for k, v in props.items()}
        coords = geom.get("coordinates") if isinstance(geom, dict) else None
        if geom and geom.get("type") == "Point" and isinstance(coords, list) and \
                len(coords) >= 2:
            row.setdefault("lon", str(coords[0]))
            row.setdefault("lat", str(coords[1]))
            row.setdefault("longitude", str(coords[0]))
            row.setdefault("latitude", str(coords[1]))
        elif geom:
            rejections.append(Rejection(file, None, "geometry", where + "the geometry is not a "
                                        f"Point ({geom.get('type')})"))
            continue
        rows.append(row)
        keep.append(i)
    if not rows:
        from ..frames import incidents_frame

        return TableRead(incidents_frame([]), "geojson", rejections, warnings, len(feats))
    df = pd.DataFrame(rows).fillna("")
    layout = detect_layout(df.columns)
    if layout is None:
        from maps.layouts import expected_columns_message

        raise InputError("the features' properties are not an incident layout I know: "
                         + expected_columns_message(), file=file)
    df.index = pd.Index([f"feature {i + 1}" for i in keep])
    for c in ("latitude", "longitude"):
        if layout == "frame" and c in df.columns and c not in (doc.get("features") or [{}])[0].get(
                "properties", {}):
            df = df.drop(columns=[c])
    frame, row_rejections = _to_frame(df, layout, file, None)
    for r in row_rejections:
        r.reason = r.reason.replace("row ", "feature ", 1) if r.reason.startswith("row ") \
            else r.reason
    return TableRead(frame, "geojson", rejections + row_rejections, warnings, len(feats))


def _read_gpkg(path: Path) -> TableRead:
    import geopandas as gpd

    from maps.layouts import detect_layout

    try:
        gdf = gpd.read_file(path, engine="pyogrio", layer="incidents")
    except Exception:
        try:
            gdf = gpd.read_file(path, engine="pyogrio")
        except Exception as exc:
            raise InputError(f"cannot be read as a GeoPackage: {exc}", file=str(path)) from None
    layout = detect_layout(gdf.columns)
    if layout is None:
        from maps.layouts import expected_columns_message

        raise InputError("not an incident layer I know: " + expected_columns_message(),
                         file=str(path))
    df = gdf.drop(columns=[gdf.geometry.name])
    import pandas as pd

    for c in df.columns:  # Date/DateTime fields (the exporter's) back to ISO text
        if pd.api.types.is_datetime64_any_dtype(df[c]):
            s = df[c]
            timed = bool((s.notna() & (s != s.dt.normalize())).any())
            df[c] = s.dt.strftime("%Y-%m-%dT%H:%M:%S" if timed else "%Y-%m-%d")
    if layout == "frame" and ("lat" not in df or df["lat"].isna().all()):
        df["lat"], df["lon"] = gdf.geometry.y, gdf.geometry.x
    frame, rej = _to_frame(df.astype(object).where(df.notna(), ""), layout, str(path), None)
    return TableRead(frame, "gpkg", rej, [], len(df))


def _read_model(path: Path, doc_or_text: Any, warnings: list[str], *, yaml_: bool) -> TableRead:
    incidents, rejections, n = read_incident_documents(path, doc_or_text, yaml_=yaml_)
    from ..frames import incidents_frame

    placed = []
    for inc, line in incidents:
        if not inc.location.placed:
            rejections.append(Rejection(str(path), line, "location",
                                        "no coordinates: the incident cannot be placed"))
        else:
            placed.append(inc)
    return TableRead(incidents_frame(placed), "model", rejections, warnings, n)


def read_incident_documents(path: Path, doc_or_text: Any, *, yaml_: bool
                            ) -> tuple[list[tuple[Incident, int | None]], list[Rejection], int]:
    """Incidents from our JSON/YAML (a list, or {"incidents": [...]}); bad items are
    rejections naming the item (and its line in YAML)."""
    file = str(path)
    lines: list[int | None] = []
    if yaml_:
        import yaml

        try:
            node = yaml.compose(doc_or_text)
            doc = yaml.safe_load(doc_or_text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise InputError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=file,
                             line=mark.line + 1 if mark else None) from None
        except ValueError as exc:  # a date YAML itself cannot build ("2019-13-45")
            raise InputError(f"not valid YAML: {exc}", file=file) from None
        items_node = node
        if node is not None and isinstance(doc, dict):
            for k, v in node.value:
                if k.value == "incidents":
                    items_node = v
        if items_node is not None and hasattr(items_node, "value") and \
                isinstance(items_node.value, list):
            lines = [getattr(it, "start_mark", None) and it.start_mark.line + 1
                     for it in items_node.value]
    else:
        doc = doc_or_text
    items = doc.get("incidents") if isinstance(doc, dict) else doc
    if items is None:
        items = []
    if not isinstance(items, list):
        raise InputError("expected a list of incidents (or a mapping with 'incidents')",
                         file=file)
    out: list[tuple[Incident, int | None]] = []
    rejections: list[Rejection] = []
    for i, item in enumerate(items):
        line = lines[i] if i < len(lines) else None
        try:
            inc = Incident.from_dict(item)
            problems = inc.problems()
            if problems:
                raise IncidentError(problems)
        except IncidentError as exc:
            rejections.append(Rejection(file, line, None,
                                        f"incident {i + 1}: " + "; ".join(exc.problems)))
            continue
        out.append((inc.ensure_id(), line))
    return out, rejections, len(items)


def read_incidents(path: str | Path) -> tuple[list[Incident], list[Rejection]]:
    """Any table as incident objects (frames are converted row by row)."""
    from ..frames import incidents_from_frame

    res = read_table(path)
    return incidents_from_frame(res.frame), res.rejections


# ------------------------------------------------------------------------------------ writing
FORMATS = ("json", "yaml", "csv", "acled", "ucdp", "geojson")  # maps.writers: "extract"


def format_for(path: str | Path, fmt: str | None = None) -> str:
    """The format incidents are written in (:func:`maps.writers.format_for`, ``extract``: .json
    is the incident model, .geojson GeoJSON, .csv ours unless ``fmt`` is acled or ucdp)."""
    from maps.writers import format_for as _format_for

    return _format_for("extract", path, fmt, error=InputError)


def write_incidents(incidents: list[Incident], path: str | Path, *, fmt: str | None = None,
                    extra: dict[str, Any] | None = None, overwrite: bool = False,
                    inputs: Iterable[str | Path] = ()) -> None:
    """Write incidents: JSON/YAML (the model), CSV (our columns, or ACLED's / UCDP's),
    GeoJSON.  Written by :func:`maps.writers.write_file` (atomic; an existing file only with
    ``overwrite``, never one of ``inputs``), deterministic."""
    from maps.writers import write_file

    kind = format_for(path, fmt)
    p = Path(path)
    if kind in ("json", "yaml"):
        doc: dict[str, Any] = {"incidents": [i.to_dict() for i in incidents]}
        if extra:
            doc.update(extra)
        if kind == "json":
            text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        else:
            import yaml

            text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)
        write_file(p, text, overwrite=overwrite, inputs=inputs, what="incidents",
                   error=InputError)
        return
    from ..frames import incidents_frame

    frame = incidents_frame([i for i in incidents if i.location.placed])
    unplaced = [i for i in incidents if not i.location.placed]
    if unplaced and kind == "csv":
        # Nothing is lost: an incident without a place ("(unknown place)") is a row with
        # empty coordinates after the others.
        import pandas as pd

        from ..frames import incident_row

        df = pd.DataFrame(frame.drop(columns=[frame.geometry.name]))
        rows = pd.DataFrame([incident_row(i, unplaced=True) for i in unplaced])
        frame = pd.concat([df, rows.reindex(columns=df.columns)], ignore_index=True)
    write_frame(frame, p, fmt=kind, overwrite=overwrite, inputs=inputs)


def write_frame(frame, path: str | Path, *, fmt: str = "csv", overwrite: bool = False,
                inputs: Iterable[str | Path] = ()) -> None:
    from maps.writers import write_file

    p = Path(path)
    if fmt == "geojson":
        write_file(p, frame_geojson(frame), overwrite=overwrite, inputs=inputs,
                   what="incidents", error=InputError)
        return
    from maps.layouts import frame_to_acled, frame_to_ucdp

    df = frame.drop(columns=[frame.geometry.name]) if hasattr(frame, "geometry") else frame
    if fmt == "acled":
        df = frame_to_acled(df)
    elif fmt == "ucdp":
        df = frame_to_ucdp(df)
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n")
    write_file(p, buf.getvalue(), overwrite=overwrite, inputs=inputs, what="incidents",
               error=InputError)


def frame_geojson(frame) -> str:
    """RFC 7946 GeoJSON of an incidents frame: lon/lat, 7 decimals at most, properties typed,
    deterministic; by the one GeoJSON writer (:func:`maps.geojson.write_collection`)."""
    import geopandas as gpd
    import pandas as pd

    from maps.geojson import collection_bytes

    def number(name: str) -> pd.Series:
        if name not in frame.columns:
            return pd.Series(float("nan"), index=frame.index)
        return pd.to_numeric(frame[name], errors="coerce")

    lon, lat = number("lon"), number("lat")
    points = gpd.points_from_xy(lon.fillna(0), lat.fillna(0))
    known = (lon.notna() & lat.notna()).to_numpy()
    out = gpd.GeoDataFrame(pd.DataFrame(frame.drop(columns=frame.geometry.name)),
                           geometry=[p if k else None for p, k in zip(points, known, strict=True)],
                           crs=4326)
    return collection_bytes(out).decode("utf-8")
