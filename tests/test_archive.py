"""Archives: partitioned GeoParquet from ACLED/UCDP tables, hexagon and side counts through
dask-geopandas on a dask.distributed cluster of two local workers."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tests.test_store import HEADER

pytestmark = pytest.mark.slow  # a dask LocalCluster of two worker processes

pytest.importorskip("dask_geopandas")

TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")
PLACES = [  # (name, lat, lon, ACLED country, iso numeric)
    ("Al Mayadin", 35.0198, 40.4515, "Syria", 760), ("Hajin", 34.6951, 40.8314, "Syria", 760),
    ("Raqqa", 35.9528, 39.0079, "Syria", 760), ("Deir ez-Zor", 35.3359, 40.1408, "Syria", 760),
    ("Mosul", 36.34, 43.13, "Iraq", 368), ("Al Qaim", 34.3703, 41.0941, "Iraq", 368),
]


def synthetic_acled(path: Path, n: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    lines = [HEADER]
    for i in range(n):
        name, lat, lon, country, iso = rng.choice(PLACES)
        y = rng.choice((2017, 2018))
        day = f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        et = rng.choice(TYPES)
        deaths = "" if i % 11 == 0 else str(rng.randint(0, 9))
        lines.append(f"X{i},{day},{y},1,Political violence,{et},Armed clash,A,,2,B,,1,12,,"
                     f"{iso},Middle East,{country},Adm,,,{name},{lat + rng.uniform(-.2, .2):.4f},"
                     f"{lon + rng.uniform(-.2, .2):.4f},1,SOHR,National,,{deaths},,0")
    lines.append("BAD1,notadate,2018,1,Political violence,Battles,Armed clash,A,,2,B,,1,12,,"
                 "760,Middle East,Syria,Adm,,,X,35.0,40.0,1,SOHR,National,,1,,0")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cluster():
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, memory_limit="1GiB") as c:
        yield c


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from geoevents.store import archive

    folder = tmp_path_factory.mktemp("arch")
    src = synthetic_acled(folder / "acled.csv", 3000)
    out = folder / "archive"
    old = archive.BLOCK_BYTES
    archive.BLOCK_BYTES = 64 << 10  # many blocks: the streaming path is exercised
    try:
        res = archive.build([src], out)
    finally:
        archive.BLOCK_BYTES = old
    return src, out, res


def expected_counts(src: Path, resolution: int, country: str | None = None) -> dict:
    """Counts per (cell, ISO week) computed row by row, the slow obvious way."""
    import csv
    from datetime import date, timedelta

    import h3

    iso2 = {"Syria": "SY", "Iraq": "IQ"}
    out: dict = {}
    with open(src, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["event_id_cnty"].startswith("BAD"):
                continue
            if country and iso2[r["country"]] != country:
                continue
            d = date.fromisoformat(r["event_date"])
            week = (d - timedelta(days=d.weekday())).isoformat()
            cell = h3.latlng_to_cell(float(r["latitude"]), float(r["longitude"]), resolution)
            c, fat, known = out.get((cell, week), (0, 0, 0))
            out[(cell, week)] = (c + 1, fat + int(r["fatalities"] or 0),
                                 known + bool(r["fatalities"]))
    return {k: (c, fat if known else None) for k, (c, fat, known) in out.items()}


def test_build_partitions_by_year_and_country_and_rejects_with_reason(built):
    _, out, res = built
    assert res.rows_in == 3001 and res.rows_out == 3000 and res.rejected == 1
    m = json.loads((out / "archive.json").read_text())
    assert sorted(m["partitions"]) == ["2017/IQ", "2017/SY", "2018/IQ", "2018/SY"]
    assert sum(m["partitions"].values()) == 3000
    assert m["inputs"][0]["rows"] == 3001
    rejected = (out / "rejected.csv").read_text().splitlines()
    assert len(rejected) == 2 and ",3002,event_date," in rejected[1]
    import geopandas as gpd

    part = gpd.read_parquet(next((out / "2018" / "SY").glob("*.parquet")))
    assert part.crs.to_epsg() == 4326 and set(part["country"]) == {"SY"}
    assert set(part["date_start"].str[:4]) == {"2018"}
    assert abs(part.geometry.x - part["lon"]).max() < 1e-9


def test_hexagons_on_a_two_worker_cluster_match_the_row_by_row_counts(built, cluster):
    from dask.distributed import Client

    from geoevents.store import archive

    src, out, _ = built
    with Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        frame = archive.hexagons(out, resolution=5, every="week", countries=["SY"],
                                 client=client)
    assert list(frame.columns) == ["cell", "resolution", "period_start", "period_end", "count",
                                   "fatalities", "event_type", "geometry"]
    got = {(r.cell, r.period_start): (r.count, None if r.fatalities is None or
                                      str(r.fatalities) == "<NA>" else int(r.fatalities))
           for r in frame.itertuples()}
    assert got == expected_counts(src, 5, "SY")
    # every hexagon contains its cell's centre, and weeks run Monday to Sunday
    import h3
    from shapely import Point

    for r in frame.head(20).itertuples():
        lat, lon = h3.cell_to_latlng(r.cell)
        assert r.geometry.contains(Point(lon, lat))
    from datetime import date

    d0 = date.fromisoformat(frame["period_start"].iat[0])
    assert d0.weekday() == 0
    assert (date.fromisoformat(frame["period_end"].iat[0]) - d0).days == 6


def test_archive_cli_runs_on_any_scheduler_address(built, cluster, cli, tmp_path):
    src, out, _ = built
    hexes = tmp_path / "hex.geojson"
    r = cli("archive", "hexagons", str(out), "--resolution", "4", "--every", "month",
            "--from", "2018-03-01", "--to", "2018-05-31", "--scheduler",
            cluster.scheduler_address, "-o", str(hexes))
    assert r.returncode == 0, r.stderr
    doc = json.loads(hexes.read_text())
    starts = {f["properties"]["period_start"] for f in doc["features"]}
    assert starts == {"2018-03-01", "2018-04-01", "2018-05-01"}
    ends = {f["properties"]["period_end"] for f in doc["features"]}
    assert ends == {"2018-03-31", "2018-04-30", "2018-05-31"}
    import csv

    with open(src, encoding="utf-8") as f:
        n = sum(1 for row in csv.DictReader(f)
                if "2018-03-01" <= row["event_date"] <= "2018-05-31")
    assert sum(f["properties"]["count"] for f in doc["features"]) == n
    r = cli("archive", "hexagons", str(out), "--scheduler", "tcp://127.0.0.1:1", "-o",
            str(tmp_path / "x.geojson"))
    assert r.returncode == 2 and "cannot reach the dask scheduler" in r.stderr


def test_sides_counts_match_assign_sides(built, cluster, gz, ne_levant, tmp_path):
    from dask.distributed import Client

    from geoevents.control.lines import load as load_lines
    from geoevents.control.sides import assign_sides
    from geoevents.store import archive
    from geoevents.tables import read_table

    src, out, _ = built
    spec = Path(__file__).resolve().parents[1] / "data" / "lines" / "deir-ez-zor-2018.yaml"
    lines, zones, _ = load_lines([spec], gz)
    with Client(cluster) as client:
        table = archive.sides(out, lines, zones, every="month", countries=["SY"],
                              client=client)
    frame = read_table(src).frame
    sided = assign_sides(frame[frame["country"] == "SY"], lines, zones)
    want = sided.groupby(["zone_party"]).size().to_dict()
    got = table.groupby("zone_party")["count"].sum().to_dict()
    assert got == want
    assert sum(got.values()) == int((frame["country"] == "SY").sum())
    assert len(got) >= 2  # incidents on both sides of the Euphrates
