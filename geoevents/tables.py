"""Incident tables in and out: our CSV (the columns of :mod:`maps.schema`), JSON and YAML (the
incident model), GeoJSON features, ACLED export CSV and UCDP GED CSV.

Reading never loses a row silently: every row becomes an incident (a row of the frame) or a
:class:`~geoevents.model.Rejection` with file, line, field and reason.  A file that cannot be
read at all (empty, binary, an HTML page, an unknown layout, a missing column) raises
:class:`gazetteer.InputError` with a message saying what was expected.

CSV is read with Apache Arrow's reader (multi-threaded, typed as text) and mapped column by
column with pandas (see :mod:`maps.layouts`); rows with the wrong number of fields or a broken
quote are rejected with their line and the rest of the file is read.  Non-UTF-8 files and files
mixing encodings are decoded line by line (see :mod:`geoevents.textio`) with a warning naming
the lines.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gazetteer import InputError

from .model import Incident, IncidentError, Rejection
from .textio import check_binary, decode

#: Extensions read as tables (anything else is an article).
TABLE_EXTENSIONS = (".csv", ".tsv", ".json", ".geojson", ".yaml", ".yml", ".gpkg")


@dataclass(slots=True)
class TableRead:
    frame: Any  # GeoDataFrame following maps.schema INCIDENTS
    layout: str  # frame | acled | ucdp | model | geojson
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: int = 0  # data rows in the file


# ------------------------------------------------------------------------------------ reading
def read_table(path: str | Path) -> TableRead:
    """Read any incident table (by extension and content) into the incidents frame."""
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", file=str(p))
    if p.is_dir():
        raise InputError("is a folder, not a file", file=str(p))
    suffix = p.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return read_csv(p)
    if suffix == ".gpkg":
        return _read_gpkg(p)
    if suffix in (".json", ".geojson", ".yaml", ".yml"):
        data = p.read_bytes()
        text, warnings = decode(data, str(p))
        if suffix in (".yaml", ".yml"):
            return _read_model(p, text, warnings, yaml_=True)
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg} (column {exc.colno})", file=str(p),
                             line=exc.lineno) from None
        if isinstance(doc, dict) and doc.get("type") in ("FeatureCollection", "Feature"):
            return _read_geojson(p, doc, warnings)
        return _read_model(p, doc, warnings, yaml_=False)
    raise InputError(f"cannot read {suffix or 'files without an extension'} as a table; "
                     "tables are .csv (ours, ACLED, UCDP), .geojson, .json, .yaml, .gpkg",
                     file=str(p))


def read_csv(path: Path) -> TableRead:
    import pyarrow as pa

    from maps.layouts import ACLED_REQUIRED, UCDP_REQUIRED, detect_layout, expected_columns_message

    file = str(path)
    data = path.read_bytes()
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
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    import csv

    header = [h.strip() for h in next(csv.reader([first], delimiter=delimiter))]
    layout = detect_layout(header)
    if layout is None:
        raise InputError("not an incident table I know: " + expected_columns_message(),
                         file=file, line=1)
    required = {"frame": ("date_start", "lat", "lon"), "acled": ACLED_REQUIRED,
                "ucdp": UCDP_REQUIRED}[layout]
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(f"a {layout.upper() if layout != 'frame' else 'incidents'} table "
                         f"without the column(s) {', '.join(missing)}; it needs "
                         f"{', '.join(required)}", file=file, line=1, field=missing[0])
    dup = sorted({h for h in header if header.count(h) > 1})
    if dup:
        raise InputError(f"column(s) {', '.join(dup)} appear more than once", file=file, line=1)
    table, bad_rows = _arrow_csv(data, header, delimiter, file)
    line_map: list[int] | None = None  # line in the file of each line of ``data``
    broken: list[Rejection] = []
    if any(t.count('"') % 2 or "\n" in t for t, _e, _a, _n in bad_rows):
        # A broken quote runs on into the next lines: set the lines with an odd number of
        # quotes aside (they cannot be whole rows) and read the rest again.
        raw = data.split(b"\n")
        keep, line_map = [raw[0]], [1]
        for n, ln in enumerate(raw[1:], 2):
            if ln.count(b'"') % 2:
                broken.append(Rejection(file, n, None, "a broken quote (an opening \" without "
                                        "its closing one); the row was skipped",
                                        ln.decode("utf-8", "replace")[:200]))
            else:
                keep.append(ln)
                line_map.append(n)
        data = b"\n".join(keep)
        table, bad_rows = _arrow_csv(data, header, delimiter, file)
    import pandas as pd

    # One piece per column: filtering rows out later is then several times faster.
    table = table.combine_chunks()
    df = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get,
                         self_destruct=True)
    del table
    df.columns = [str(c).strip() for c in df.columns]
    skipped = _bad_row_rejections(data, file, bad_rows, line_map)
    rejections = broken + skipped
    n_rows = len(df) + len(bad_rows) + len(broken)
    lines = _RowLines(data, {t for t, _e, _a, _n in bad_rows}, line_map,
                      [r.line for r in skipped if r.line is not None])
    frame, row_rejections = _to_frame(df, layout, file, lines)
    return TableRead(frame, layout, rejections + row_rejections, warnings, n_rows)


def _arrow_csv(data: bytes, header: list[str], delimiter: str, file: str,
               threads: bool = True):
    """Arrow's CSV reader, every column as text; rows with the wrong number of fields are
    skipped and listed (text, expected, actual, line).  Read again on one thread when there
    are such rows: only then does the reader say which line each one was on."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    bad_rows: list[tuple[str, int, int, int | None]] = []

    def on_bad(row) -> str:
        bad_rows.append((row.text, row.expected_columns, row.actual_columns, row.number))
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=on_bad,
                                             newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in header}, strings_can_be_null=False,
                quoted_strings_can_be_null=False),
            read_options=pacsv.ReadOptions(block_size=1 << 24, use_threads=threads))
    except pa.ArrowInvalid as exc:
        raise InputError(f"cannot be read as CSV: {exc}", file=file) from None
    if bad_rows and threads:
        return _arrow_csv(data, header, delimiter, file, threads=False)
    return table, bad_rows


