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
    assert sum(i.startswith("inc-") for i in ids) == 6
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
