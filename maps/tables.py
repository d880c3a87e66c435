"""Typed tables for the writers: the frames of :mod:`maps.schema` as Arrow record batches.

Every exported layer has a fixed field list with fixed types, so that a file's field types do not
depend on what pandas happened to infer (an all-empty column, numbers read as text from a CSV):

- ``str``   -> UTF-8 string (missing values become null, ``""`` stays ``""``)
- ``int``   -> 32-bit integer (counts: ``geo_precision``, fatalities, ``source_count``);
               null where missing
- ``float`` -> 64-bit real, rounded where the column says so (lat/lon to 7 decimals, ~1 cm)
- ``bool``  -> boolean
- ``date``  -> for GeoPackage a Date field (``YYYY-MM-DD``), or DateTime when a value carries a
               time; a column whose values are neither stays a string.  For GeoJSON, KML and CSV
               dates stay ISO 8601 strings, ``""`` written as null.

NUL characters are dropped from text (GDAL would cut the text at the first one).  Columns of the
frame that the schema does not name are kept after the schema columns, typed from
their pandas dtype (nothing is dropped).  Numbers that are not numbers (``"about 30"`` in
``fatalities_best``) raise :class:`FrameError` naming the layer, the column and the incident id.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gazetteer.errors import UserError

from .schema import (
    AREA_COLUMNS,
    INCIDENT_COLUMNS,
    INCIDENT_DERIVED,
    INCIDENT_OPTIONAL,
    LINE_COLUMNS,
    LINE_OPTIONAL,
    ZONE_COLUMNS,
    ZONE_OPTIONAL,
)

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

DATE_COLUMNS = frozenset({"date_start", "date_end", "valid_from", "valid_to", "published",
                          "as_of"})
# Decimals kept for real-valued columns (coordinates: 7 decimals ~ 1 cm; distances: 1 m).
ROUND = {"lat": 7, "lon": 7, "line_distance_km": 3, "width_km": 3}
COORD_DECIMALS = 7

# Layer names, the same in every format that has layers.
INCIDENTS, SOURCES, LINES, ZONES = "incidents", "sources", "control_lines", "zones"
AREAS = "areas"

SOURCE_COLUMNS: dict[str, str] = {
    "incident_id": "str", "position": "int", "outlet": "str", "url": "str",
    "published": "str", "quote": "str",
}


class FrameError(UserError, ValueError):
    """A frame handed to a writer has a value its column cannot hold.

    For a bad cell: ``layer``, ``row`` (1-based, in the whole frame), ``ident`` (the row's id)
    and ``detail`` make the message "incidents row 5 (id inc-..): field 'x': ...".
    """

    def __init__(self, message: str, *, layer: str | None = None, row: int | None = None,
                 ident: Any = None, detail: str | None = None) -> None:
        self.layer, self.row, self.ident, self.detail = layer, row, ident, detail
        super().__init__(message)

    @classmethod
    def cell(cls, layer: str, row: int, ident: Any, detail: str) -> FrameError:
        return cls(f"{layer} row {row} (id {ident}): {detail}", layer=layer, row=row,
                   ident=ident, detail=detail)

    def shifted(self, offset: int) -> FrameError:
        """The same error for a chunk that starts ``offset`` rows into the frame."""
        if self.row is None or self.layer is None or self.detail is None or not offset:
            return self
        return FrameError.cell(self.layer, self.row + offset, self.ident, self.detail)


def _kind(schema_type: str, column: str) -> str:
    if column in DATE_COLUMNS:
        return "date"
    return {"str": "str", "int": "int", "Int64": "int", "float": "float",
            "bool": "bool"}[schema_type]


def _dtype_kind(series: pd.Series) -> str:
    import pandas as pd

    dt = series.dtype
    if pd.api.types.is_bool_dtype(dt):
        return "bool"
    if pd.api.types.is_integer_dtype(dt):
        return "int64"
    if pd.api.types.is_float_dtype(dt):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(dt):
        return "datetime"
    if dt == object:  # noqa: E721 - values of mixed Python types: look at them
        inferred = pd.api.types.infer_dtype(series, skipna=True)
        return {"boolean": "bool", "integer": "int64", "floating": "float",
                "mixed-integer-float": "float"}.get(inferred, "str")
    return "str"


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    kind: str  # str | int | int64 | float | bool | date | datetime


def layer_fields(frame: pd.DataFrame, layer: str) -> list[Field]:
    """The fields of an exported layer: schema columns in schema order, then the frame's own."""
    spec: dict[str, str]
    if layer == INCIDENTS:
        spec = {}
        for c, t in INCIDENT_COLUMNS.items():
            spec[c] = t
            if c == "place_id":  # the display name beside the place's other names
                spec.update({d: k for d, k in INCIDENT_DERIVED.items() if d in frame.columns})
        spec.update({c: t for c, t in INCIDENT_OPTIONAL.items() if c in frame.columns})
    elif layer == LINES:
        spec = dict(LINE_COLUMNS)
        spec.update({c: t for c, t in LINE_OPTIONAL.items() if c in frame.columns})
    elif layer == ZONES:
        spec = dict(ZONE_COLUMNS)
        spec.update({c: t for c, t in ZONE_OPTIONAL.items() if c in frame.columns})
    elif layer == AREAS:
        spec = dict(AREA_COLUMNS)
    elif layer == SOURCES:
        spec = SOURCE_COLUMNS
    else:  # pragma: no cover - programming error
        raise ValueError(layer)
    geometry = getattr(frame, "_geometry_column_name", None)
    fields = [Field(c, _kind(t, c)) for c, t in spec.items()]
    fields += [Field(str(c), _dtype_kind(frame[c])) for c in frame.columns
               if c not in spec and c != geometry]
    return fields


def _ids(frame: pd.DataFrame) -> pd.Series:
    import pandas as pd

    if "id" in frame.columns:
        return frame["id"]
    return pd.Series([f"row {i + 1}" for i in range(len(frame))], index=frame.index)


def _fail(frame: pd.DataFrame, layer: str, column: str, bad: pd.Series, what: str) -> None:
    first = bad[bad].index[0]
    pos = frame.index.get_loc(first)
    ident = _ids(frame).loc[first]
    value = frame[column].loc[first]
    raise FrameError.cell(layer, pos + 1, ident, f"field '{column}': {value!r} is not {what} "
                          f"({int(bad.sum())} such value(s) in this column)")


def _strings(series: pd.Series) -> pa.Array:
    import pyarrow as pa

    try:
        return pa.array(series, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers, lists or mixed values
        return pa.array([as_text(v) for v in series], type=pa.string())


def as_text(value: Any) -> str | None:
    """A cell as text: lists and mappings (JSON columns read back by GDAL) as JSON."""
    import pandas as pd

    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "tolist") and not isinstance(value, str):  # numpy arrays, scalars
        value = value.tolist()
        if isinstance(value, list):
            return json.dumps(value, ensure_ascii=False)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value)