class _RowLines:
    """The file line of each data row, worked out only when a row needs reporting: row i is on
    line i + 2 plus the skipped lines before it, unless the file has blank lines (then the
    lines are counted one by one)."""

    def __init__(self, data: bytes, skipped: set[str], line_map: list[int] | None,
                 skipped_lines: list[int] | None = None) -> None:
        self.data, self.skipped, self.line_map = data, skipped, line_map
        self.skipped_lines = sorted(skipped_lines or [])
        self._lines: list[int] | None = None
        self._simple: bool | None = None if line_map is None else False

    def __call__(self, i: int) -> int | None:
        if self._simple is None:  # worked out on the first call: most files need no lines
            self._simple = b"\n\n" not in self.data and b"\n\r\n" not in self.data
        if self._simple:
            # Row i is on line i + 2 + k, k the skipped lines before it: the smallest k with
            # exactly k skipped lines at or before line i + 2 + k.
            import bisect

            k = bisect.bisect_right(self.skipped_lines, i + 2)
            while bisect.bisect_right(self.skipped_lines, i + 2 + k) != k:
                k = bisect.bisect_right(self.skipped_lines, i + 2 + k)
            return i + 2 + k
        if self._lines is None:
            raw = self.data.decode("utf-8", "replace").split("\n")
            lines = []
            for n, ln in enumerate(raw[1:], 1):
                s = ln.rstrip("\r")
                if s.strip() and s not in self.skipped:
                    lines.append(self.line_map[n] if self.line_map else n + 1)
            self._lines = lines
        return self._lines[i] if i < len(self._lines) else None


def _bad_row_rejections(data: bytes, file: str,
                        bad_rows: list[tuple[str, int, int, int | None]],
                        line_map: list[int] | None = None) -> list[Rejection]:
    """Rejections for the rows the CSV reader skipped, with their lines."""
    out = []
    for text, expected, actual, number in bad_rows:
        line = None
        if number is not None:
            line = line_map[number - 1] if line_map and number - 1 < len(line_map) else number
        if text.count('"') % 2:
            why = "a broken quote (an opening \" without its closing one)"
        else:
            why = f"{actual} field(s) where the header has {expected}"
        out.append(Rejection(file, line, None, why + "; the row was skipped", text[:200]))
    return out


