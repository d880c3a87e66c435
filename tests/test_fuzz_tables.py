"""Fuzz every table reader with a seeded generator: random cells (numbers too large, not
numbers, quotes, delimiters, markup, other scripts), encodings (UTF-8 with and without BOM,
UTF-16, latin-1, cp1256, mixed) and truncations.  Whatever the bytes: no traceback (only the
tool's own InputError for a file that cannot be read at all) and every row accounted for:
rows in = rows out + rejections (+ rows a filter left out)."""

from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path

import pytest

from gazetteer import InputError
from geoevents.tables import ReadOptions, read_table
from maps.layouts import GDELT2_COLUMNS, UCDP_COLUMNS, parse_columns

SEED = 20260312
ACLED = ("event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "country",
         "iso", "location", "latitude", "longitude", "geo_precision", "source", "notes",
         "fatalities")
OURS = ("id", "date_start", "date_end", "date_precision", "event_type", "place", "lat", "lon",
        "geo_precision", "fatalities_low", "fatalities_best", "fatalities_high")

CELLS = ["", "0", "1", "-3", "2.5", "1e3", "99999999999999999999", "9223372036854775808",
         "3000000000", "nan", "inf", "-inf", "abc", " 12 ", "35.5", "-91", "181", "2022-01-05",
         "2099-12-31", "05-Jan-22", "9-May-20", "31/02/2018", "13/04/2022", "2022-02-30",
         "Battles", "Protests", "Picnic", "Syria", "Palestine", "275", "SYR", "XX", "حلب",
         "Ḥalab", "<script>alert(1)</script>", "a;b", "#geo+lat", "\u200b", "\ufeff",
         "'quoted'", "NULL", "None", "true", "1,5", "٣٥"]


def _cell(rnd: random.Random, delimiter: str) -> str:
    v = rnd.choice(CELLS)
    r = rnd.random()
    if r < 0.03:
        v = '"' + v  # an unclosed quote
    elif r < 0.06:
        v = '"' + v.replace('"', '""') + delimiter + 'x"'  # a quoted delimiter
    elif r < 0.07:
        v = v + delimiter  # one field too many
    return v


def _good(rnd: random.Random, col: str, i: int) -> str:
    return {"event_id_cnty": f"SYR{i}", "id": f"x{i}", "event_date": "2021-03-04",
            "date_start": "2021-03-04", "date_end": "2021-03-04", "date_precision": "day",
            "event_type": "Battles", "latitude": "35.1", "longitude": "40.2", "lat": "35.1",
            "lon": "40.2", "fatalities": "2", "country": "Syria"}.get(col, "")


def _table(rnd: random.Random, columns, n: int, delimiter: str = ",") -> str:
    cols = list(columns)
    if rnd.random() < 0.5:
        rnd.shuffle(cols)
    head = delimiter.join(c.upper() if rnd.random() < 0.3 else c for c in cols)
    lines = [head]
    for i in range(n):
        lines.append(delimiter.join(_cell(rnd, delimiter) if rnd.random() < 0.25 else
                                    _good(rnd, c, i) for c in cols))
        if rnd.random() < 0.02:
            lines.append("")  # blank lines
    return "\n".join(lines) + rnd.choice(["\n", "", "\r\n"])


def _encode(rnd: random.Random, text: str) -> bytes:
    kind = rnd.choice(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1256", "mixed"])
    if kind == "mixed":
        return b"\n".join(ln.encode("cp1252", "replace") if rnd.random() < 0.2 else
                          ln.encode("utf-8") for ln in text.split("\n"))
    return text.encode(kind, "replace")


def _truncate(rnd: random.Random, data: bytes) -> bytes:
    if rnd.random() < 0.3 and len(data) > 10:
        return data[: rnd.randrange(1, len(data))]
    return data


def _gdelt(rnd: random.Random, n: int) -> str:
    lines = []
    for i in range(n):
        v = ["" for _ in GDELT2_COLUMNS]
        v[0], v[1] = str(i + 1), "20220105"
        for j in range(2, len(v)):
            if rnd.random() < 0.3:
                v[j] = rnd.choice(CELLS).replace("\t", " ")
        if rnd.random() < 0.05:
            v = v[:-3]  # a short row
        lines.append("\t".join(v))
    return "\n".join(lines) + "\n"


def _check(path: Path, options: ReadOptions | None = None) -> str:
    try:
        res = read_table(path, options)
    except InputError as exc:
        assert str(exc), path
        return "refused"
    assert res.rows == len(res.frame) + len(res.rejections) + res.left_out, (
        path, res.rows, len(res.frame), len(res.rejections), res.left_out)
    for r in res.rejections:
        assert r.file.startswith(str(path)) and r.reason
    assert res.frame["id"].astype(str).str.len().gt(0).all()
    assert res.frame["id"].is_unique
    return "read"


def _xlsx(rnd: random.Random, columns, n: int) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(columns))
    for i in range(n):
        ws.append([rnd.choice([rnd.choice(CELLS), _good(rnd, c, i), 7.5, -1, 1e30, None])
                   for c in columns])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("case", range(6))
