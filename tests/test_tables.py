"""Incident tables in and out: ACLED and UCDP layouts with their real column names, our CSV,
JSON/YAML, GeoJSON; every row an incident or a rejection; bad files get clear messages."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from gazetteer import InputError
from geoevents.frames import incidents_frame, incidents_from_frame
from geoevents.model import Casualty, EventDate, Incident, Location, Source
from geoevents.tables import read_incidents, read_table, write_frame, write_incidents
from maps.layouts import ACLED_COLUMNS, UCDP_COLUMNS, frame_to_acled
from maps.schema import INCIDENT_COLUMNS, check_incidents

DATA = Path(__file__).parent / "data" / "tables"


def _incident(**kw) -> Incident:
    from datetime import date

    base = dict(
        date=EventDate.day(date(2018, 5, 23), "last Wednesday"),
        location=Location("near the town of Mayadeen", "Al Mayādīn", "geonames:173480", "SY",
                          "Deir ez-Zor", 35.01982, 40.45154, 2, "populated_place", "note"),
        event_type="Battles", sub_event_type="Armed clash", actor1="Islamic State",
        actor2="Syrian government forces", assoc_actors=["Russian forces"],
        casualties=[Casualty("killed", "pro-government forces", 35, 35, 35,
                             "Syrian Observatory for Human Rights", "“There were 35 ...”",
                             party="B", via="Arab News (AFP)"),
                    Casualty("killed", "Russian", 9, 9, None, "Syrian Observatory for Human "
                             "Rights", "", party="B", part_of="pro-government forces"),
                    Casualty("wounded", "Russian", 5, 5, 5, "Russian defence ministry", "q",
                             party="B", via="Al Jazeera", note="2 of them later died")],
        sources=[Source("Arab News (AFP)", "https://example.org/a", date(2018, 5, 27), "q", "001"),
                 Source("Al Jazeera", "", date(2018, 5, 27), "q2", "002")],
        notes="a note; with <b>markup</b> & a semicolon",
    )
    base.update(kw)
    return Incident(**base).ensure_id()


def test_acled_export_reads_with_every_row_accounted_for():
    res = read_table(DATA / "acled_sample.csv")
    assert res.layout == "acled" and res.rows == 6
    check_incidents(res.frame)
    assert len(res.frame) + len(res.rejections) == 6
    f = res.frame.set_index("id")
    assert list(f.index) == ["acled-SYR9001", "acled-SYR9002", "acled-SYR9003"]
    row = f.loc["acled-SYR9001"]
    assert row["date_start"] == "2018-05-23" and row["date_precision"] == "day"
    assert row["country"] == "SY" and row["geo_precision"] == 2
    assert row["fatalities_best"] == 35 and row["assoc_actors"] == "Military Forces of Russia (2000-)"
    # associated with side B in ACLED, and still so in the incident
    assert row["assoc_actor_1"] == "" and row["assoc_actor_2"] == "Military Forces of Russia (2000-)"
    inc = next(i for i in incidents_from_frame(res.frame) if i.id == "acled-SYR9001")
    assert inc.associated(2) == ["Military Forces of Russia (2000-)"] and inc.associated(1) == []
    assert json.loads(row["sources_json"])[1]["outlet"] == "AFP"
    assert f.loc["acled-SYR9003", "date_precision"] == "week"
    by_line = {r.line: r for r in res.rejections}
    assert set(by_line) == {5, 6, 7}
    assert by_line[5].field == "latitude" and "outside -90..90" in by_line[5].reason
    assert by_line[6].field == "event_date" and "31/02/2018x" in by_line[6].reason
    assert by_line[7].field == "fatalities" and "a dozen" in by_line[7].reason
    assert all(r.file.endswith("acled_sample.csv") for r in res.rejections)


def test_acled_layout_round_trip_gives_the_rows_back(tmp_path):
    res = read_table(DATA / "acled_sample.csv")
    out = tmp_path / "acled.csv"
    write_frame(res.frame, out, fmt="acled")
    with open(out, encoding="utf-8", newline="") as f:
        back = list(csv.DictReader(f))
    with open(DATA / "acled_sample.csv", encoding="utf-8", newline="") as f:
        orig = {r["event_id_cnty"]: r for r in csv.DictReader(f)}
    assert list(back[0]) == list(ACLED_COLUMNS)
    for row in back:
        o = orig[row["event_id_cnty"]]
        for c in ACLED_COLUMNS:
            assert row[c] == o[c], c  # every value as the file wrote it ("23 May 2018" too)
    assert back[0]["event_date"] == "23 May 2018"


def test_ucdp_ged_reads_with_sides_and_precision():
    res = read_table(DATA / "ucdp_sample.csv")
    assert res.layout == "ucdp"
    f = res.frame.set_index("id")
    assert list(f.index) == ["ucdp-900001", "ucdp-900002"]
    a = f.loc["ucdp-900001"]
    assert (a["fatalities_low"], a["fatalities_best"], a["fatalities_high"]) == (35, 35, 43)
    assert a["date_precision"] == "day" and a["geo_precision"] == 2
    assert a["actor1"] == "Government of Syria" and a["event_type"] == "Battles"
    b = f.loc["ucdp-900002"]
    assert (b["date_start"], b["date_end"], b["date_precision"]) == ("2018-05-26", "2018-05-27",
                                                                     "range")
    assert b["geo_precision"] == 3  # where_prec 4: the governorate
    [rej] = res.rejections
    assert rej.line == 4 and rej.field == "best"
    inc = incidents_from_frame(res.frame)[0]
    assert inc.fatalities == (35, 35, 43)
    assert inc.figures_for("IS").best == 35  # deaths_b, part of the total


def test_frame_round_trip_through_every_format(tmp_path):
    incs = [_incident(), _incident(location=Location("Hajin", "Hajīn", "geonames:174506", "SY",
                                                     "Deir ez-Zor", 34.69508, 40.83138, 1),
                                   event_type="Explosions/Remote violence",
                                   sub_event_type="Air/drone strike", id="")]
    incs[1].ensure_id()
    for name in ("x.csv", "x.json", "x.yaml", "x.geojson"):
        path = tmp_path / name
        write_incidents(incs, path)
        back, rejections = read_incidents(path)
        assert rejections == []
        assert [b.id for b in back] == [i.id for i in incs], name
        for a, b in zip(incs, back, strict=True):
            assert a.date == b.date
            assert a.casualties == b.casualties
            assert a.fatalities == b.fatalities and a.wounded == b.wounded
            assert [s.to_dict() for s in a.sources] == [s.to_dict() for s in b.sources]
            assert a.claims == b.claims and a.notes == b.notes
            assert b.location.lat == pytest.approx(a.location.lat, abs=1e-6)
            assert b.location.place_id == a.location.place_id
            assert b.location.precision == a.location.precision


def test_frame_written_by_geopandas_reads_back(tmp_path):
    """An exporter writing the frame with geopandas/pyogrio (GeoJSON, GeoPackage) loses no
    incident data."""
    frame = incidents_frame([_incident()])
    check_incidents(frame)
    for name, driver in (("e.geojson", "GeoJSON"), ("e.gpkg", "GPKG")):
        path = tmp_path / name
        frame.to_file(path, driver=driver, engine="pyogrio")
        res = read_table(path)
        [back] = incidents_from_frame(res.frame)
        assert back.id == _incident().id
        assert back.casualties == _incident().casualties
        assert back.date == _incident().date


def test_frame_has_the_schema_columns_and_types():
    frame = incidents_frame([_incident()])
    assert list(frame.columns[: len(INCIDENT_COLUMNS)]) == list(INCIDENT_COLUMNS)
    assert str(frame.crs) == "EPSG:4326"
    row = frame.iloc[0]
    assert row["fatalities_best"] == 35 and row["wounded_best"] == 5
    assert row["sources"] == "Arab News (AFP) (2018-05-27); Al Jazeera (2018-05-27)"
    assert row["source_count"] == 2 and row["date_text"] == "last Wednesday"
    assert frame.geometry.iloc[0].x == pytest.approx(40.45154)


def test_json_and_yaml_items_that_break_rules_are_rejections_with_lines(tmp_path):
    good = _incident().to_dict()
    bad = _incident().to_dict()
    bad["location"]["lat"] = 123.0
    future = _incident().to_dict()
    future["date"] = {"start": "2018-06-30", "end": "2018-06-30", "precision": "day"}
    import yaml

    p = tmp_path / "i.yaml"
    p.write_text(yaml.safe_dump({"incidents": [good, bad, future]}, sort_keys=False),
                 encoding="utf-8")
    res = read_table(p)
    assert len(res.frame) == 1 and len(res.rejections) == 2
    r1, r2 = res.rejections
    assert "incident 2" in r1.reason and "latitude 123.0 is outside -90..90" in r1.reason
    assert r1.line is not None and r2.line is not None and r1.line < r2.line
    assert "after the publication date 2018-05-27" in r2.reason
    j = tmp_path / "i.json"
    j.write_text(json.dumps([good, {"nonsense": 1}]), encoding="utf-8")
    res = read_table(j)
    assert len(res.frame) == 1 and "unknown field(s) nonsense" in res.rejections[0].reason


def test_unknown_layout_lists_what_was_expected(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("name,when,where\nx,y,z\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_table(p)
    msg = str(e.value)
    assert "t.csv:1" in msg and "event_id_cnty" in msg and "where_prec" in msg and "date_start" in msg


def test_missing_column_names_the_column(tmp_path):
    p = tmp_path / "a.csv"
    cols = [c for c in ACLED_COLUMNS if c != "latitude"]
    p.write_text(",".join(cols) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_table(p)
    assert "latitude" in str(e.value) and e.value.field == "latitude"


def test_broken_quote_and_short_row_are_rejected_and_the_rest_read(tmp_path):
    lines = (DATA / "acled_sample.csv").read_text(encoding="utf-8").splitlines()
    lines.insert(2, 'SYRX,2018-05-20,2018,1,"Political violence,Battles,Armed clash')
    lines.insert(4, "SYRY,2018-05-20")
    p = tmp_path / "broken.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = read_table(p)
    assert len(res.frame) == 3
    msgs = {r.line: r.reason for r in res.rejections}
    assert "broken quote" in msgs[3]
    assert "2 field(s) where the header has 31" in msgs[5]
    assert len(res.frame) + len(res.rejections) == res.rows


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_quoted_line_breaks_are_values_and_later_rows_keep_their_lines(tmp_path, newline):
    """A quoted value holding line breaks is valid CSV (RFC 4180): its row is read whole, the
    breaks kept in the value, and the rows after it are named by their own lines in the file;
    a broken quote beside it is still rejected on its line."""
    with open(DATA / "acled_sample.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    notes, lat = head.index("notes"), head.index("latitude")
    rows[1][notes] = 'First line, with a comma\nsecond line "quoted"\n\nafter a blank line'
    rows[2][notes] = 'two\nlines'
    rows[3][lat] = "not a number"  # line 8: after 2 + 3 lines of row 1 and 2 of row 2
    p = tmp_path / "multiline.csv"
    with open(p, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator=newline).writerows(rows)
    text = p.read_bytes().decode("utf-8")
    assert text.count("\n") == len(rows) + 4
    res = read_table(p)
    assert res.rows == len(rows) - 1
    by_id = res.frame.set_index("id")
    first, second = (f"acled-{rows[i][head.index('event_id_cnty')]}" for i in (1, 2))
    assert by_id.loc[first, "notes"] == rows[1][notes]
    assert by_id.loc[second, "notes"] == "two\nlines"
    lines = {r.line: r.reason for r in res.rejections}
    assert "latitude 'not a number' is not a number" in lines[8], lines
    assert not any("broken quote" in r for r in lines.values())
    assert len(res.frame) + len(res.rejections) == res.rows
    # a broken quote before the multi-line row is rejected on its own line, the rest read
    body = text.split(newline, 1)
    broken = 'SYRX,2018-05-20,2018,1,"Political violence,Battles,Armed clash'
    p.write_text(body[0] + newline + broken + newline + body[1], encoding="utf-8",
                 newline="")
    res = read_table(p)
    lines = {r.line: r.reason for r in res.rejections}
    assert "broken quote" in lines[2], lines
    assert "latitude 'not a number'" in lines[9], lines
    assert res.frame.set_index("id").loc[first, "notes"] == rows[1][notes]
    assert res.rows == len(rows)


def test_quoted_line_break_that_makes_no_whole_row_is_a_broken_quote(tmp_path):
    """Two lines each with an odd number of quotes that together are not one row of the
    header's width are broken quotes, never glued into one row."""
    with open(DATA / "acled_sample.csv", encoding="utf-8", newline="") as f:
        text = f.read()
    lines = text.splitlines()
    lines.insert(2, 'SYRX,2018-05-20,"Political violence,Battles')
    lines.insert(3, 'Armed clash",x')
    p = tmp_path / "glued.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = read_table(p)
    msgs = {r.line: r.reason for r in res.rejections}
    assert "broken quote" in msgs[3] and "broken quote" in msgs[4], msgs
    assert len(res.frame) + len(res.rejections) == res.rows