def _to_frame(df, layout: str, file: str, lines: _RowLines | None):
    """The frame of a table in a known layout, and a rejection for each row that cannot be an
    incident."""
    import geopandas as gpd
    import pandas as pd

    from maps.layouts import acled_to_frame, as_text, ucdp_to_frame
    from maps.schema import INCIDENT_COLUMNS

    if layout == "acled":
        out, problems = acled_to_frame(df)
    elif layout == "ucdp":
        out, problems = ucdp_to_frame(df)
    else:
        out, problems = _frame_columns(as_text(df))
    checks = validate_rows(out)
    problems = pd.concat([problems, checks], ignore_index=True) if len(checks) else problems
    bad_idx = set(problems["row"].tolist()) if len(problems) else set()
    rejections: list[Rejection] = []
    if bad_idx:
        rows = list(bad_idx)
        pos = dict(zip(rows, df.index.get_indexer(rows).tolist(), strict=True))
        first: dict[Any, tuple[str, str]] = {}
        for row, fld, why in problems[["row", "field", "reason"]].itertuples(index=False):
            first.setdefault(row, (fld, why))
        for row in sorted(bad_idx, key=lambda r: pos.get(r, 0)):
            fld, why = first[row]
            i = pos.get(row, 0)
            line = lines(i) if lines is not None else None
            where = "" if line is not None else f"row {i + 1}: "
            rejections.append(Rejection(file, line, fld, where + why,
                                        str(out.loc[row, "place"]) if "place" in out else ""))
        out = _keep_rows(out, ~out.index.isin(list(bad_idx)))
    for c in ("fatalities_low", "fatalities_best", "fatalities_high", "wounded_best"):
        out[c] = out[c].astype("Int64")
    out["geo_precision"] = out["geo_precision"].astype("int64")
    out["source_count"] = out["source_count"].astype("int64")
    for c in ("date_text", "place_kind", "place_note"):  # geoevents' optional columns
        if c not in out.columns:
            out[c] = ""
    cols = [*INCIDENT_COLUMNS, *[c for c in out.columns if c not in INCIDENT_COLUMNS]]
    out = out[cols].reset_index(drop=True)
    frame = gpd.GeoDataFrame(out, geometry=gpd.points_from_xy(out["lon"], out["lat"]),
                             crs="EPSG:4326")
    return frame, rejections


