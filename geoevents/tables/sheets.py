"""Tables that are not text files: Excel workbooks (.xlsx, as HDX and UCDP distribute them) and
the JSON of the ACLED API (``{"data": [...]}``) and the UCDP API (``{"Result": [...]}``).

Both become a table of text cells (dates as ISO, whole numbers without ".0") and then go the
same way as a CSV (:func:`geoevents.tables._to_frame`): the layout is told by the header, an
HXL hashtag row under it is skipped, each row is an incident or a rejection naming its sheet
row (or its record number).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gazetteer import InputError


def _cell(v: Any) -> str:
    import datetime as dt

    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return str(v)
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return str(v).strip()


def read_xlsx(path: Path, opts: Any):
    """The first sheet of a workbook whose header is an incident layout (or, with --columns,
    the first sheet)."""
    import warnings as _w
    import zipfile

    from maps.layouts import detect_layout, expected_columns_message

    file = str(path)
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency
        raise InputError("reading .xlsx needs openpyxl (pip install openpyxl)", file=file) \
            from None
    try:
        with _w.catch_warnings():
            _w.simplefilter("ignore")  # openpyxl's notes on styles it does not know
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise InputError(f"not a readable .xlsx workbook ({exc}); a damaged or truncated "
                         "file?", file=file) from None
    try:
        seen = []
        for ws in wb.worksheets:
            rows = ws.iter_rows(values_only=True)
            header, header_row = None, 0
            for r, values in enumerate(rows, 1):
                if values and any(v is not None and str(v).strip() for v in values):
                    header, header_row = [_cell(v) for v in values], r
                    break
            if header is None:
                continue
            while header and not header[-1]:
                header.pop()
            seen.append(ws.title)
            layout = "columns" if opts.columns else detect_layout([h.lower() for h in header])
            if layout is None:
                continue
            body = []
            for values in rows:
                cells = [_cell(v) for v in (values or ())[:len(header)]]
                cells += [""] * (len(header) - len(cells))
                body.append(cells)
            return _from_rows(file + f" [{ws.title}]", header, body, header_row + 1, layout,
                              opts, [])
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise InputError(f"the workbook is damaged or truncated ({exc})", file=file) from None
    finally:
        wb.close()
    raise InputError("no sheet is an incident table I know (sheets: " +
                     (", ".join(seen) or "none") + "): " + expected_columns_message() +
                     "; for any other table give --columns", file=file)


def _from_rows(file: str, header: list[str], body: list[list[str]], first_line: int | None,
               layout: str, opts: Any, warnings: list[str], where: str = "row"):
    """Text rows -> TableRead; line of body row i is ``first_line + i`` (None: by number)."""
    import pandas as pd

    from maps.layouts import ACLED_REQUIRED, UCDP_REQUIRED

    from .core import TableRead, _is_hxl_row, _to_frame

    names = [h.strip() if layout == "columns" else h.strip().lower() for h in header]
    dup = sorted({h for h in names if h and names.count(h) > 1})
    if dup:
        raise InputError(f"column(s) {', '.join(dup)} appear more than once", file=file, line=1)
    required = {"frame": ("date_start", "lat", "lon"), "acled": ACLED_REQUIRED,
                "ucdp": UCDP_REQUIRED}.get(layout, ())
    missing = [c for c in required if c not in names]
    if missing:
        raise InputError(f"a {layout.upper()} table without the column(s) {', '.join(missing)}",
                         file=file, line=first_line and first_line - 1, field=missing[0])
    keep = [i for i, h in enumerate(names) if h]
    df = pd.DataFrame({names[i]: pd.array([r[i] for r in body], dtype=pd.StringDtype("pyarrow"))
                       for i in keep})
    offset = 0
    if _is_hxl_row(df):
        df = df.iloc[1:].reset_index(drop=True)
        offset = 1
    # Rows that are entirely empty (the end of a sheet) are not rows.
    filled = [i for i in range(len(df)) if any(str(v) for v in df.iloc[i].tolist())] \
        if len(df) < 2000 else None
    if filled is not None and len(filled) != len(df):
        rows_at = [i + offset for i in filled]
        df = df.iloc[filled].reset_index(drop=True)
    else:
        rows_at = None

    def lines(i: int) -> int | None:
        if first_line is None:
            return None
        return first_line + (rows_at[i] if rows_at is not None else i + offset)

    frame, rejections = _to_frame(df, layout, file, lines if first_line else None, opts,
                                  where=where)
    return TableRead(frame, layout, rejections, warnings, len(df))


def api_records(doc: Any) -> list | None:
    """The records of an ACLED (``{"data": [...]}``) or UCDP (``{"Result": [...]}``) API
    answer, or of a bare list of such records; None for anything else."""
    items = None
    if isinstance(doc, dict):
        for key in ("data", "Result", "result", "results"):
            if isinstance(doc.get(key), list):
                items = doc[key]
                break
    elif isinstance(doc, list):
        items = doc
    if not items or not all(isinstance(it, dict) for it in items[:50]):
        return None
    from maps.layouts import detect_layout

    keys = {str(k).lower() for it in items[:50] for k in it}
    if detect_layout(sorted(keys)) in ("acled", "ucdp"):
        return items
    return None


def read_records(path: Path, records: list, warnings: list[str], opts: Any):
    """API records -> TableRead; a record that is not an object is a rejection."""
    import json

    from maps.layouts import detect_layout

    from ..model import Rejection

    file = str(path)
    header: list[str] = []
    seen: set[str] = set()
    bad = []
    for i, rec in enumerate(records):
        if not isinstance(rec, dict):
            bad.append(Rejection(file, None, None, f"record {i + 1}: not an object"))
            continue
        for k in rec:
            if str(k).lower() not in seen:
                seen.add(str(k).lower())
                header.append(str(k))
    body = []
    for rec in records:
        if isinstance(rec, dict):
            low = {str(k).lower(): v for k, v in rec.items()}
            body.append([_cell(json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict))
                               else v) for v in (low.get(h.lower()) for h in header)])
    layout = detect_layout([h.lower() for h in header]) or "acled"
    res = _from_rows(file, header, body, None, layout, opts, warnings, where="record")
    res.rejections = bad + res.rejections
    res.rows += len(bad)
    return res
