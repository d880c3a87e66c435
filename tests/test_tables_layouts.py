"""UCDP GED (CSV with and without header, .xlsx, the API's JSON), GDELT events (1.0 with 57
and 58 columns, 2.0 with 61, zipped, filtered, streamed) and any spreadsheet with a column
mapping.  The files are written here from the producers' published codebooks."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest

from gazetteer import InputError
from geoevents.tables import ReadOptions, read_table
from maps.layouts import GDELT1_COLUMNS, GDELT2_COLUMNS, UCDP_COLUMNS, parse_columns

DATA = Path(__file__).parent / "data" / "tables"


def _ucdp_rows() -> list[dict[str, str]]:
    with open(DATA / "ucdp_sample.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_ucdp_without_header_reads_like_with_it(tmp_path):
    rows = _ucdp_rows()
    p = tmp_path / "ged_noheader.csv"
    with open(p, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        for r in rows:
            w.writerow([r[c] for c in UCDP_COLUMNS])
    a, b = read_table(DATA / "ucdp_sample.csv"), read_table(p)
    assert b.layout == "ucdp" and b.rows == len(rows)
    assert list(a.frame["id"]) == list(b.frame["id"])
    # no header row: each row is one line higher up
    assert [(r.line - 1, r.field) for r in a.rejections] == [(r.line, r.field)
                                                             for r in b.rejections]


def test_ucdp_xlsx_and_api_json(tmp_path):
    import openpyxl

    rows = _ucdp_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(UCDP_COLUMNS))
    for r in rows:
        ws.append([float(r[c]) if c in ("latitude", "longitude") and r[c] else r[c]
                   for c in UCDP_COLUMNS])
    p = tmp_path / "ged.xlsx"
    wb.save(p)
    want = read_table(DATA / "ucdp_sample.csv")
    got = read_table(p)
    assert got.layout == "ucdp" and list(got.frame["id"]) == list(want.frame["id"])
    assert [r.line for r in got.rejections] == [r.line for r in want.rejections]
    doc = {"TotalCount": len(rows), "TotalPages": 1, "Result": [
        {k: (int(v) if v.isdigit() else v) for k, v in r.items()} for r in rows]}
    j = tmp_path / "ged.json"
    j.write_text(json.dumps(doc), encoding="utf-8")
    api = read_table(j)
    assert api.layout == "ucdp" and list(api.frame["id"]) == list(want.frame["id"])
    assert all(r.reason.startswith("record ") for r in api.rejections)


def test_ucdp_without_where_prec_is_unknown_precision(tmp_path):
    rows = _ucdp_rows()
    p = tmp_path / "g.csv"
    cols = [c for c in UCDP_COLUMNS if c != "where_prec"]
    with open(p, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for r in rows:
            w.writerow([r[c] for c in cols])
    f = read_table(p).frame
    assert len(f) and f["geo_precision"].isna().all()


def _gdelt_row(columns: tuple[str, ...], i: int, **kw) -> str:
    v = {c: "" for c in columns}
    v.update(GLOBALEVENTID=str(1000 + i), SQLDATE="20220105", MonthYear="202201", Year="2022",
             FractionDate="2022.0123", Actor1Code="SYRMIL", Actor1Name="SYRIA",
             Actor2Code="IRQREB", Actor2Name="REBEL", IsRootEvent="1", EventCode="190",
             EventBaseCode="190", EventRootCode="19", QuadClass="4", GoldsteinScale="-10",
             NumMentions="5", NumSources="2", NumArticles="5", AvgTone="-6.1",
             ActionGeo_Type="4", ActionGeo_FullName="Aleppo, Halab, Syria",
             ActionGeo_CountryCode="SY", ActionGeo_ADM1Code="SY09", ActionGeo_Lat="36.2028",
             ActionGeo_Long="37.1586", ActionGeo_FeatureID="-2012313", DATEADDED="20220105",
             SOURCEURL="https://www.example.org/news/1")
    v.update(kw)
    return "\t".join(v[c] for c in columns)


@pytest.mark.parametrize("columns", [GDELT1_COLUMNS[:-1], GDELT1_COLUMNS, GDELT2_COLUMNS],
                         ids=["gdelt1-57", "gdelt1-58", "gdelt2-61"])
def test_gdelt_events(tmp_path, columns):
    assert len(columns) in (57, 58, 61)
    rows = [
        _gdelt_row(columns, 0),
        _gdelt_row(columns, 1, EventCode="195", EventBaseCode="195"),
        _gdelt_row(columns, 2, EventCode="145", EventBaseCode="145", EventRootCode="14",
                   QuadClass="3", ActionGeo_Type="1", ActionGeo_FullName="Iraq",
                   ActionGeo_CountryCode="IZ", ActionGeo_Lat="33", ActionGeo_Long="44"),
        _gdelt_row(columns, 3, EventCode="042", EventBaseCode="042", EventRootCode="04",
                   QuadClass="1", ActionGeo_Type="0", ActionGeo_Lat="", ActionGeo_Long=""),
        _gdelt_row(columns, 4, SQLDATE="2022010"),
    ]
    p = tmp_path / "20220105.export.CSV"
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    res = read_table(p)
    assert res.layout == "gdelt" and res.rows == 5
    f = res.frame.set_index("id")
    assert list(f.index) == ["gdelt-1000", "gdelt-1001", "gdelt-1002"]
    a = f.loc["gdelt-1000"]
    assert (a["event_type"], a["date_start"], a["country"], a["geo_precision"]) == (
        "Battles", "2022-01-05", "SY", 1)
    assert a["lat"] == pytest.approx(36.2028) and a["place"] == "Aleppo, Halab, Syria"
    assert f.loc["gdelt-1001", "sub_event_type"] == "Air/drone strike"
    c = f.loc["gdelt-1002"]
    assert (c["event_type"], c["country"], c["geo_precision"], c["place_kind"]) == (
        "Riots", "IQ", 3, "country")
    rej = {r.line: r for r in res.rejections}
    assert set(rej) == {4, 5}
    assert rej[4].field == "latitude" and rej[5].field == "SQLDATE"
    # only material conflict; only given root codes
    q4 = read_table(p, ReadOptions(quad_classes=(4,)))
    assert list(q4.frame["id"]) == ["gdelt-1000", "gdelt-1001"] and q4.left_out == 2
    assert q4.rows == len(q4.frame) + len(q4.rejections) + q4.left_out
    r14 = read_table(p, ReadOptions(root_codes=("14",)))
    assert list(r14.frame["id"]) == ["gdelt-1002"]


def test_gdelt_zipped_daily_file_and_a_truncated_one(tmp_path):
    rows = [_gdelt_row(GDELT1_COLUMNS, i) for i in range(300)]
    z = tmp_path / "20220105.export.CSV.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("20220105.export.CSV", "\n".join(rows) + "\n")
    res = read_table(z)
    assert res.layout == "gdelt" and len(res.frame) == 300
    assert res.rejections == []
    cut = tmp_path / "cut.zip"
    cut.write_bytes(z.read_bytes()[: z.stat().st_size // 2])
    with pytest.raises(InputError, match=r"damaged or truncated") as e:
        read_table(cut)
    assert str(cut) in str(e.value)


def test_gdelt_streams_in_blocks_with_the_right_lines(tmp_path):
    from geoevents.tables.gdelt import iter_gdelt

    rows = [_gdelt_row(GDELT2_COLUMNS, i) for i in range(3000)]
    rows[2500] = _gdelt_row(GDELT2_COLUMNS, 2500, ActionGeo_Lat="abc")
    rows[10] = rows[10] + "\textra"
    p = tmp_path / "g.tsv"
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    blocks = []
    with open(p, "rb") as fh:
        for frame, rej, n, _lo in iter_gdelt(fh, str(p), ReadOptions(), block_size=1 << 16):
            blocks.append((len(frame), [(r.line, r.field) for r in rej], n))
    assert len(blocks) > 3
    assert sum(b[2] for b in blocks) == 3000
    assert sum(b[0] for b in blocks) == 2998
    assert sorted(x for b in blocks for x in b[1]) == [(11, None), (2501, "latitude")]
    # One block at a time: when the first block's incidents come, the file has been read
    # only that far (a reader reading ahead holds hundreds of MB of a large file).
    with open(p, "rb") as fh:
        it = iter_gdelt(fh, str(p), ReadOptions(), block_size=1 << 16)
        next(it)
        assert fh.tell() <= 2 * (1 << 16) < p.stat().st_size // 4
        rest = sum(n for _f, _r, n, _lo in it)
    assert rest == 3000 - blocks[0][2]


def test_any_spreadsheet_with_a_column_mapping(tmp_path):
    p = tmp_path / "sheet.tsv"
    p.write_text("Date\tY\tX\tTown\tKilled\tKind\tRemark\n"
                 "13/04/2022\t36.2\t37.1\tAleppo\t3\tBattles\tx\n"
                 "02/05/2022\t35.9\t39.0\tRaqqa\t\tAirstrike\ty\n"
                 "03/05/2022\tabc\t39.0\tRaqqa\t1\t\tz\n", encoding="utf-8")
    spec = parse_columns("date=Date,lat=Y,lon=X,place=Town,fatalities=Killed,event_type=Kind")
    res = read_table(p, ReadOptions(columns=spec))
    f = res.frame
    assert list(f["date_start"]) == ["2022-04-13", "2022-05-02"]  # day-first, by 13/04
    assert list(f["event_type"]) == ["Battles", ""]
    assert f["sub_event_type"].iloc[1] == "Airstrike"
    assert f["fatalities_best"].iloc[0] == 3 and f["fatalities_best"].isna().iloc[1]
    assert list(f["Remark"]) == ["x", "y"]  # unmapped columns travel through
    (r,) = res.rejections
    assert r.line == 4 and r.field == "Y" and "'abc' is not a number" in r.reason
    assert f["id"].str.startswith("row-").all() and f["id"].is_unique


def test_ambiguous_dates_stop_unless_told(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("Date,lat,lon\n03/04/2022,36,37\n05/06/2022,36,37\n", encoding="utf-8")
    spec = parse_columns("date=Date,lat=lat,lon=lon")
    with pytest.raises(InputError, match=r"day-first or month-first.*--dayfirst"):
        read_table(p, ReadOptions(columns=spec))
    assert list(read_table(p, ReadOptions(columns=spec, dayfirst=True)).frame["date_start"]) == [
        "2022-04-03", "2022-06-05"]
    assert list(read_table(p, ReadOptions(columns=spec, dayfirst=False)).frame["date_start"]) \
        == ["2022-03-04", "2022-05-06"]


def test_column_mapping_errors_are_clear(tmp_path):
    with pytest.raises(ValueError, match="unknown role 'when'"):
        parse_columns("when=Date,lat=Y,lon=X")
    with pytest.raises(ValueError, match="lat"):
        parse_columns("date=Date,lon=X")
    p = tmp_path / "s.csv"
    p.write_text("Date,Y,X\n2022-01-01,1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column 'Town'"):
        read_table(p, ReadOptions(columns=parse_columns("date=Date,lat=Y,lon=X,place=Town")))


def test_cli_columns_and_config(tmp_path, capsys, monkeypatch):
    from geoevents.cli import main

    p = tmp_path / "s.csv"
    p.write_text("When,Lat,Lng,Where\n2022-01-02,36.2,37.1,Aleppo\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    assert main(["export", str(p), "-o", str(out), "--columns",
                 "date=When,lat=Lat,lon=Lng,place=Where"]) == 0
    assert "1 of 1 rows read" in capsys.readouterr().err
    cfg = tmp_path / "config.toml"
    cfg.write_text('[columns]\ndate = "When"\nlat = "Lat"\nlon = "Lng"\n', encoding="utf-8")
    monkeypatch.setenv("GEOEVENTS_CONFIG", str(cfg))
    out2 = tmp_path / "o2.csv"
    assert main(["export", str(p), "-o", str(out2)]) == 0
    assert "2022-01-02" in out2.read_text(encoding="utf-8")


def test_cli_reads_zipped_gdelt_with_a_filter_and_xlsx(tmp_path, capsys):
    import openpyxl

    from geoevents.cli import main

    rows = [_gdelt_row(GDELT1_COLUMNS, i, QuadClass="4" if i % 3 == 0 else "1")
            for i in range(30)]
    z = tmp_path / "20220105.export.CSV.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("20220105.export.CSV", "\n".join(rows) + "\n")
    out = tmp_path / "g.csv"
    assert main(["export", str(z), "-o", str(out), "--quad-class", "4"]) == 0
    err = capsys.readouterr().err
    assert "10 of 30 rows read; 20 left out by the GDELT filter" in err
    assert sum(1 for _ in out.open(encoding="utf-8")) == 11
    wb = openpyxl.Workbook()
    wb.active.append(["Date", "Y", "X"])
    wb.active.append(["2022-01-02", 36.2, 37.1])
    x = tmp_path / "s.xlsx"
    wb.save(x)
    out2 = tmp_path / "s.csv"
    assert main(["export", str(x), "-o", str(out2), "--columns", "date=Date,lat=Y,lon=X"]) == 0
    assert "1 of 1 rows read" in capsys.readouterr().err


def test_semicolon_csv_with_decimal_commas_reads_like_the_comma_one(tmp_path):
    """A spreadsheet in a locale whose decimal mark is a comma saves CSV with ';' and writes
    34,5624: the same incidents as the file it was opened from."""
    real = Path(__file__).parents[2] / "shared" / "real" / "acled" / "acled_me_2022q1.csv"
    if not real.exists():
        real = DATA / "acled_sample.csv"
    with open(real, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[:40]
    original = [list(r) for r in rows]
    lat, lon = rows[0].index("LATITUDE" if "LATITUDE" in rows[0] else "latitude"), \
        rows[0].index("LONGITUDE" if "LONGITUDE" in rows[0] else "longitude")
    for r in rows[1:]:
        r[lat], r[lon] = r[lat].replace(".", ","), r[lon].replace(".", ",")
    p = tmp_path / "saved.csv"
    with open(p, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    c = tmp_path / "comma.csv"
    with open(c, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(original)
    semi, comma = read_table(p), read_table(c)
    assert semi.layout == comma.layout == "acled"
    assert len(semi.frame) == len(comma.frame) == 39 and not semi.rejections
    assert semi.frame["lat"].tolist() == comma.frame["lat"].tolist()
    assert semi.frame["lon"].tolist() == comma.frame["lon"].tolist()
    assert semi.frame["id"].tolist() == comma.frame["id"].tolist()
    assert semi.frame["country"].tolist() == \
        comma.frame["country"].tolist()
    # A column mixing 3,5 with text is not a number column: nothing is changed in it.
    q = tmp_path / "mixed.csv"
    q.write_text("Date;Y;X;Note\n2022-01-02;36,2;37,1;3,5\n2022-01-03;36,3;37,2;about 4,5\n",
                 encoding="utf-8")
    res = read_table(q, ReadOptions(columns=parse_columns("date=Date,lat=Y,lon=X")))
    assert res.frame["lat"].tolist() == [36.2, 36.3]
    assert res.frame["Note"].tolist() == ["3,5", "about 4,5"]