def _keep_rows(df, keep):
    """``df[keep]``, column by column with Arrow's filter for Arrow-backed columns (pandas'
    generic take is several times slower on a million rows of text)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    mask = pa.array(np.asarray(keep, dtype=bool))
    idx = df.index[np.asarray(keep, dtype=bool)]
    cols = {}
    for c in df.columns:
        s = df[c]
        arr = getattr(s.array, "_pa_array", None)
        if arr is not None and isinstance(s.dtype, pd.StringDtype):
            cols[c] = pd.Series(pd.arrays.ArrowStringArray(pc.filter(arr, mask)), index=idx,
                                name=c)
        else:
            cols[c] = s[np.asarray(keep, dtype=bool)]
    return pd.DataFrame(cols, index=idx)


def _frame_columns(t) -> tuple[Any, Any]:
    """Our own CSV: typed columns, missing optional columns filled, ids made when absent."""
    import pandas as pd

    from maps.layouts import _num
    from maps.schema import INCIDENT_COLUMNS

    out = t.copy()
    n = len(out)
    for c, typ in INCIDENT_COLUMNS.items():
        if c not in out.columns:
            out[c] = "" if typ == "str" else pd.NA
    num = {}
    for c in ("lat", "lon", "geo_precision", "fatalities_low", "fatalities_best",
              "fatalities_high", "wounded_best", "source_count"):
        raw = out[c].astype("str").fillna("") if n else out[c]
        num[c] = _num(raw) if n else pd.Series(dtype="float64")
    bad = []
    for c in ("lat", "lon", "geo_precision", "fatalities_low", "fatalities_best",
              "fatalities_high", "wounded_best", "source_count"):
        raw = out[c].astype("str").fillna("")
        m = num[c].isna() & (raw.str.strip() != "")
        for ix in m[m].index:
            bad.append((ix, c, f"{c} {str(raw.loc[ix])!r} is not a number"))
        out[c] = num[c]
    out["geo_precision"] = out["geo_precision"].fillna(3)
    out["source_count"] = out["source_count"].fillna(0)
    # A hand-made table may leave out the end date and the precision: one day, or a range.
    start = out["date_start"].astype("str").fillna("").str.strip()
    end = out["date_end"].astype("str").fillna("").str.strip()
    end = end.where(end != "", start)
    prec = out["date_precision"].astype("str").fillna("").str.strip()
    guess = pd.Series(["day"] * n, index=out.index).where(start == end, "range").where(
        start != "", "unknown")
    out["date_start"], out["date_end"] = start, end
    out["date_precision"] = prec.where(prec != "", guess)
    for c in ("casualties_json", "claims_json", "sources_json"):
        col = out[c].astype("str").fillna("")
        for ix, v in col[col.str.strip() != ""].items():
            try:
                ok = isinstance(json.loads(v), list)
            except json.JSONDecodeError as exc:
                bad.append((ix, c, f"{c} is not valid JSON ({exc.msg})"))
                continue
            if not ok:
                bad.append((ix, c, f"{c} must be a JSON list"))
        out[c] = col.where(col.str.strip() != "", "[]")
    problems = pd.DataFrame(bad, columns=["row", "field", "reason"])
    # Rows without an id get one from their content.
    ids = out["id"].astype("str").fillna("")
    if (ids.str.strip() == "").any():
        from .frames import incident_from_row

        for ix in ids[ids.str.strip() == ""].index:
            with contextlib.suppress(IncidentError):
                out.loc[ix, "id"] = incident_from_row(
                    {k: out.loc[ix, k] for k in out.columns if k != "id"}).id
    return out, problems


def validate_rows(frame) -> Any:
    """Rows of a frame that cannot be incidents: (row, field, reason).  The checks are
    vectorised; messages are written only for the rows that fail."""
    import pandas as pd

    from maps.schema import DATE_PRECISIONS

    from .model import EVENT_TYPES

    f = frame
    checks: list[tuple[Any, str, str]] = []

    def add(mask, fld: str, message) -> None:
        mask = pd.Series(mask, index=f.index).fillna(False).astype(bool)
        if mask.any():
            for ix in mask[mask].index:
                checks.append((ix, fld, message(ix)))

    lat = pd.to_numeric(f["lat"], errors="coerce")
    lon = pd.to_numeric(f["lon"], errors="coerce")
    add(lat.isna(), "latitude", lambda ix: "no latitude: the row cannot be placed")
    add(lon.isna() & lat.notna(), "longitude", lambda ix: "no longitude: the row cannot be placed")
    add(lat.notna() & ((lat < -90) | (lat > 90)), "latitude",
        lambda ix: f"latitude {lat[ix]} is outside -90..90")
    add(lon.notna() & ((lon < -180) | (lon > 180)), "longitude",
        lambda ix: f"longitude {lon[ix]} is outside -180..180")
    prec, start, end = f["date_precision"], f["date_start"], f["date_end"]
    add(~prec.isin(DATE_PRECISIONS), "date_precision",
        lambda ix: f"date_precision {prec[ix]!r} is not one of {', '.join(DATE_PRECISIONS)}")
    iso = r"^\d{4}-\d{2}-\d{2}$"
    s_ok = start.astype("str").str.match(iso).fillna(False).astype(bool)
    e_ok = (end.astype("str").str.match(iso).fillna(False) | (end == "")).astype(bool)
    add((prec != "unknown") & ~s_ok, "date_start",
        lambda ix: f"date_start {start[ix]!r} is not a date (YYYY-MM-DD)")
    add(~e_ok, "date_end", lambda ix: f"date_end {end[ix]!r} is not a date")
    both = s_ok & (end != "")
    add(both & (start > end), "date_end",
        lambda ix: f"date_end {end[ix]} is before date_start {start[ix]}")
    gp = pd.to_numeric(f["geo_precision"], errors="coerce")
    add(gp.notna() & ~gp.isin([1, 2, 3]), "geo_precision",
        lambda ix: f"geo_precision {gp[ix]} is not 1, 2 or 3")
    et = f["event_type"]
    add((et != "") & ~et.isin(list(EVENT_TYPES)), "event_type",
        lambda ix: f"event_type {et[ix]!r} is not an ACLED event type")
    lo, be, hi = (pd.to_numeric(f[c], errors="coerce") for c in
                  ("fatalities_low", "fatalities_best", "fatalities_high"))
    for name, v in (("fatalities_low", lo), ("fatalities_best", be), ("fatalities_high", hi)):
        add(v.notna() & (v < 0), name, lambda ix, v=v, name=name: f"{name} {v[ix]} is negative")
    add(be.notna() & lo.notna() & (be < lo), "fatalities_best",
        lambda ix: f"best {be[ix]} is below low {lo[ix]}")
    add(be.notna() & hi.notna() & (be > hi), "fatalities_best",
        lambda ix: f"best {be[ix]} is above high {hi[ix]}")
    return pd.DataFrame(checks, columns=["row", "field", "reason"])


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
        from .frames import incidents_frame

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
    from .frames import incidents_frame

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
    from .frames import incidents_from_frame

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
    from .frames import incidents_frame

    frame = incidents_frame([i for i in incidents if i.location.placed])
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
    deterministic."""
    import math

    cols = [c for c in frame.columns if c != frame.geometry.name]
    feats = []
    for rec in frame[cols].to_dict("records"):
        props = {}
        for k, v in rec.items():
            if v is None or (isinstance(v, float) and math.isnan(v)):
                props[k] = None
            elif hasattr(v, "item"):
                props[k] = v.item()
            elif str(v) == "<NA>":
                props[k] = None
            else:
                props[k] = v
        lon, lat = props.get("lon"), props.get("lat")
        geom = None if lon is None or lat is None else {
            "type": "Point", "coordinates": [round(float(lon), 7), round(float(lat), 7)]}
        feats.append({"type": "Feature", "geometry": geom, "properties": props})
    return json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False,
                      indent=1) + "\n"