def _numbers(frame: pd.DataFrame, layer: str, column: str) -> pd.Series:
    import pandas as pd

    series = frame[column]
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
            series.dtype):
        return series.astype("float64")
    text = series.astype("string").str.strip()
    blank = text.isna() | (text == "")
    values = pd.to_numeric(text.where(~blank, None), errors="coerce")
    bad = values.isna() & ~blank
    if bad.any():
        _fail(frame, layer, column, bad, "a number")
    return values.astype("float64")


def _ints(frame: pd.DataFrame, layer: str, column: str, bits: int) -> pa.Array:
    import numpy as np
    import pyarrow as pa

    values = _numbers(frame, layer, column)
    arr = values.to_numpy(dtype="float64", na_value=np.nan)
    present = ~np.isnan(arr)
    limit = 2 ** (bits - 1)
    bad_mask = present & ((np.floor(arr) != arr) | (np.abs(arr) >= limit))
    if bad_mask.any():
        import pandas as pd

        _fail(frame, layer, column, pd.Series(bad_mask, index=frame.index), "a whole number")
    out = np.where(present, arr, 0).astype(np.int32 if bits == 32 else np.int64)
    return pa.array(out, mask=~present, type=pa.int32() if bits == 32 else pa.int64())


def _floats(frame: pd.DataFrame, layer: str, column: str) -> pa.Array:
    import numpy as np
    import pyarrow as pa

    arr = _numbers(frame, layer, column).to_numpy(dtype="float64", na_value=np.nan)
    if column in ROUND:
        arr = np.round(arr, ROUND[column])
    return pa.array(arr, mask=np.isnan(arr), type=pa.float64())