def test_encodings_mixed_and_legacy(tmp_path):
    text = (DATA / "acled_sample.csv").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    # One row's notes in Windows-1252 (curly quotes), the rest UTF-8.
    lines[1] = lines[1].replace("On 23 May", "“On” 23 May")
    data = b"".join(ln.encode("cp1252") if i == 1 else ln.encode("utf-8")
                    for i, ln in enumerate(lines))
    p = tmp_path / "mixed.csv"
    p.write_bytes(data)
    res = read_table(p)
    assert any("mixed encodings" in w and "line(s) 2" in w for w in res.warnings)
    assert res.frame.set_index("id").loc["acled-SYR9001", "notes"].startswith("“On” 23 May")
    p2 = tmp_path / "latin.csv"
    p2.write_bytes(text.replace("Al Mayadin", "Al Mayādīn").encode("utf-8").decode(
        "utf-8").encode("utf-16"))
    res2 = read_table(p2)
    assert "Al Mayādīn" in set(res2.frame["place"])


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty file"),
    (b"   \n\n", "only white space"),
    (b"<!DOCTYPE html><html><body><p>Export failed</p></body></html>", "HTML page"),
    (b"%PDF-1.4 binary", "binary"),
    (b"PK\x03\x04zipdata", "binary"),
])
def test_files_that_are_not_tables(tmp_path, content, message):
    p = tmp_path / "bad.csv"
    p.write_bytes(content)
    with pytest.raises(InputError) as e:
        read_table(p)
    assert message in str(e.value) and "bad.csv" in str(e.value)


