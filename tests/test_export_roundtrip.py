"""Round trip: export, then import with geoevents' own readers (``geoevents.tables``), gives back
the same incidents: ids, dates and their precision, figures per side, claims and sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from geoevents.frames import incidents_from_frame
from geoevents.pipeline import load_frames
from geoevents.tables import read_incidents, read_table
from maps.export import export_frames

DATA = Path(__file__).parent / "data"
# What an incident is, for the round trip: everything but how it was read.
KEPT = ("id", "date", "event_type", "sub_event_type", "location", "actor1", "actor2",
        "assoc_actors", "casualties", "claims", "sources", "notes")


@pytest.fixture(scope="module")
def seed_frames(shared: Path, gz) -> tuple:
    """The incidents of the five seed articles and the ACLED/UCDP samples, with the worked
    example's control line not applied (sides are checked elsewhere)."""
    inputs = [*sorted((shared / "seeds").glob("*.txt")), DATA / "tables" / "acled_sample.csv",
              DATA / "tables" / "ucdp_sample.csv"]
    frames = load_frames(inputs, meta=shared / "seeds" / "meta.yaml", gazetteer=gz)
    assert len(frames.incidents) >= 11
    return frames.incidents, incidents_from_frame(frames.incidents)


def _essence(incident) -> dict:
    d = incident.to_dict()
    return {k: d.get(k) for k in KEPT}


@pytest.mark.parametrize("name", ["back.gpkg", "back.geojson", "back.csv"])
def test_export_then_import_gives_the_same_incidents(seed_frames, tmp_path: Path,
                                                     name: str) -> None:
    frame, incidents = seed_frames
    out = tmp_path / name
    export_frames(out, frame)
    back, rejections = read_incidents(out)
    assert rejections == []
    assert [i.id for i in back] == [i.id for i in incidents]
    for a, b in zip(incidents, back, strict=True):
        assert _essence(b) == _essence(a), a.id
    mayadeen = next(i for i in back if i.date.start.isoformat() == "2018-05-23"
                    and i.id.startswith("inc-"))
    assert len(mayadeen.sources) == 4  # the four reports of the attack, merged


def test_the_frame_read_back_equals_the_frame_written(seed_frames, tmp_path: Path) -> None:
    """Column by column, as text: nothing lost or changed on the way (coordinates to 7
    decimals, as the export rounds them)."""
    import pandas as pd

    frame, _ = seed_frames
    for name in ("f.gpkg", "f.geojson", "f.csv"):
        export_frames(tmp_path / name, frame)
        back = read_table(tmp_path / name).frame
        for col in frame.columns:
            if col == frame.geometry.name:
                continue
            a, b = frame[col], back[col]
            if col in ("lat", "lon"):
                assert (a.astype(float).round(7) == b.astype(float)).all(), (name, col)
                continue
            norm = [("" if pd.isna(v) else str(v)) for v in a]
            got = [("" if pd.isna(v) else str(v)) for v in b]
            assert got == norm, (name, col)


def test_acled_layout_round_trip(tmp_path: Path) -> None:
    """An ACLED export read by geoevents and written back in ACLED's layout gives ACLED's
    rows again (dates in ISO form); read again, the same incidents."""
    import csv

    src = DATA / "tables" / "acled_sample.csv"
    first = read_table(src)
    out = tmp_path / "acled.csv"
    export_frames(out, first.frame, fmt="acled-csv")
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # tools read ACLED files without a BOM
    with open(src, encoding="utf-8", newline="") as f:
        original = {r["event_id_cnty"]: r for r in csv.DictReader(f)}
    rows = list(csv.DictReader(raw.decode("utf-8").splitlines()))
    assert [r["event_id_cnty"] for r in rows] == [
        i.removeprefix("acled-") for i in first.frame["id"]]
    for row in rows:
        orig = original[row["event_id_cnty"]]
        for column, value in row.items():
            if column == "event_date":
                assert value in ("2018-05-23", "2018-05-22", orig[column])
            else:
                assert value == orig[column], (row["event_id_cnty"], column)
    again = read_table(out)
    assert again.rejections == []
    assert [_essence(i) for i in incidents_from_frame(again.frame)] == [
        _essence(i) for i in incidents_from_frame(first.frame)]