def test_fuzz_every_reader(tmp_path, case):
    rnd = random.Random(SEED + case)
    outcomes: dict[str, int] = {}
    for k in range(12):
        n = rnd.randrange(0, 60)
        cols = rnd.choice([ACLED, OURS, UCDP_COLUMNS])
        kinds = ["csv", "tsv", "noheader", "gdelt", "json", "geojson", "yaml", "zip",
                 "columns"]
        if k % 4 == 0:
            kinds.append("xlsx")
        kind = rnd.choice(kinds)
        opts = None
        if kind in ("csv", "tsv"):
            data = _truncate(rnd, _encode(rnd, _table(rnd, cols, n, "," if kind == "csv"
                                                      else "\t")))
            p = tmp_path / f"f{k}.{kind}"
        elif kind == "noheader":
            text = _table(rnd, UCDP_COLUMNS, n).split("\n", 1)[-1]
            data = _truncate(rnd, text.encode("utf-8"))
            p = tmp_path / f"f{k}.csv"
        elif kind == "gdelt":
            data = _truncate(rnd, _gdelt(rnd, n).encode("utf-8"))
            p = tmp_path / f"f{k}.export.CSV"
            opts = rnd.choice([None, ReadOptions(quad_classes=(4,)),
                               ReadOptions(root_codes=("18", "19"))])
        elif kind == "columns":
            data = _truncate(rnd, _encode(rnd, _table(rnd, ("Date", "Y", "X", "Town", "Dead"),
                                                      n)))
            p = tmp_path / f"f{k}.csv"
            opts = ReadOptions(columns=parse_columns("date=Date,lat=Y,lon=X,place=Town,"
                                                     "fatalities=Dead"),
                               dayfirst=rnd.choice([None, True]))
        elif kind == "xlsx":
            data = _truncate(rnd, _xlsx(rnd, cols, n))
            p = tmp_path / f"f{k}.xlsx"
        elif kind == "zip":
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
                zf.writestr("in.csv", _table(rnd, cols, n))
            data = _truncate(rnd, buf.getvalue())
            p = tmp_path / f"f{k}.zip"
        else:
            recs = [{c: rnd.choice([rnd.choice(CELLS), _good(rnd, c, i), 3, None, [1], {}])
                     for c in cols} for i in range(n)]
            if kind == "json":
                doc = rnd.choice([{"data": recs}, {"Result": recs}, recs,
                                  {"incidents": recs}])
                data = json.dumps(doc, ensure_ascii=rnd.random() < 0.5).encode("utf-8")
                p = tmp_path / f"f{k}.json"
            elif kind == "geojson":
                feats = [{"type": "Feature", "properties": r, "geometry": rnd.choice([
                    None, {"type": "Point", "coordinates": [40.1, 35.2]},
                    {"type": "Point", "coordinates": ["x"]},
                    {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}])}
                    for r in recs]
                data = json.dumps({"type": "FeatureCollection", "features": feats}).encode()
                p = tmp_path / f"f{k}.geojson"
            else:
                import yaml

                data = yaml.safe_dump({"incidents": recs}, allow_unicode=True).encode()
                p = tmp_path / f"f{k}.yaml"
            data = _truncate(rnd, data)
        p.write_bytes(data)
        try:
            got = _check(p, opts)
        except AssertionError:
            raise
        except Exception as exc:  # any other exception is a traceback for the user
            pytest.fail(f"{kind} {p.name}: {type(exc).__name__}: {exc}")
        outcomes[got] = outcomes.get(got, 0) + 1
    assert sum(outcomes.values()) == 12


def test_csv_row_count_is_the_files(tmp_path):
    """Without quotes and line breaks in cells, the rows counted are the file's lines."""
    rnd = random.Random(SEED)
    for k in range(30):
        n = rnd.randrange(1, 300)
        lines = [",".join(ACLED)]
        for i in range(n):
            cells = [_good(rnd, c, i) if rnd.random() < 0.8 else
                     rnd.choice(CELLS).replace(",", "") for c in ACLED]
            if rnd.random() < 0.05:
                cells = cells[:-2]
            if rnd.random() < 0.03:
                cells[5] = '"unclosed'
            lines.append(",".join(cells))
            if rnd.random() < 0.03:
                lines.append("")
        p = tmp_path / f"c{k}.csv"
        p.write_text("\n".join(lines) + "\n", encoding="utf-8")
        res = read_table(p)
        assert res.rows == sum(1 for ln in lines[1:] if ln), k
        assert res.rows == len(res.frame) + len(res.rejections)
