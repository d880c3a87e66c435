"""The core of the table readers, imported by the layouts' own modules (:mod:`.sheets`,
:mod:`.gdelt`) and by the package: what a read gives (:class:`TableRead`), how to read
(:class:`ReadOptions`), Arrow's CSV reading and the column mapping to the frame.  Imports nothing
of the package, so the package has no import cycle."""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass, field
from typing import Any

from gazetteer import InputError

from ..model import IncidentError, Rejection


@dataclass(slots=True)
class TableRead:
    frame: Any  # GeoDataFrame following maps.schema INCIDENTS
    layout: str  # frame | acled | ucdp | gdelt | columns | model | geojson | gpkg
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: int = 0  # data rows in the file
    left_out: int = 0  # rows a filter asked to leave out (GDELT --quad-class / --root-code)


@dataclass(slots=True)
class ReadOptions:
    """How to read tables that do not say it themselves.

    ``columns`` maps frame columns to the table's (``{"date": "Date", "lat": "Y"}``, see
    :data:`maps.layouts.COLUMN_ROLES`): any spreadsheet is then read with it.  ``dayfirst``
    decides slash dates (True 3/4 = 3 April, False = 4 March, None: from the table, or stop).
    ``quad_classes`` / ``root_codes`` keep only those GDELT events (QuadClass 4 = material
    conflict; CAMEO root codes such as "18", "19", "20")."""

    columns: dict[str, str] | None = None
    dayfirst: bool | None = None
    quad_classes: tuple[int, ...] = ()
    root_codes: tuple[str, ...] = ()


_DEFAULT = ReadOptions()



def _is_hxl_row(df) -> bool:
    """The first data row is an HXL hashtag row (#date, #geo+lat, #affected+killed ...)."""
    if not len(df):
        return False
    cells = [str(v).strip() for v in df.iloc[0].tolist()]
    filled = [c for c in cells if c and c != "<NA>"]
    return bool(filled) and sum(c.startswith("#") for c in filled) >= max(1, len(filled) // 2)


def _arrow_csv(data: bytes, header: list[str], delimiter: str, file: str,
               threads: bool = True, index: _LineIndex | None = None):
    """Arrow's CSV reader, every column as text; rows with the wrong number of fields are
    skipped and listed (text, expected, actual, line).  Their lines are found by their text
    (:func:`_locate_rows`), else the file is read again on one thread: only then does the
    reader say which line each one was on."""
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
                column_types={c: pa.large_string() for c in header}, strings_can_be_null=False,
                quoted_strings_can_be_null=False),
            read_options=pacsv.ReadOptions(block_size=1 << 24, use_threads=threads))
    except pa.ArrowInvalid as exc:
        raise InputError(f"cannot be read as CSV: {exc}", file=file) from None
    if bad_rows and threads:
        located = _locate_rows(data, bad_rows, index)
        if located is not None:
            return table, located
        return _arrow_csv(data, header, delimiter, file, threads=False)
    return table, bad_rows


def _quoted_record_end(raw: list[bytes], start: int, limit: int = 10_000) -> int | None:
    """The index of the line that closes the quote opened on line ``start`` (one with an odd
    number of quotes): the next line with an odd number, within ``limit`` lines; None if
    there is none (a broken quote)."""
    for k in range(start + 1, min(len(raw), start + 1 + limit)):
        if raw[k].count(b'"') % 2:
            return k
    return None


def _one_record(lines: list[bytes], width: int, delimiter: str) -> bool:
    """True when ``lines`` joined by line breaks are one well-formed CSV record of ``width``
    fields (a quoted value holding line breaks), not a broken quote running on into the
    rows after it."""
    import csv

    text = b"\n".join(lines).decode("utf-8", "replace")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                               strict=True))
    except csv.Error:
        return False
    return len(rows) == 1 and len(rows[0]) == width


def _line_break_stand_in(data: bytes) -> bytes | None:
    """A character the file does not hold, to stand in for the line breaks inside quoted
    values while the rows are read one a line (a private-use character; None if the file
    holds them all)."""
    for code in range(0xE000, 0xF900):
        mark = chr(code).encode("utf-8")
        if mark not in data:
            return mark
    return None  # pragma: no cover - a file holding all 6,400 private-use characters


