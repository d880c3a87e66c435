"""Archives beyond memory: a partitioned GeoParquet dataset and aggregates through dask.

``build``: ACLED, UCDP (and any table :func:`geoevents.tables.read_table` reads) into
``DIR/<year>/<country>/part-<input>-<n>.parquet`` (GeoParquet: the incident columns of
:mod:`maps.schema` but the JSON ones, a point geometry; ``undated`` and ``none`` name the
partitions of unknown years and countries, nothing is invented).  Headed CSV files in ACLED or
UCDP layout are streamed in blocks (Arrow's CSV reader) through the same layout mapping the
table reader uses (:func:`maps.layouts.acled_to_frame`, :func:`~maps.layouts.ucdp_to_frame`), so
memory stays bounded by the block size and the partition buffers; other inputs are read whole
by :func:`~geoevents.tables.read_table`.  Rows that cannot be incidents go to
``DIR/rejected.csv`` with the file, row, field and reason.  ``DIR/archive.json`` lists the
inputs (SHA-256), partitions and counts.

``hexagons``: counts (and fatalities) per h3 cell per period (day, week, month) for the
partitions chosen by country and dates, as the HEXAGONS frame of docs/architecture.md.  ``sides``: counts
per side of control lines per period (:func:`geoevents.control.sides.assign_sides` on each
partition).  Both run through dask-geopandas on a :mod:`dask.distributed` cluster: a local one
(two worker processes) by default, or the scheduler at ``--scheduler ADDRESS``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .core import StoreError, digest_file

ARCHIVE_COLUMNS: dict[str, str] = {
    "id": "str", "date_start": "str", "date_end": "str", "date_precision": "str",
    "event_type": "str", "sub_event_type": "str", "place": "str", "place_resolved": "str",
    "country": "str", "admin1": "str", "geo_precision": "Int64", "lat": "float",
    "lon": "float", "actor1": "str", "actor2": "str", "assoc_actors": "str",
    "fatalities_low": "Int64", "fatalities_best": "Int64", "fatalities_high": "Int64",
    "wounded_best": "Int64", "sources": "str", "source_count": "Int64", "notes": "str",
}
MANIFEST = "archive.json"
REJECTED = "rejected.csv"
BLOCK_BYTES = 32 << 20
FLUSH_ROWS = 1_000_000  # buffered rows (all partitions) before they are written out
PERIODS = ("day", "week", "month")


@dataclass
class BuildResult:
    rows_in: int = 0
    rows_out: int = 0
    rejected: int = 0
    partitions: dict[str, int] = field(default_factory=dict)
    files: int = 0


def _partition(year: str, country: str) -> str:
    return f"{year or 'undated'}/{country or 'none'}"


def _cast(frame: Any) -> Any:
    """The archive columns with their types (missing counts stay missing)."""
    import geopandas as gpd
    import pandas as pd

    out = {}
    for c, t in ARCHIVE_COLUMNS.items():
        s = frame[c] if c in frame.columns else pd.Series([None] * len(frame),
                                                            index=frame.index)
        if t == "Int64":
            out[c] = pd.to_numeric(s, errors="coerce").astype("Int64")
        elif t == "float":
            out[c] = pd.to_numeric(s, errors="coerce").astype("float64")
        else:
            out[c] = s.astype(object).where(s.notna(), "").astype(str)
    df = pd.DataFrame(out, index=frame.index)
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]),
                            crs="EPSG:4326")


def _csv_blocks(path: Path) -> Iterator[Any] | None:
    """Blocks of a headed ACLED/UCDP CSV as text DataFrames with their layout, or None when the
    file is not one (it is then read whole by the table reader)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from maps.layouts import detect_layout

    if path.suffix.lower() not in (".csv", ".tsv"):
        return None
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
        head = f.readline()
    delim = "\t" if path.suffix.lower() == ".tsv" or head.count("\t") > head.count(",") else ","
    names = next(csv.reader([head], delimiter=delim), [])
    layout = detect_layout(names)
    if layout not in ("acled", "ucdp"):
        return None
    lower = [n.strip().lower() for n in names]

    def gen() -> Iterator[Any]:
        reader = pacsv.open_csv(
            path, read_options=pacsv.ReadOptions(block_size=BLOCK_BYTES, use_threads=True,
                                                 encoding="utf8"),
            parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False))
        offset = 0
        for batch in reader:
            df = batch.to_pandas(types_mapper=lambda t: None)
            df.columns = lower
            df.index = range(offset, offset + len(df))
            offset += len(df)
            yield layout, df

    return gen()