def test_geojson_features_in_acled_layout_and_bad_features(tmp_path):
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [40.4515, 35.0198]},
         "properties": {"event_id_cnty": "SYR1", "event_date": "2018-05-23",
                        "event_type": "Battles", "fatalities": 4, "location": "Al Mayadin"}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
         "properties": {}},
        {"type": "Feature", "geometry": None,
         "properties": {"event_id_cnty": "SYR2", "event_date": "2018-05-23",
                        "event_type": "Battles", "fatalities": 1}},
    ]}
    p = tmp_path / "f.geojson"
    p.write_text(json.dumps(fc), encoding="utf-8")
    res = read_table(p)
    assert list(res.frame["id"]) == ["acled-SYR1"]
    reasons = [r.reason for r in res.rejections]
    assert any("not a Point" in r for r in reasons)
    assert any("latitude" in (r.field or "") for r in res.rejections)
    assert len(res.frame) + len(res.rejections) == 3


def test_written_files_are_deterministic(tmp_path):
    incs = [_incident()]
    for name in ("a.json", "a.csv", "a.geojson", "a.yaml"):
        write_incidents(incs, tmp_path / name)
        first = (tmp_path / name).read_bytes()
        write_incidents(incs, tmp_path / name, overwrite=True)
        assert (tmp_path / name).read_bytes() == first
    gj = json.loads((tmp_path / "a.geojson").read_text(encoding="utf-8"))
    assert "crs" not in gj
    assert gj["features"][0]["geometry"]["coordinates"] == [40.45154, 35.01982]