def _bools(frame: pd.DataFrame, layer: str, column: str) -> pa.Array:
    import pandas as pd
    import pyarrow as pa

    series = frame[column]
    if pd.api.types.is_bool_dtype(series.dtype):
        return pa.array(series, type=pa.bool_(), from_pandas=True)
    text = series.astype("string").str.strip().str.lower()
    mapping = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False,
               "1.0": True, "0.0": False}
    values = text.map(mapping)
    blank = text.isna() | (text == "")
    bad = values.isna() & ~blank
    if bad.any():
        _fail(frame, layer, column, bad, "true or false")
    return pa.array(values.astype(object).where(~blank, None), type=pa.bool_())


def _date_strings(frame: pd.DataFrame, column: str) -> pd.Series:
    """ISO strings with '' and missing values as None (object dtype)."""
    import pandas as pd

    series = frame[column]
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        times = series.dt.strftime("%Y-%m-%dT%H:%M:%S")
        dates = series.dt.strftime("%Y-%m-%d")
        has_time = series.notna() & (series != series.dt.normalize())
        text = dates.where(~has_time, times)
    else:
        text = series.astype("string").str.strip()
    text = text.astype(object)
    return text.where(text.notna() & (text != ""), None)


def date_type(frame: pd.DataFrame, column: str) -> pa.DataType:
    """date32 if every value is YYYY-MM-DD, timestamp if some carry a time, else string."""
    import pandas as pd
    import pyarrow as pa

    if column not in frame.columns:
        return pa.date32()
    text = _date_strings(frame, column)
    present = text.notna()
    if not present.any():
        return pa.date32()
    day = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    if (day.notna() == present).all():
        return pa.date32()
    moment = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True)
    if (moment.notna() == present).all():
        return pa.timestamp("ms")
    return pa.string()


def _dates(frame: pd.DataFrame, column: str, kind: pa.DataType) -> pa.Array:
    import pandas as pd
    import pyarrow as pa

    text = _date_strings(frame, column)
    if pa.types.is_date32(kind):
        day = pd.to_datetime(text, format="%Y-%m-%d")
        return pa.array(day, type=pa.timestamp("ms"), from_pandas=True).cast(pa.date32())
    if pa.types.is_timestamp(kind):
        moment = pd.to_datetime(text, format="ISO8601", utc=True).dt.tz_convert(None)
        return pa.array(moment, type=kind, from_pandas=True)
    return pa.array(text, type=pa.string())


def column_array(frame: pd.DataFrame, layer: str, field: Field, *, dates: str,
                 date_kind: pa.DataType | None = None) -> pa.Array:
    """One column as an Arrow array (see :func:`_column_array`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = _column_array(frame, layer, field, dates=dates, date_kind=date_kind)
    if isinstance(arr, pa.ChunkedArray):  # pandas columns backed by Arrow
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if pa.types.is_string(arr.type) and len(arr) and pc.any(
            pc.match_substring(arr, "\x00")).as_py():
        arr = pc.replace_substring(arr, "\x00", "")  # GDAL would cut the text there
    return arr


def _column_array(frame: pd.DataFrame, layer: str, field: Field, *, dates: str,
                 date_kind: pa.DataType | None = None) -> pa.Array:
    """One column as an Arrow array.  ``dates``: "typed" (Date/DateTime, of ``date_kind``,
    by default :func:`date_type` of this frame) or "text" (ISO strings)."""
    import pyarrow as pa

    name, kind = field.name, field.kind
    if name not in frame.columns:  # optional in practice: an absent column is all null
        return pa.nulls(len(frame), type={"int": pa.int32(), "float": pa.float64(),
                                          "bool": pa.bool_()}.get(kind, pa.string()))
    if kind == "int":
        return _ints(frame, layer, name, 32)
    if kind == "int64":
        return _ints(frame, layer, name, 64)
    if kind == "float":
        return _floats(frame, layer, name)
    if kind == "bool":
        return _bools(frame, layer, name)
    if kind in ("date", "datetime"):
        if dates == "typed":
            return _dates(frame, name, date_kind or date_type(frame, name))
        return pa.array(_date_strings(frame, name), type=pa.string())
    return _strings(frame[name])


def geometry_wkb(frame: Any, *, multi: str | None = None, decimals: int | None = None) -> pa.Array:
    """WKB of the frame's geometry; ``multi`` ("line"/"polygon") promotes single parts."""
    import numpy as np
    import pyarrow as pa
    import shapely

    geoms = np.asarray(frame.geometry.values, dtype=object)
    if multi and len(geoms):
        single = "LineString" if multi == "line" else "Polygon"
        make = shapely.MultiLineString if multi == "line" else shapely.MultiPolygon
        geoms = np.array([make([g]) if g is not None and g.geom_type == single else g
                          for g in geoms], dtype=object)
    if decimals is not None and len(geoms):
        geoms = shapely.transform(geoms, lambda xy: np.round(xy, decimals))
    wkb = shapely.to_wkb(geoms, output_dimension=2) if len(geoms) else np.array([], dtype=object)
    return pa.array(wkb, type=pa.binary(), from_pandas=True)