def _map_block(layout: str, df: Any) -> tuple[Any, list[tuple[int, str, str]]]:
    from maps.layouts import acled_to_frame, ucdp_to_frame

    frame, problems = (acled_to_frame if layout == "acled" else ucdp_to_frame)(df)
    bad: dict[int, tuple[str, str]] = {}
    for row, fld, why in problems[["row", "field", "reason"]].itertuples(index=False) \
            if len(problems) else []:
        bad.setdefault(int(row), (str(fld), str(why)))
    import pandas as pd

    try:  # the table reader's checks of each row (ranges, low <= best <= high, ...)
        from ..tables import validate_rows

        checks = validate_rows(frame)
        for row, fld, why in checks[["row", "field", "reason"]].itertuples(index=False) \
                if len(checks) else []:
            bad.setdefault(int(row), (str(fld), str(why)))
    except ImportError:  # pragma: no cover - the readers' layout changed
        pass
    lat = pd.to_numeric(frame["lat"], errors="coerce")
    lon = pd.to_numeric(frame["lon"], errors="coerce")
    for row in frame.index[(lat.isna() | lon.isna()).to_numpy()]:
        bad.setdefault(int(row), ("latitude", "no coordinates"))
    for row in frame.index[((lat.abs() > 90) | (lon.abs() > 180)).to_numpy()]:
        bad.setdefault(int(row), ("latitude", f"coordinates {lat[row]}, {lon[row]} are out of "
                                  "range"))
    keep = ~frame.index.isin(list(bad))
    return frame[keep], [(r + 2, f, w) for r, (f, w) in sorted(bad.items())]


def _blocks(path: Path) -> Iterator[tuple[Any, list[tuple[Any, str, str]]]]:
    stream = _csv_blocks(path)
    if stream is not None:
        for layout, df in stream:
            yield _map_block(layout, df)
        return
    from gazetteer import InputError

    from ..tables import read_table

    try:
        res = read_table(path)
    except InputError as exc:
        yield None, [(exc.line, exc.field or "", str(exc))]
        return
    yield res.frame, [(r.line, r.field or "", r.reason) for r in res.rejections]