def test_ucdp_layout_written_from_the_frame(tmp_path):
    res = read_table(DATA / "ucdp_sample.csv")
    out = tmp_path / "u.csv"
    write_frame(res.frame, out, fmt="ucdp")
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(UCDP_COLUMNS)
    assert rows[0]["id"] == "900001" and rows[0]["best"] == "35"
    assert rows[0]["where_prec"] == "2" and rows[1]["date_prec"] == "2"
    again = read_table(out)
    assert list(again.frame["id"]) == ["ucdp-900001", "ucdp-900002"]


def test_acled_column_mapping_is_pandas_only():
    import ast

    src = (Path(__file__).parents[1] / "maps" / "layouts.py").read_text(encoding="utf-8")
    imported = {n.names[0].name.split(".")[0] for n in ast.walk(ast.parse(src))
                if isinstance(n, ast.Import)} | {
        (n.module or "").split(".")[0] for n in ast.walk(ast.parse(src))
        if isinstance(n, ast.ImportFrom) and n.level == 0}
    assert imported <= {"json", "functools", "datetime", "numpy", "pandas", "pyarrow",
                        "hashlib", "__future__", ""}
    df = frame_to_acled(incidents_frame([_incident()]).drop(columns="geometry"))
    assert list(df.columns) == list(ACLED_COLUMNS)
    assert df.iloc[0]["fatalities"] == "35"  # ACLED's conservative figure
    assert df.iloc[0]["iso"] == "760" and df.iloc[0]["country"] == "Syria"


