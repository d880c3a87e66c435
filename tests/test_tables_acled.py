"""ACLED as people download it: the real export in ../shared exactly as published (upper-case
headers, 05-Jan-22 dates, 20 of ACLED's columns, no ids, no geo_precision), other header cases
and column orders, every date form ACLED has used, HDX's HXL row and .xlsx, the API's JSON."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from geoevents.tables import read_table, write_frame
from maps.countries import to_iso2

REAL = Path(__file__).parents[1] / ".." / "shared" / "real" / "acled" / "acled_me_2022q1.csv"
needs_real = pytest.mark.skipif(not REAL.exists(), reason="../shared/real/acled not available")


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@needs_real
def test_real_acled_export_reads_exactly_as_downloaded():
    orig = _rows(REAL)
    res = read_table(REAL)
    assert res.layout == "acled"
    assert res.rows == len(orig) == 985
    assert len(res.frame) == 985 and res.rejections == []
    f = res.frame
    # counts per country and the fatalities total are the file's
    want = Counter(to_iso2(r["COUNTRY"]) for r in orig)
    assert "" not in want and Counter(f["country"]) == want
    assert Counter(f["country"])["PS"] == sum(r["COUNTRY"] == "Palestine" for r in orig) > 0
    assert int(f["fatalities_best"].sum()) == sum(int(r["FATALITIES"]) for r in orig)
    # dates 05-Jan-22 -> 2022-01-05; every row has a day in the quarter
    assert f["date_start"].iloc[0] == "2022-01-05"
    assert f["date_start"].between("2022-01-01", "2022-03-31").all()
    # no event_id_cnty: ids from the row's content, never empty, all different, stable
    assert f["id"].str.match(r"^acled-[0-9a-f]{12}(-\d+)?$").all()
    assert f["id"].is_unique
    assert list(read_table(REAL).frame["id"]) == list(f["id"])
    # no geo_precision column: unknown, not "at the named place"
    assert f["geo_precision"].isna().all()


@needs_real
def test_real_acled_round_trip_keeps_every_column_and_value(tmp_path):
    out = tmp_path / "back.csv"
    write_frame(read_table(REAL).frame, out, fmt="acled")
    orig, back = _rows(REAL), _rows(out)
    assert len(back) == len(orig)
    for o, b in zip(orig, back, strict=True):
        for k, v in o.items():
            assert b[k.lower()] == v, (k, v, b[k.lower()])
    again = read_table(out)
    assert len(again.frame) == 985 and list(again.frame["id"]) == list(
        read_table(REAL).frame["id"])


@needs_real
def test_header_case_and_column_order_do_not_matter(tmp_path):
    orig = _rows(REAL)[:50]
    cols = list(orig[0])
    shuffled = cols[::-1]
    p = tmp_path / "lower.csv"
    with open(p, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow([c.lower().title() for c in shuffled] + ["my_extra"])
        for r in orig:
            w.writerow([r[c] for c in shuffled] + ["kept"])
    a = read_table(REAL).frame.iloc[:50].reset_index(drop=True)
    b = read_table(p).frame
    for c in ("date_start", "country", "lat", "lon", "fatalities_best", "actor1", "place"):
        assert list(a[c]) == list(b[c]), c
    assert (b["acled_my_extra"] == "kept").all()
    out = tmp_path / "out.csv"
    write_frame(read_table(p).frame, out, fmt="acled")
    assert _rows(out)[0]["my_extra"] == "kept"


ACLED_HEAD = ("event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,"
              "country,iso,location,latitude,longitude,geo_precision,source,notes,fatalities")


def _acled(tmp_path: Path, rows: list[str], head: str = ACLED_HEAD, name="a.csv") -> Path:
    p = tmp_path / name
    p.write_text(head + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return p


@pytest.mark.parametrize(("written", "iso"), [
    ("2022-01-15", "2022-01-15"), ("15 January 2022", "2022-01-15"),
    ("15-January-2022", "2022-01-15"), ("15-Jan-22", "2022-01-15"), ("9-May-20", "2020-05-09"),
    ("05-Jan-22", "2022-01-05"), ("15 Jan 2022", "2022-01-15"),
])
def test_every_acled_date_form(tmp_path, written, iso):
    p = _acled(tmp_path, [f"SYR1,{written},2022,1,Battles,Armed clash,A,Syria,760,Raqqa,"
                          "35.95,39.01,1,SOHR,,0"])
    res = read_table(p)
    assert res.rejections == [] and res.frame["date_start"].iloc[0] == iso


def test_countries_of_every_kind(tmp_path):
    rows = [f"X{i},2022-01-0{i + 1},2022,1,Battles,Armed clash,A,{c},{n},P,35,39,1,S,,0"
            for i, (c, n) in enumerate([("Palestine", ""), ("", "275"), ("SYR", ""),
                                        ("Turkey", ""), ("Democratic Republic of Congo", ""),
                                        ("Atlantis", "")])]
    res = read_table(_acled(tmp_path, rows))
    assert list(res.frame["country"]) == ["PS", "PS", "SY", "TR", "CD", ""]


def test_given_ids_twice_reject_the_later_row(tmp_path):
    row = "SYR1,2022-01-05,2022,1,Battles,Armed clash,A,Syria,760,P,35,39,1,S,,{}"
    res = read_table(_acled(tmp_path, [row.format(1), row.format(2), row.format(1)]))
    assert len(res.frame) == 1 and len(res.rejections) == 2
    assert {r.line for r in res.rejections} == {3, 4}
    assert all(r.field == "id" and "the same id as line 2" in r.reason for r in res.rejections)


def test_hdx_csv_with_hxl_row(tmp_path):
    hxl = ("#event+code,#date+occurred,#date+year,#date+precision,#event+type,#event+subtype,"
           "#group+name+first,#country+name,#country+code,#loc+name,#geo+lat,#geo+lon,"
           "#geo+precision,#meta+source,#description,#affected+killed")
    p = _acled(tmp_path, [hxl, "SYR1,2022-01-05,2022,1,Battles,Armed clash,A,Syria,760,P,35,"
                          "39,1,S,,3", "SYR2,2022-01-06,2022,1,Battles,Armed clash,A,Syria,"
                          "760,P,35,abc,1,S,,3"])
    res = read_table(p)
    assert res.rows == 2 and len(res.frame) == 1
    assert res.rejections[0].line == 4 and res.rejections[0].field == "longitude"
    assert "'abc' is not a number" in res.rejections[0].reason


def test_hdx_xlsx_with_hxl_row(tmp_path):
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(ACLED_HEAD.split(","))
    ws.append(["#event+code", "#date+occurred"] + ["#x"] * 14)
    ws.append(["SYR1", dt.datetime(2022, 1, 5), 2022, 1, "Battles", "Armed clash", "A", "Syria",
               760, "Raqqa", 35.95, 39.01, 2, "SOHR", "n", 4])
    ws.append(["SYR2", "9-May-20", 2020, 1, "Battles", "Armed clash", "A", "Syria",
               760, "Raqqa", 35.95, 39.01, 1, "SOHR", "n", 2.5])
    p = tmp_path / "hdx.xlsx"
    wb.save(p)
    res = read_table(p)
    assert res.layout == "acled" and res.rows == 2
    row = res.frame.iloc[0]
    assert row["id"] == "acled-SYR1" and row["date_start"] == "2022-01-05"
    assert row["geo_precision"] == 2 and row["fatalities_best"] == 4 and row["country"] == "SY"
    (r,) = res.rejections
    assert r.line == 4 and r.field == "fatalities" and "not a whole number" in r.reason
    assert "hdx.xlsx" in r.file


def test_acled_api_json(tmp_path):
    doc = {"status": 200, "success": True, "count": 2, "data": [
        {"event_id_cnty": "YEM1", "event_date": "2022-02-01", "event_type": "Battles",
         "sub_event_type": "Armed clash", "actor1": "A", "country": "Yemen", "iso": 887,
         "location": "Marib", "latitude": "15.46", "longitude": "45.32", "geo_precision": "1",
         "fatalities": "7", "source": "X", "notes": ""},
        {"event_id_cnty": "YEM2", "event_date": "2099-02-01", "event_type": "Battles",
         "latitude": "15.46", "longitude": "45.32", "fatalities": 0, "country": "Yemen"}]}
    p = tmp_path / "api.json"
    p.write_text(json.dumps(doc), encoding="utf-8")
    res = read_table(p)
    assert res.layout == "acled" and res.rows == 2
    assert list(res.frame["id"]) == ["acled-YEM1"] and res.frame["country"].iloc[0] == "YE"
    (r,) = res.rejections
    assert r.field == "date_start" and "in the future" in r.reason and "record 2" in r.reason


@needs_real
def test_acled_saved_by_a_spreadsheet_with_slash_dates_follows_dayfirst(tmp_path):
    """Opened and saved by a spreadsheet, 05-Jan-22 becomes 05/01/2022: the read stops when the
    dates cannot tell day from month, and --dayfirst / --monthfirst decide (also for ACLED)."""
    from datetime import datetime

    from gazetteer import InputError
    from geoevents.tables import ReadOptions

    with open(REAL, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    i = rows[0].index("EVENT_DATE")
    keep = [rows[0]]
    for r in rows[1:]:
        d = datetime.strptime(r[i], "%d-%b-%y")
        if d.day <= 12 and len(keep) < 21:
            r[i] = d.strftime("%d/%m/%Y")
            keep.append(r)
    p = tmp_path / "saved.csv"
    with open(p, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(keep)
    with pytest.raises(InputError) as e:
        read_table(p)
    assert "--dayfirst" in str(e.value) and "event_date" in str(e.value)
    day = read_table(p, ReadOptions(dayfirst=True))
    month = read_table(p, ReadOptions(dayfirst=False))
    assert len(day.frame) == len(month.frame) == 20 and not day.rejections
    want = [datetime.strptime(r[i], "%d/%m/%Y").date().isoformat() for r in keep[1:]]
    assert day.frame["date_start"].tolist() == want
    assert month.frame["date_start"].tolist() != want