def build(inputs: list[Path], out: Path, *, overwrite: bool = False,
          progress: Any = None) -> BuildResult:
    """Write the partitioned GeoParquet dataset of ``inputs`` to the folder ``out`` (made whole
    in a temporary folder beside it, then renamed into place)."""
    import pandas as pd

    from gazetteer.atomic import StagedFolder

    out = Path(out)
    # built whole in a temporary folder beside ``out``, then put in its place (the one atomic
    # writer's folder variant)
    staged = StagedFolder(out, overwrite=overwrite, inputs=inputs, what="archive",
                          error=StoreError)
    tmp = staged.path
    result = BuildResult()
    buffers: dict[str, list[Any]] = {}
    buffered = 0
    counters: dict[str, int] = {}
    manifest_inputs = []
    try:
        with open(tmp / REJECTED, "w", encoding="utf-8", newline="") as rej_file:
            rej = csv.writer(rej_file, lineterminator="\n")
            rej.writerow(["file", "line", "field", "reason"])

            def flush() -> None:
                nonlocal buffered
                for key in sorted(buffers):
                    part = pd.concat(buffers[key]) if len(buffers[key]) > 1 else buffers[key][0]
                    folder = tmp / key
                    folder.mkdir(parents=True, exist_ok=True)
                    n = counters.get(key, 0)
                    counters[key] = n + 1
                    _cast(part).reset_index(drop=True).to_parquet(
                        folder / f"part-{n:05d}.parquet", index=False, compression="zstd",
                        write_covering_bbox=False)
                    result.files += 1
                buffers.clear()
                buffered = 0

            for path in inputs:
                path = Path(path)
                if not path.is_file():
                    raise StoreError(f"{path}: no such file")
                digest = digest_file(path)
                rows_in = rows_out = rejected = 0
                for frame, bad in _blocks(path):
                    for line, fld, why in bad:
                        rej.writerow([str(path), line if line is not None else "", fld, why])
                    rejected += len(bad)
                    if frame is None or not len(frame):
                        rows_in += len(bad)
                        continue
                    rows_in += len(frame) + len(bad)
                    rows_out += len(frame)
                    year = frame["date_start"].astype(str).str[:4]
                    country = frame["country"].astype(str)
                    keys = (year.where(year != "", "undated") + "/" +
                            country.where(country != "", "none"))
                    for key, part in frame.groupby(keys.to_numpy(), sort=True):
                        buffers.setdefault(str(key), []).append(part)
                        result.partitions[str(key)] = result.partitions.get(str(key), 0) + \
                            len(part)
                    buffered += len(frame)
                    if progress is not None:
                        progress(len(frame) + len(bad))
                    if buffered >= FLUSH_ROWS:
                        flush()
                result.rows_in += rows_in
                result.rows_out += rows_out
                result.rejected += rejected
                manifest_inputs.append({"file": str(path), "sha256": digest,
                                        "rows": rows_in, "incidents": rows_out,
                                        "rejected": rejected})
            flush()
        manifest = {"format": "geoevents archive", "version": 1,
                    "layout": "<year>/<country>/part-<n>.parquet (GeoParquet, EPSG:4326)",
                    "columns": ARCHIVE_COLUMNS, "inputs": manifest_inputs,
                    "partitions": dict(sorted(result.partitions.items())),
                    "incidents": result.rows_out, "rejected": result.rejected}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                                    encoding="utf-8")
        staged.commit()
    except BaseException:
        staged.abort()
        raise
    return result


# --- reading --------------------------------------------------------------------------------

def manifest(folder: Path) -> dict[str, Any]:
    p = Path(folder) / MANIFEST
    if not p.is_file():
        raise StoreError(f"{folder} is not a geoevents archive (no {MANIFEST}; make one with "
                         "`geoevents archive build INPUT... -o DIR`)")
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise StoreError(f"{p}: damaged ({exc.msg})") from None


def select_files(folder: Path, countries: list[str] | None = None,
                 date_from: date | None = None, date_to: date | None = None) -> list[Path]:
    """The partition files for the countries and years asked (undated partitions only when no
    date bound is given)."""
    folder = Path(folder)
    m = manifest(folder)
    out = []
    for key in sorted(m.get("partitions", {})):
        year, cc = key.split("/")
        if countries and cc not in countries:
            continue
        if year == "undated":
            if date_from or date_to:
                continue
        else:
            y = int(year)
            if (date_from and y < date_from.year) or (date_to and y > date_to.year):
                continue
        out.extend(sorted((folder / key).glob("*.parquet")))
    return out


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, *, workers: int = 2,
                memory_limit: str = "3GiB", processes: bool = False) -> Iterator[Any]:
    """A :class:`dask.distributed.Client`: on the scheduler at ``scheduler`` or on a local
    cluster of ``workers`` workers (one thread each, ``memory_limit`` each).  The local workers
    are threads of this process by default (``processes=False``: no start-up imports and no
    copies between processes; pandas, Arrow and h3 release the GIL for the heavy parts)."""
    import logging

    from dask.distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except OSError as exc:
            raise StoreError(f"cannot reach the dask scheduler at {scheduler}: {exc}") from None
        try:
            yield client
        finally:
            client.close()
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                      dashboard_address=None, memory_limit=memory_limit,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client