def _restore_line_breaks(table, mark: bytes):
    """The table with ``mark`` turned back into the line breaks it stood in for."""
    import pyarrow.compute as pc

    text = mark.decode("utf-8")
    columns = []
    for col in table.columns:
        if pc.any(pc.match_substring(col, text)).as_py():
            col = pc.replace_substring(col, text, "\n")
        columns.append(col)
    return table.from_arrays(columns, schema=table.schema)


class _LineIndex:
    """The line breaks of a CSV's bytes, found once with numpy (in pieces, no file-sized
    temporary): how many rows the file has, whether it has blank lines, where lines start."""

    def __init__(self, data: bytes) -> None:
        import numpy as np

        self.data = data
        arr = np.frombuffer(data, dtype=np.uint8)
        step = 1 << 24
        parts = [np.flatnonzero(arr[off:off + step] == 10).astype(np.int64) + off
                 for off in range(0, len(arr), step)]
        self.newlines = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        # A blank line: a line break followed by another, or by "\r\n".
        nxt = self.newlines + 1
        nxt = nxt[nxt < len(arr)]
        after = arr[nxt]
        cr = nxt[after == 13] + 1
        cr = cr[cr < len(arr)]
        self.blank = int((after == 10).sum()) + int((arr[cr] == 10).sum())

    def data_rows(self) -> int:
        """Non-empty lines after the header: the rows (read or skipped) the CSV reader must
        give, when no quoted value holds a line break."""
        n = len(self.newlines) + (1 if self.data and not self.data.endswith(b"\n") else 0)
        return max(n - self.blank - 1, 0)

    def starts(self):
        import numpy as np

        s = np.concatenate([np.zeros(1, dtype=np.int64), self.newlines + 1])
        return s[s < len(self.data)]