GEOMETRY_TYPES = {INCIDENTS: ("Point",), LINES: ("LineString", "MultiLineString"),
                  ZONES: ("Polygon", "MultiPolygon"), AREAS: ("Polygon", "MultiPolygon")}


def check_geometries(frame: Any, layer: str) -> None:
    """Raise FrameError for a geometry the layer cannot hold (a Polygon among incidents)."""
    import numpy as np

    if not len(frame):
        return
    kinds = frame.geometry.geom_type.to_numpy(dtype=object)
    allowed = GEOMETRY_TYPES[layer]
    bad = np.array([k is not None and k == k and k not in allowed for k in kinds])
    if bad.any():
        import pandas as pd

        i = int(np.flatnonzero(bad)[0])
        mask = pd.Series(bad, index=frame.index)
        ident = _ids(frame).iloc[i]
        raise FrameError.cell(layer, i + 1, ident, f"geometry is {kinds[i]}, expected "
                              f"{' or '.join(allowed)} ({int(mask.sum())} such row(s))")


def arrow_batches(frame: Any, layer: str, *, dates: str, geometry: bool = True,
                  multi: str | None = None, decimals: int | None = None,
                  chunk: int = 65536, geometry_name: str = "geometry"
                  ) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
    """The frame as typed record batches (converted chunk by chunk, so memory stays flat)."""
    import pyarrow as pa

    fields = layer_fields(frame, layer)
    head = frame.iloc[:0]
    date_kinds: dict[str, pa.DataType] = {}
    if dates == "typed":  # decided on the whole column, then applied chunk by chunk
        date_kinds = {f.name: date_type(frame, f.name) for f in fields
                      if f.kind in ("date", "datetime")}
    types = [column_array(head, layer, f, dates=dates, date_kind=date_kinds.get(f.name)).type
             for f in fields]
    names = [f.name for f in fields]
    if geometry:
        names.append(geometry_name)
        types.append(pa.binary())
    schema = pa.schema([pa.field(n, t) for n, t in zip(names, types, strict=True)])

    def batches() -> Iterator[pa.RecordBatch]:
        for start in range(0, max(len(frame), 1), chunk):
            part = frame.iloc[start:start + chunk]
            arrays = []
            for f, t in zip(fields, types, strict=False):
                try:
                    arr = column_array(part, layer, f, dates=dates,
                                       date_kind=date_kinds.get(f.name))
                except FrameError as exc:
                    # Say it of the whole frame: the first bad row, and how many there are.
                    column_array(frame, layer, f, dates=dates, date_kind=date_kinds.get(f.name))
                    raise exc.shifted(start) from None
                if arr.type != t:
                    arr = arr.cast(t)
                arrays.append(arr)
            if geometry:
                arrays.append(geometry_wkb(part, multi=multi, decimals=decimals))
            yield pa.RecordBatch.from_arrays(arrays, schema=schema)

    return schema, batches()


def source_rows(incidents: pd.DataFrame) -> pd.DataFrame:
    """One row per source per incident, from ``sources_json`` (else the readable ``sources``).

    Columns of :data:`SOURCE_COLUMNS`; ``position`` counts from 1 within each incident, in the
    order the incident lists its sources.  Parsed by Arrow's JSON reader in one pass (a million
    incidents in about a second); a frame it cannot read that way (values of other types, lists
    already parsed) goes through the row-by-row reader, which names the incident of a bad value.
    """
    fast = _source_rows_arrow(incidents)
    return fast if fast is not None else _source_rows_python(incidents)


