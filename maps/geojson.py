"""Streaming GeoJSON (RFC 7946) for the incidents layer, built with Arrow's string kernels.

GDAL's GeoJSON driver writes about 50,000 features a second here (a million incidents take 20 to
30 s on a busy machine); building each feature's text column by column with pyarrow.compute
and writing it batch by batch is several times faster and keeps memory flat.  It is the one
GeoJSON writer of the project: the export's incidents and its control lines, zones and areas
(:func:`write_features`, typed fields of :func:`maps.tables.layer_fields`, with ``rfc7946=True``:
outer rings counter-clockwise and holes clockwise, as GDAL's driver writes them in RFC 7946
mode; no GDAL driver writes GeoJSON).

:func:`write_collection` (and :func:`collection_bytes`) is the same writer for any GeoDataFrame:
the outputs of ``lines build``, ``lines sides``, ``areas build``, the archive's hexagons and the
tables' GeoJSON all go through it (its properties are the frame's columns, in order; geometry of
any type, not reoriented; ``decimals=None`` keeps coordinates as they are).  Files are written by
:class:`maps.writers.Staged` (the caller opens the staged file).

Output: ``{"type": "FeatureCollection", "features": [...]}``, one feature per line, properties in
the field order of :func:`maps.tables.layer_fields`, UTF-8 (not ASCII-escaped); strings escaped
as JSON requires (quote, backslash, control characters); numbers as JSON numbers in their
shortest round-trip form (non-finite values as null); coordinates rounded to 7 decimals.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from . import tables

HEAD = b'{\n"type": "FeatureCollection",\n"features": [\n'
TAIL = b"\n]\n}\n"
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _escape(arr: Any) -> Any:
    """JSON string bodies (without the quotes) of a string array."""
    import pyarrow.compute as pc

    if not pc.any(pc.match_substring_regex(arr, '[\\x00-\\x1f"\\\\]')).as_py():
        return arr  # most columns (ids, dates, names) need nothing: one scan, no copy
    arr = pc.replace_substring_regex(arr, '(["\\\\])', "\\\\\\1")  # " -> \", \ -> \\
    if pc.any(pc.match_substring_regex(arr, "[\\x00-\\x1f]")).as_py():
        for char, code in _SHORT.items():
            arr = pc.replace_substring(arr, char, code)
        for c in range(0x20):
            if chr(c) not in _SHORT:
                arr = pc.replace_substring(arr, chr(c), f"\\u{c:04x}")
    return arr


def _values(arr: Any) -> Any:
    """Each value of an Arrow array as JSON text ('null' where missing)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t = arr.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        text = pc.binary_join_element_wise('"', _escape(arr.cast(pa.string())), '"', "")
    elif pa.types.is_floating(t):
        finite = pc.is_finite(arr)
        text = pc.if_else(finite, pc.cast(arr, pa.string()), pa.scalar(None, pa.string()))
        # Arrow writes 3.0 as "3": keep it a float for a reader that types columns (GDAL)
        text = pc.if_else(pc.match_substring_regex(text, "^-?[0-9]+$"),
                          pc.binary_join_element_wise(text, ".0", ""), text)
    elif pa.types.is_integer(t) or pa.types.is_boolean(t):
        text = pc.cast(arr, pa.string())
    elif pa.types.is_null(t):
        text = pa.nulls(len(arr), pa.string())
    elif pa.types.is_nested(t):  # lists, structs: JSON arrays and objects
        text = pa.array([None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                         for v in arr.to_pylist()], type=pa.string())
    else:  # dates and anything else: as ISO text
        text = pc.binary_join_element_wise('"', _escape(pc.cast(arr, pa.string())), '"', "")
    return pc.fill_null(text, "null")


def _geometries(frame: Any, decimals: int | None = tables.COORD_DECIMALS,
                rfc7946: bool = False) -> Any:
    import numpy as np
    import pyarrow as pa
    import shapely

    geoms = np.asarray(frame.geometry.values, dtype=object)
    if not len(geoms):
        return pa.array([], type=pa.string())
    if rfc7946:  # RFC 7946 3.1.6: exterior rings counter-clockwise, holes clockwise
        geoms = shapely.orient_polygons(geoms, exterior_cw=False)
    if decimals is not None:
        geoms = shapely.transform(geoms, lambda xy: np.round(xy, decimals))
    text = shapely.to_geojson(geoms)
    return pa.array(np.where(shapely.is_missing(geoms), "null", text).astype(object),
                    type=pa.string())


def feature_texts(frame: Any, batch: Any, decimals: int | None = tables.COORD_DECIMALS,
                  rfc7946: bool = False) -> Any:
    """One GeoJSON Feature per row of ``batch`` (typed Arrow columns of ``frame``'s rows), each
    preceded by ",\n" (the separator of the features array); coordinates rounded to
    ``decimals`` (``None``: as they are); ``rfc7946``: polygon rings oriented as RFC 7946
    asks."""
    import pyarrow.compute as pc

    # One join over [sep + head + key1, value1, ", " + key2, value2, ..., geometry, " }"].
    parts: list[Any] = []
    lead = ',\n{ "type": "Feature", "properties": { '
    for field, column in zip(batch.schema, batch.columns, strict=True):
        raw = (field.metadata or {}).get(b"geojson") == b"json"  # already JSON text
        parts += [lead + json.dumps(field.name, ensure_ascii=False) + ": ",
                  pc.fill_null(column, "null") if raw else _values(column)]
        lead = ", "
    if not parts:
        lead = ',\n{ "type": "Feature", "properties": {'
    parts += [(" }" if len(parts) else lead + "}") + ', "geometry": ',
              _geometries(frame, decimals, rfc7946), " }"]
    return pc.binary_join_element_wise(*parts, "")