def _keys16(data: bytes, pos):
    """A 64-bit key of the 16 bytes at each position (zeros past the end), read as two
    machine words through eight offset views of the bytes (no copy of the file)."""
    import numpy as np

    pos = np.asarray(pos, dtype=np.int64)
    words = []
    for shift in (0, 8):
        p = pos + shift
        w = np.zeros(len(p), dtype=np.uint64)
        whole = p + 8 <= len(data)
        for k in range(8):
            sel = np.flatnonzero(whole & (p % 8 == k))
            if len(sel):
                view = np.frombuffer(data, dtype=np.uint64, count=(len(data) - k) // 8,
                                     offset=k)
                w[sel] = view[(p[sel] - k) // 8]
        for j in np.flatnonzero(~whole).tolist():  # the last few bytes of the file
            w[j] = np.frombuffer(data[p[j]:p[j] + 8].ljust(8, b"\0"), dtype=np.uint64)[0]
        words.append(w)
    return words[0] ^ (words[1] * np.uint64(0x9E3779B97F4A7C15))


def _locate_rows(data: bytes, bad_rows: list[tuple[str, int, int, int | None]],
                 index: _LineIndex | None = None
                 ) -> list[tuple[str, int, int, int | None]] | None:
    """The lines of the rows the multi-threaded reader skipped (it does not say them, and
    gives them in no fixed order), found by their text: a key of the first 16 bytes of every
    line is compared at once (numpy), the candidates checked whole.  None when a row is not
    found whole on a line of its own, or is shorter than the key (then the file is read again
    on one thread)."""
    import numpy as np

    k = 16
    texts = [t.encode("utf-8") for t, _e, _a, _n in bad_rows]
    if any(len(t) < k or b"\n" in t for t in texts):
        return None
    starts = (index or _LineIndex(data)).starts()
    line_keys = _keys16(data, starts)
    distinct = sorted(set(texts))
    want = np.frombuffer(b"".join(t[:k] for t in distinct), dtype=np.uint8).reshape(-1, k)
    want_keys = np.ascontiguousarray(want).view(np.uint64).reshape(-1, 2)
    want_keys = want_keys[:, 0] ^ (want_keys[:, 1] * np.uint64(0x9E3779B97F4A7C15))
    by_key: dict[int, list[bytes]] = {}
    for key, t in zip(want_keys.tolist(), distinct, strict=True):
        by_key.setdefault(key, []).append(t)
    cand = np.flatnonzero(np.isin(line_keys, want_keys))
    by_text: dict[bytes, list[int]] = {}
    for j, key in zip(cand.tolist(), line_keys[cand].tolist(), strict=True):
        a = int(starts[j])
        for t in by_key.get(key, ()):
            if data.startswith(t, a) and data[a + len(t):a + len(t) + 1] in (b"", b"\n",
                                                                                b"\r"):
                by_text.setdefault(t, []).append(j + 1)
    used: dict[bytes, int] = {}
    out = []
    for (text, expected, actual, _n), t in zip(bad_rows, texts, strict=True):
        found = by_text.get(t, [])
        i = used.get(t, 0)
        if i >= len(found):
            return None
        used[t] = i + 1
        out.append((text, expected, actual, found[i]))
    return sorted(out, key=lambda r: r[3])


class _RowLines:
    """The file line of each data row, worked out only when a row needs reporting: row i is on
    line i + 2 plus the skipped lines before it, unless the file has blank lines (then the
    lines are counted one by one)."""

    def __init__(self, data: bytes, skipped: set[str], line_map: list[int] | None,
                 skipped_lines: list[int] | None = None, offset: int = 0,
                 blank_lines: bool | None = None) -> None:
        self.data, self.skipped, self.line_map = data, skipped, line_map
        self.offset = offset  # data rows dropped from the front (the HXL row)
        self.skipped_lines = sorted(skipped_lines or [])
        self._lines: list[int] | None = None
        self._simple: bool | None = None if line_map is None else False
        if self._simple is None and blank_lines is not None:
            self._simple = not blank_lines

    def __call__(self, i: int) -> int | None:
        i += self.offset
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


def _to_frame(df, layout: str, file: str, lines: Any, opts: ReadOptions | None = None,
              where: str = "row"):
    """The frame of a table in a known layout, and a rejection for each row that cannot be an
    incident.  ``lines(i)`` is the file line of data row i (None: rows are named
    ``{where} N``)."""
    import geopandas as gpd
    import pandas as pd

    from maps.layouts import (
        AmbiguousDates,
        acled_to_frame,
        as_text,
        columns_to_frame,
        gdelt_to_frame,
        ucdp_to_frame,
    )
    from maps.schema import INCIDENT_COLUMNS, conform

    opts = opts or _DEFAULT
    try:
        if layout == "acled":
            out, problems = acled_to_frame(df, dayfirst=opts.dayfirst)
        elif layout == "ucdp":
            out, problems = ucdp_to_frame(df, dayfirst=opts.dayfirst)
        elif layout == "gdelt":
            out, problems = gdelt_to_frame(df)
        elif layout == "columns":
            out, problems = columns_to_frame(df, opts.columns or {}, dayfirst=opts.dayfirst)
        else:
            out, problems = _frame_columns(as_text(df))
    except AmbiguousDates as exc:
        raise InputError(str(exc), file=file) from None
    except KeyError as exc:  # --columns naming a column the table does not have
        raise InputError(str(exc.args[0]), file=file, line=1) from None
    checks = validate_rows(out)
    problems = pd.concat([problems, checks], ignore_index=True) if len(checks) else problems
    bad_idx = set(problems["row"].tolist()) if len(problems) else set()
    # The same id twice: the later rows are rejected, naming the first one's line.
    ids = out["id"].astype("str")
    dup = ids.duplicated(keep="first") & (ids != "")
    if dup.any():
        pos_all = pd.Series(range(len(out)), index=out.index)
        first_pos = pos_all.groupby(ids.to_numpy()).first()
        extra = []
        for ix in dup[dup].index:
            if ix in bad_idx:
                continue
            fp = int(first_pos[ids[ix]])
            fl = lines(fp) if lines is not None else None
            at = f"line {fl}" if fl is not None else f"{where} {fp + 1}"
            extra.append((ix, "id", f"duplicate id {ids[ix]}: the same id as {at}"))
        if extra:
            problems = pd.concat([problems, pd.DataFrame(extra, columns=["row", "field",
                                                                          "reason"])],
                                 ignore_index=True)
            bad_idx |= {r for r, _f, _w in extra}
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
            prefix = "" if line is not None else f"{where} {i + 1}: "
            rejections.append(Rejection(file, line, fld, prefix + why,
                                        str(out.loc[row, "place"]) if "place" in out else ""))
        out = _keep_rows(out, ~out.index.isin(list(bad_idx)))
    for c in ("fatalities_low", "fatalities_best", "fatalities_high", "wounded_best",
              "geo_precision"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("Int64")
    out["source_count"] = pd.to_numeric(out["source_count"], errors="coerce").fillna(0).astype(
        "int64")
    for c in ("date_text", "place_kind", "place_note"):  # geoevents' optional columns
        if c not in out.columns:
            out[c] = ""
    cols = [*INCIDENT_COLUMNS, *[c for c in out.columns if c not in INCIDENT_COLUMNS]]
    out = out[cols].reset_index(drop=True)
    frame = gpd.GeoDataFrame(out, geometry=gpd.points_from_xy(out["lon"], out["lat"]),
                             crs="EPSG:4326")
    return conform(frame, "incidents", order=False), rejections


def _keep_rows(df, keep):
    """``df[keep]``.  Arrow-backed text columns are not copied when few rows go: the runs of
    kept rows become the pieces of a chunked array (zero-copy slices); otherwise Arrow's
    filter (pandas' generic take is several times slower on a million rows of text)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    keep = np.asarray(keep, dtype=bool)
    idx = df.index[keep]
    edges = np.diff(np.concatenate([[0], keep.view(np.int8), [0]]))
    run_starts, run_ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    runs = list(zip(run_starts.tolist(), (run_ends - run_starts).tolist(), strict=True))
    slices = len(runs) * 64 <= len(keep)
    mask = None if slices else pa.array(keep)
    cols = {}
    done: dict[int, Any] = {}  # the same Arrow data under two names is cut once
    for c in df.columns:
        s = df[c]
        arr = getattr(s.array, "_pa_array", None)
        if arr is not None and isinstance(s.dtype, pd.StringDtype):
            cut = done.get(id(arr))
            if cut is None:
                if slices:
                    cut = pa.chunked_array([ch for start, n in runs
                                            for ch in arr.slice(start, n).chunks],
                                           type=arr.type)
                else:
                    cut = pc.filter(arr, mask)
                done[id(arr)] = cut
            cols[c] = pd.Series(pd.arrays.ArrowStringArray(cut), index=idx, name=c)
        else:
            cols[c] = s[keep]
    return pd.DataFrame(cols, index=idx)


def _frame_columns(t) -> tuple[Any, Any]:
    """Our own CSV: typed columns, missing optional columns filled, ids made when absent."""
    import pandas as pd

    from maps.layouts import _count, _num, _problems, as_text
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
    counts = []
    for c in ("lat", "lon", "geo_precision", "fatalities_low", "fatalities_best",
              "fatalities_high", "wounded_best", "source_count"):
        raw = out[c].astype("str").fillna("")
        if c in ("lat", "lon", "geo_precision"):
            m = num[c].isna() & (raw.str.strip() != "")
            for ix in m[m].index:
                bad.append((ix, c, f"{c} {str(raw.loc[ix])!r} is not a number"))
            out[c] = num[c]
        else:
            out[c], checks = _count(raw, c)
            counts.extend(checks)
    cp = _problems(counts)
    bad.extend(cp.itertuples(index=False, name=None))
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
        from ..frames import incident_from_row

        for ix in ids[ids.str.strip() == ""].index:
            with contextlib.suppress(IncidentError, ValueError, TypeError):
                out.loc[ix, "id"] = incident_from_row(
                    {k: out.loc[ix, k] for k in out.columns if k != "id"}).id
        ids = out["id"].astype("str").fillna("").str.strip()
        if (ids == "").any():  # not an incident the model can build: an id from the row text
            from maps.layouts import content_ids

            made = content_ids(as_text(t), "inc-", (ids == "").to_numpy(dtype=bool))
            out["id"] = ids.where(ids != "", made.astype(str))
    return out, problems


def validate_rows(frame) -> Any:
    """Rows of a frame that cannot be incidents: (row, field, reason).  The checks are
    vectorised; messages are written only for the rows that fail."""
    import pandas as pd

    from maps.schema import DATE_PRECISIONS

    from ..model import EVENT_TYPES

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
    # A date after tomorrow (any time zone's today) is a typing or export error (2099).
    from datetime import date, timedelta

    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    add(s_ok & (start > tomorrow), "date_start",
        lambda ix: f"date_start {start[ix]} is in the future")
    add(~(s_ok & (start > tomorrow)) & e_ok & (end != "") & (end > tomorrow), "date_end",
        lambda ix: f"date_end {end[ix]} is in the future")
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