def _period_start(days: Any, every: str) -> Any:

    d = days.astype("datetime64[D]")
    if every == "day":
        return d
    if every == "week":  # ISO weeks: Monday (1970-01-01 was a Thursday)
        n = d.astype("int64")
        return (n - (n + 3) % 7).astype("datetime64[D]")
    return d.astype("datetime64[M]").astype("datetime64[D]")


def _hex_partition(part: Any, resolution: int, every: str, by_type: bool,
                   date_from: str | None, date_to: str | None) -> Any:
    """Counts per (cell, period[, event type]) of one partition (runs on a worker)."""
    import h3.api.basic_int as h3i
    import numpy as np
    import pandas as pd

    cols = ["cell", "period", "event_type", "count", "fatalities", "fat_known"]
    if not len(part):
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("cell", "count", "fatalities",
                                                                  "fat_known") else object)
                             for c in cols})
    start = part["date_start"].astype(str).str[:10]
    keep = (start != "").to_numpy().copy()
    if date_from:
        end = part["date_end"].astype(str).str[:10]
        end = end.where(end != "", start)
        keep &= (end >= date_from).to_numpy()
    if date_to:
        keep &= (start <= date_to).to_numpy()
    part = part[keep]
    start = start[keep]
    days = pd.to_datetime(start, format="%Y-%m-%d", errors="coerce").to_numpy()
    period = _period_start(days, every)
    x = part["lon"].to_numpy(dtype="float64")
    y = part["lat"].to_numpy(dtype="float64")
    codes, uniq = pd.factorize(pd.Series(np.round(y, 6) * 1e3 + np.round(x, 6) / 1e3))
    del uniq
    first = np.zeros(codes.max() + 1 if len(codes) else 0, dtype="int64")
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    cells_u = np.fromiter((h3i.latlng_to_cell(float(y[i]), float(x[i]), resolution)
                           for i in first), dtype="uint64", count=len(first))
    fat = part["fatalities_best"]
    df = pd.DataFrame({
        "cell": cells_u[codes].astype("int64"),
        "period": period.astype("int64"),
        "event_type": part["event_type"].astype(str).to_numpy() if by_type else "",
        "fatalities": fat.fillna(0).astype("int64").to_numpy(),
        "fat_known": fat.notna().astype("int64").to_numpy(),
    })
    g = df.groupby(["cell", "period", "event_type"], sort=False)
    out = g.agg(count=("fatalities", "size"), fatalities=("fatalities", "sum"),
                fat_known=("fat_known", "sum")).reset_index()
    return out[cols]