def _source_rows_arrow(incidents: pd.DataFrame) -> pd.DataFrame | None:
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.json as pajson

    if "sources_json" not in incidents.columns or "id" not in incidents.columns:
        return None
    try:
        raw = pa.array(incidents["sources_json"], type=pa.large_string(), from_pandas=True)
        ids = pa.array(incidents["id"], type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # lists already parsed, numbers as ids
        return None
    if isinstance(raw, pa.ChunkedArray):
        raw = raw.combine_chunks()
    if isinstance(ids, pa.ChunkedArray):
        ids = ids.combine_chunks()
    text = pc.fill_null(pc.utf8_trim_whitespace(raw), "")
    empty = pc.is_in(text, value_set=pa.array(["", "[]", "null"], type=pa.large_string()))
    listed = pc.starts_with(text, "[")
    if pc.any(pc.and_(pc.invert(listed), pc.invert(empty))).as_py():
        return None  # something other than a JSON list: the row-by-row reader says what
    if "sources" in incidents.columns:
        plain = pa.array(incidents["sources"].astype("string").fillna(""), type=pa.string())
        plain = plain.combine_chunks() if isinstance(plain, pa.ChunkedArray) else plain
        if pc.any(pc.and_(empty, pc.not_equal(pc.utf8_trim_whitespace(plain), ""))).as_py():
            return None  # readable sources only: the row-by-row reader splits them
    keep = pc.invert(empty)
    rows = np.flatnonzero(keep.to_numpy(zero_copy_only=False))
    item = pa.struct([(k, pa.string()) for k in ("outlet", "url", "published", "quote")])
    if len(rows):
        ls = pa.large_string()
        lines = pc.binary_join_element_wise(pa.scalar("{\"s\":", ls), pc.filter(text, keep),
                                            pa.scalar("}\n", ls), pa.scalar("", ls))
        offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[
            lines.offset: lines.offset + len(lines) + 1]
        data = lines.buffers()[2][int(offsets[0]): int(offsets[-1])]
        try:
            table = pajson.read_json(
                pa.BufferReader(data),
                parse_options=pajson.ParseOptions(
                    explicit_schema=pa.schema([("s", pa.list_(item))]),
                    unexpected_field_behavior="ignore"),
                read_options=pajson.ReadOptions(block_size=1 << 24))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return None
        lists = table.column("s").combine_chunks()
    else:
        lists = pa.array([], type=pa.list_(item))
    if len(lists) != len(rows):
        return None
    flat = pc.list_flatten(lists)
    parent = pc.list_parent_indices(lists).to_numpy()
    offsets = lists.offsets.to_numpy()
    position = np.arange(len(flat)) - np.repeat(offsets[:-1], np.diff(offsets)) + 1
    columns = {"incident_id": ids.take(pa.array(rows[parent])),
               "position": pa.array(position.astype("int64"))}
    for key in ("outlet", "url", "published", "quote"):
        columns[key] = pc.fill_null(pc.struct_field(flat, key), "")
    return pa.table(columns).to_pandas(types_mapper=pd.ArrowDtype)


def _source_rows_python(incidents: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    ids = incidents["id"].astype(str).tolist() if len(incidents) else []
    raw = (incidents["sources_json"].tolist() if "sources_json" in incidents.columns
           else [None] * len(ids))
    readable = (incidents["sources"].tolist() if "sources" in incidents.columns
                else [None] * len(ids))
    cols: dict[str, list[Any]] = {c: [] for c in SOURCE_COLUMNS}
    loads = json.loads
    for row, (ident, text, plain) in enumerate(zip(ids, raw, readable, strict=True), 1):
        items: list[Any]
        if isinstance(text, list | tuple) or hasattr(text, "tolist"):
            items = list(text.tolist() if hasattr(text, "tolist") else text)
        elif isinstance(text, str) and text.strip() not in ("", "[]", "null"):
            try:
                items = loads(text)
            except ValueError as exc:
                raise FrameError.cell(INCIDENTS, row, ident, "field 'sources_json' is not "
                                      f"valid JSON ({exc})") from None
            if not isinstance(items, list):
                items = [items]
        elif isinstance(plain, str) and plain.strip():
            items = [{"outlet": p.strip()} for p in plain.split(";") if p.strip()]
        else:
            continue
        for pos, item in enumerate(items, 1):
            if not isinstance(item, dict):
                item = {"outlet": str(item)}
            cols["incident_id"].append(ident)
            cols["position"].append(pos)
            for key in ("outlet", "url", "published", "quote"):
                value = item.get(key)
                cols[key].append("" if value is None else str(value))
    return pd.DataFrame(cols, columns=list(SOURCE_COLUMNS))