def _buffer(texts: Any, first: bool) -> memoryview:
    """The bytes of a batch of feature texts (the first feature of the file without its
    separator), straight from the Arrow string buffer."""
    import numpy as np

    offsets = np.frombuffer(texts.buffers()[1], dtype=np.int32)[
        texts.offset: texts.offset + len(texts) + 1]
    start = int(offsets[0]) + (2 if first else 0)
    return memoryview(texts.buffers()[2])[start: int(offsets[-1])]


def write_features(out: IO[bytes], frame: Any, layer: str = tables.INCIDENTS, *,
                   chunk: int = 65536, batches: Iterator[Any] | None = None,
                   threads: int = 2, rfc7946: bool = False) -> int:
    """Write ``frame`` as a FeatureCollection to the binary file ``out``; returns the count.

    ``batches``: the typed record batches of ``frame`` without geometry, in ``chunk``-row
    steps (default: :func:`maps.tables.arrow_batches`).  Batches are turned into text on
    ``threads`` threads (Arrow's kernels release the GIL), at most ``threads`` batches ahead of
    the writer, and written in order.  ``rfc7946``: polygon rings oriented as RFC 7946 asks
    (the export's zones and areas; points and lines are left as they are).
    """
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    if batches is None:
        _, batches = tables.arrow_batches(frame, layer, dates="text", geometry=False,
                                          chunk=chunk)
    out.write(HEAD)
    written = 0

    def text(start: int, batch: Any) -> Any:
        return feature_texts(frame.iloc[start:start + batch.num_rows], batch,
                             rfc7946=rfc7946)

    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        pending: deque[Any] = deque()

        def drain(keep: int) -> None:
            nonlocal written
            while len(pending) > keep:
                texts = pending.popleft().result()
                out.write(_buffer(texts, first=written == 0))
                written += len(texts)

        start = 0
        for batch in batches:
            if batch.num_rows:
                pending.append(pool.submit(text, start, batch))
                start += batch.num_rows
            drain(max(1, threads))
        drain(0)
    out.write(TAIL)
    return written


def head(name: str | None = None) -> bytes:
    """The opening of a FeatureCollection (with a ``name`` member, the layer name GDAL reads,
    when given)."""
    if name is None:
        return HEAD
    return ('{\n"type": "FeatureCollection",\n"name": ' + json.dumps(name, ensure_ascii=False)
            + ',\n"features": [\n').encode("utf-8")


def frame_batches(frame: Any, chunk: int = 65536) -> Iterator[Any]:
    """Arrow record batches of any GeoDataFrame's columns but its geometry, in order and in
    ``chunk``-row steps (pandas' own types: text, numbers, nullable integers, booleans)."""
    import pandas as pd
    import pyarrow as pa

    data = pd.DataFrame(frame.drop(columns=frame.geometry.name)).reset_index(drop=True)
    fields, arrays = [], []
    for name in data.columns:
        try:
            arr = pa.array(data[name], from_pandas=True)
            fields.append(pa.field(str(name), arr.type))
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed Python values: each as JSON
            arr = pa.array([None if v is None or v is pd.NA or (isinstance(v, float) and v != v)
                            else json.dumps(_plain(v), ensure_ascii=False, default=str)
                            for v in data[name]], type=pa.string())
            fields.append(pa.field(str(name), pa.string(), metadata={"geojson": "json"}))
        arrays.append(arr)
    table = pa.Table.from_arrays(arrays, schema=pa.schema(fields))
    yield from table.to_batches(max_chunksize=chunk)


def _plain(v: Any) -> Any:
    """A numpy scalar as the Python value it holds (for json.dumps)."""
    return v.item() if hasattr(v, "item") and not isinstance(v, str | bytes) else v


def write_collection(out: IO[bytes], frames: Any, *, name: str | None = None,
                     decimals: int | None = tables.COORD_DECIMALS, chunk: int = 65536) -> int:
    """Write one FeatureCollection of the rows of each GeoDataFrame of ``frames`` (a frame or a
    sequence of frames), frame after frame, to the binary file ``out``; returns the count.
    Each feature's properties are its frame's columns in order (missing values null)."""
    if hasattr(frames, "geometry"):
        frames = [frames]
    out.write(head(name))
    written = 0
    for frame in frames:
        start = 0
        for batch in frame_batches(frame, chunk):
            if not batch.num_rows:
                continue
            texts = feature_texts(frame.iloc[start:start + batch.num_rows], batch, decimals)
            out.write(_buffer(texts, first=written == 0))
            start += batch.num_rows
            written += batch.num_rows
    out.write(TAIL)
    return written


def collection_bytes(frames: Any, **options: Any) -> bytes:
    """:func:`write_collection` into bytes (for :meth:`maps.writers.Staged.write`)."""
    import io

    buf = io.BytesIO()
    write_collection(buf, frames, **options)
    return buf.getvalue()