def hexagons(folder: Path, *, resolution: int, every: str = "week",
             countries: list[str] | None = None, date_from: date | None = None,
             date_to: date | None = None, by_type: bool = False,
             scheduler: str | None = None, client: Any = None) -> Any:
    """The HEXAGONS frame (docs/architecture.md) of the archive at ``folder``."""
    import dask.dataframe as dd
    import geopandas as gpd
    import h3
    import numpy as np
    import pandas as pd
    from shapely import Polygon
    from shapely.geometry.polygon import orient

    if not 0 <= resolution <= 15:
        raise StoreError(f"--resolution {resolution}: h3 resolutions are 0..15")
    if every not in PERIODS:
        raise StoreError(f"--every {every!r}: one of {', '.join(PERIODS)}")
    files = select_files(folder, countries, date_from, date_to)
    # The cells need only the coordinates: the archive's lat/lon columns (the same as its point
    # geometry) spare decoding WKB and a CRS for every file.
    columns = ["date_start", "date_end", "event_type", "fatalities_best", "lat", "lon"]
    if files:
        ctx = contextlib.nullcontext(client) if client is not None else dask_client(scheduler)
        with ctx:
            ddf = dd.read_parquet([str(f) for f in files], columns=columns)
            meta = _hex_partition(ddf._meta, resolution, every, by_type, None, None)
            parts = ddf.map_partitions(
                _hex_partition, resolution, every, by_type,
                date_from.isoformat() if date_from else None,
                date_to.isoformat() if date_to else None, meta=meta)
            counts = parts.groupby(["cell", "period", "event_type"]).agg(
                {"count": "sum", "fatalities": "sum", "fat_known": "sum"}).compute()
        counts = counts.reset_index()
    else:
        counts = pd.DataFrame({"cell": [], "period": [], "event_type": [], "count": [],
                               "fatalities": [], "fat_known": []})
    counts = counts.sort_values(["period", "cell", "event_type"], kind="stable")
    counts = counts.reset_index(drop=True)
    cells = [h3.int_to_str(int(c)) for c in counts["cell"]]
    shapes = {c: orient(Polygon([(lng, lat) for lat, lng in h3.cell_to_boundary(c)]), 1.0)
              for c in dict.fromkeys(cells)}  # counter-clockwise, as RFC 7946 asks
    start = counts["period"].astype("int64").to_numpy().astype("datetime64[D]")
    if every == "day":
        end = start
    elif every == "week":
        end = start + np.timedelta64(6, "D")
    else:
        end = ((start.astype("datetime64[M]") + np.timedelta64(1, "M"))
               .astype("datetime64[D]") - np.timedelta64(1, "D"))
    fat = pd.array(counts["fatalities"].astype("int64").to_numpy(), dtype="Int64")
    fat[counts["fat_known"].to_numpy() == 0] = pd.NA
    frame = gpd.GeoDataFrame({
        "cell": cells,
        "resolution": np.full(len(counts), resolution, dtype="int64"),
        "period_start": pd.Series(start).dt.strftime("%Y-%m-%d").tolist() if len(start) else [],
        "period_end": pd.Series(end).dt.strftime("%Y-%m-%d").tolist() if len(end) else [],
        "count": counts["count"].astype("int64").to_numpy(),
        "fatalities": fat,
        "event_type": [t or None for t in counts["event_type"]] if by_type else
        [None] * len(counts),
    }, geometry=[shapes[c] for c in cells], crs="EPSG:4326")
    return frame


def geojson_text(frame: Any) -> bytes:
    """An RFC 7946 FeatureCollection of a frame, by the one GeoJSON writer
    (:func:`maps.geojson.write_collection`; coordinates as built)."""
    from maps.geojson import collection_bytes

    return collection_bytes(frame, decimals=None)


def write_frame(frame: Any, path: Path, *, overwrite: bool = False) -> None:
    """HEXAGONS or sides output: .geojson (RFC 7946 text), .parquet (GeoParquet) or .csv,
    written whole or not at all (:func:`maps.writers.write_file`)."""
    from maps.writers import write_file

    def atomic_write(p: Path, data: Any, what: str) -> None:
        write_file(p, data, overwrite=overwrite, what=what, error=StoreError)

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        atomic_write(path, geojson_text(frame), "hexagons")
    elif suffix == ".parquet":
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False)
        atomic_write(path, buf.getvalue(), "hexagons")
    elif suffix == ".csv":
        df = frame.drop(columns=[frame.geometry.name]) if hasattr(frame, "geometry") and \
            frame.geometry.name in frame.columns else frame
        atomic_write(path, df.to_csv(index=False, lineterminator="\n"), "table")
    else:
        raise StoreError(f"{path}: write .geojson, .parquet or .csv")


