"""``load_frames``: tables and articles together into the incidents frame, with every
rejection and the context."""

from __future__ import annotations

from pathlib import Path

import pytest

from gazetteer import InputError
from geoevents.frames import incidents_from_frame
from geoevents.pipeline import load_frames
from maps.schema import check_incidents

DATA = Path(__file__).parent / "data"


def test_articles_and_tables_together(shared, gz, tmp_path):
    bad = tmp_path / "notes.csv"
    bad.write_text("who,what\nme,this\n", encoding="utf-8")
    inputs = [*sorted((shared / "seeds").glob("*.txt")), DATA / "tables" / "acled_sample.csv",
              DATA / "tables" / "ucdp_sample.csv", bad]
    fr = load_frames(inputs, meta=shared / "seeds" / "meta.yaml", gazetteer=gz)
    check_incidents(fr.incidents)
    ids = list(fr.incidents["id"])
    assert sum(i.startswith("inc-") for i in ids) >= 6  # the articles (extraction improves)
    assert sum(i.startswith("acled-") for i in ids) == 3
    assert sum(i.startswith("ucdp-") for i in ids) == 2
    files = {Path(r.file).name for r in fr.rejections}
    assert files == {"acled_sample.csv", "ucdp_sample.csv", "notes.csv"}
    assert any("not an incident table I know" in r.reason for r in fr.rejections)
    assert any(c.name == "Smolensk" for c in fr.context)
    assert fr.sources == [str(p) for p in inputs]
    # The frame reads back into incidents.
    incs = incidents_from_frame(fr.incidents)
    assert len(incs) == len(ids)


def test_nothing_readable_is_an_error(tmp_path):
    p = tmp_path / "empty.csv"
    p.write_text("")
    with pytest.raises(InputError) as e:
        load_frames([p])
    assert "none of the inputs could be read" in str(e.value) and "empty file" in str(e.value)


def test_published_date_for_articles(gz):
    fr = load_frames([DATA / "articles" / "undated.txt"], published="2019-01-04", gazetteer=gz)
    assert list(fr.incidents["date_start"]) == ["2019-01-02"]
    with pytest.raises(InputError):
        load_frames([DATA / "articles" / "undated.txt"], published="soon", gazetteer=gz)


def _bad_table(tmp_path, n_good: int, n_bad: int):
    head = "id,date_start,lat,lon,event_type,fatalities_best"
    rows = [f"g{i},2022-01-05,35.{i},39,Battles,1" for i in range(n_good)]
    rows += [f"b{i},2022-01-05,abc,39,Battles,1" for i in range(n_bad)]
    p = tmp_path / "t.csv"
    p.write_text(head + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return p


def test_map_ends_with_one_summary_line_and_a_report_file(tmp_path, capsys):
    from geoevents.cli import main

    src = _bad_table(tmp_path, 3, 25)
    out = tmp_path / "m.html"
    assert main(["map", str(src), "-o", str(out), "--no-basemap"]) == 1
    err = capsys.readouterr().err
    assert err.count("not mapped:") == 5 and "... and 20 more" in err
    report = tmp_path / "m.rejected.csv"
    assert f"3 of 28 rows read; 25 rejected: see {report}" in err
    import csv

    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    assert len(rows) == 25 and rows[0]["line"] == "5" and rows[0]["field"] == "lat"
    assert "'abc' is not a number" in rows[0]["reason"]
    assert out.exists()


def test_nothing_read_writes_nothing_and_exits_2(tmp_path, capsys):
    from geoevents.cli import main

    src = _bad_table(tmp_path, 0, 4)
    out = tmp_path / "m.html"
    assert main(["map", str(src), "-o", str(out), "--no-basemap"]) == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert "nothing could be read: 0 of 4 rows read; 4 rejected" in err
    assert main(["export", str(src), "-o", str(tmp_path / "x.gpkg")]) == 2
    assert not (tmp_path / "x.gpkg").exists()


def test_an_unplaced_incident_from_the_extractor_is_a_rejection(gz, tmp_path, monkeypatch):
    """The frames hold placed incidents; one the extractor hands over without coordinates is
    reported (file, field place, the sentence), never dropped without a word."""
    import geoevents.extract as extract
    from geoevents.model import EventDate, Incident, Location, Source

    real = extract.extract_files

    def with_unplaced(paths, gz_, **kw):
        ex = real(paths, gz_, **kw)
        lost = Incident(date=EventDate.unknown(None), location=Location(written="the village"),
                        event_type="Battles", sources=[Source("Outlet", file=str(paths[0]),
                                                              quote="Five were killed.")])
        ex.incidents.append(lost.ensure_id())
        return ex

    monkeypatch.setattr(extract, "extract_files", with_unplaced)
    art = tmp_path / "report.txt"
    art.write_text("Nothing happened here.\n", encoding="utf-8")
    fr = load_frames([art], published="2022-01-05", gazetteer=gz)
    lost = [r for r in fr.rejections if r.field == "place"]
    assert len(lost) == 1 and lost[0].file == str(art)
    assert "could not be placed" in lost[0].reason and "the village" in lost[0].reason
    assert lost[0].text == "Five were killed."
    assert len(fr.incidents) == 0