def test_hand_made_csv_with_few_columns(tmp_path):
    p = tmp_path / "mine.csv"
    p.write_text("id,date_start,lat,lon,place,notes\n"
                 "a,2018-05-23,35.02,40.45,Mayadeen,one day\n"
                 ",2018-05-26,35.34,40.14,Deir ez-Zor,no id: one is made\n"
                 "c,,35.0,40.0,somewhere,no date at all\n", encoding="utf-8")
    res = read_table(p)
    assert res.rejections == []
    f = res.frame
    assert list(f["date_precision"]) == ["day", "day", "unknown"]
    assert list(f["date_end"])[:2] == ["2018-05-23", "2018-05-26"]
    assert f["id"].iloc[1].startswith("inc-") and f["id"].iloc[0] == "a"


def test_our_csv_with_multiline_notes_reads_back_the_same(tmp_path):
    """The export's CSV (RFC 4180, CRLF line ends) quotes a note holding line breaks; reading
    it back gives every row, the note as it was."""
    from maps.export import export_frames
    from tests.seed import incidents_frame as seed_frame

    inc = seed_frame()
    note = 'line one\nline two, with a comma\r\nline "three"'
    inc.loc[inc.index[0], "notes"] = note
    out = tmp_path / "multi.csv"
    export_frames(out, inc)
    res = read_table(out)
    assert res.rejections == [] and len(res.frame) == len(inc)
    assert res.frame.set_index("id").loc[inc.iloc[0]["id"], "notes"] == note