def _sides_partition(part: Any, lines: Any, zones: Any, every: str,
                     date_from: str | None = None, date_to: str | None = None) -> Any:
    import pandas as pd

    from ..control.sides import assign_sides
    from .core import rows_frame

    cols = ["line_id", "zone_party", "zone_side", "period", "count", "fatalities",
            "fat_known"]
    if not len(part):
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("period", "count",
                                                                  "fatalities", "fat_known")
                                          else object) for c in cols})
    start = part["date_start"].astype(str).str[:10]
    keep = (start != "").to_numpy().copy()
    if date_from:
        end = part["date_end"].astype(str).str[:10]
        keep &= (end.where(end != "", start) >= date_from).to_numpy()
    if date_to:
        keep &= (start <= date_to).to_numpy()
    part = part[keep]
    frame = rows_frame(_frame_rows(part))
    sided = assign_sides(frame, lines, zones)
    days = pd.to_datetime(sided["date_start"].str[:10], format="%Y-%m-%d").to_numpy()
    fat = sided["fatalities_best"]
    df = pd.DataFrame({"line_id": sided["line_id"].astype(str).to_numpy(),
                       "zone_party": sided["zone_party"].astype(str).to_numpy(),
                       "zone_side": sided["zone_side"].astype(str).to_numpy(),
                       "period": _period_start(days, every).astype("int64"),
                       "fatalities": fat.fillna(0).astype("int64").to_numpy(),
                       "fat_known": fat.notna().astype("int64").to_numpy()})
    g = df.groupby(["line_id", "zone_party", "zone_side", "period"], sort=False)
    return g.agg(count=("fatalities", "size"), fatalities=("fatalities", "sum"),
                 fat_known=("fat_known", "sum")).reset_index()[cols]


def _frame_rows(part: Any) -> list[dict[str, Any]]:
    from maps.schema import INCIDENT_COLUMNS

    df = part.drop(columns=[part.geometry.name]).astype(object)
    df = df.where(df.notna(), None)
    recs = df.to_dict("records")
    defaults = {c: (0 if t in ("int",) else None if t in ("Int64", "float") else "")
                for c, t in INCIDENT_COLUMNS.items()}
    defaults["geo_precision"] = 3
    defaults["source_count"] = 0
    out = []
    for r in recs:
        row = {**defaults, **{k: v for k, v in r.items() if v is not None}}
        row["geo_precision"] = int(row["geo_precision"] or 3)
        row["source_count"] = int(row["source_count"] or 0)
        out.append(row)
    return out


def sides(folder: Path, lines: Any, zones: Any, *, every: str = "week",
          countries: list[str] | None = None, date_from: date | None = None,
          date_to: date | None = None, scheduler: str | None = None,
          client: Any = None) -> Any:
    """Counts per line, side and period of the archive's incidents."""
    import dask_geopandas
    import pandas as pd

    files = select_files(folder, countries, date_from, date_to)
    if not files:
        return pd.DataFrame({c: [] for c in ("line_id", "zone_party", "zone_side",
                                             "period_start", "period_end", "count",
                                             "fatalities")})
    ctx = contextlib.nullcontext(client) if client is not None else dask_client(scheduler)
    with ctx as cl:
        ddf = dask_geopandas.read_parquet([str(f) for f in files])
        lf, zf = cl.scatter(lines, broadcast=True), cl.scatter(zones, broadcast=True)
        meta = _sides_partition(ddf._meta, lines, zones, every)
        parts = ddf.map_partitions(_sides_partition, lf, zf, every,
                                   date_from.isoformat() if date_from else None,
                                   date_to.isoformat() if date_to else None, meta=meta)
        counts = parts.groupby(["line_id", "zone_party", "zone_side", "period"]).agg(
            {"count": "sum", "fatalities": "sum", "fat_known": "sum"}).compute()
    counts = counts.reset_index().sort_values(["period", "line_id", "zone_party",
                                               "zone_side"], kind="stable")
    start = counts["period"].astype("int64").to_numpy().astype("datetime64[D]")
    fat = pd.array(counts["fatalities"].astype("int64").to_numpy(), dtype="Int64")
    fat[counts["fat_known"].to_numpy() == 0] = pd.NA
    out = pd.DataFrame({"line_id": counts["line_id"].to_numpy(),
                        "zone_party": counts["zone_party"].to_numpy(),
                        "zone_side": counts["zone_side"].to_numpy(),
                        "period_start": pd.Series(start).dt.strftime("%Y-%m-%d").to_numpy(),
                        "count": counts["count"].astype("int64").to_numpy(),
                        "fatalities": fat})
    return out.reset_index(drop=True)
