"""One rule for every command that writes (maps.writers, gazetteer.atomic): refuse an existing
file without --overwrite, never write over an input, check the extension against the format,
write whole or not at all, exclusive create, clean up on signals, disk errors as messages."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from gazetteer import atomic
from gazetteer.atomic import OutputError, Staged, StagedFolder, sweep, write_file
from maps import writers

from .conftest import ROOT

SPEC = ROOT / "data" / "lines" / "deir-ez-zor-2018.yaml"
ACLED = ROOT / "tests" / "data" / "tables" / "acled_sample.csv"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".part" in p.name)


# --- the format table -----------------------------------------------------------------------------

def test_json_means_what_each_command_says():
    assert writers.format_for("export", "a.json") == "geojson"
    assert writers.format_for("lines build", "a.json") == "geojson"
    assert writers.format_for("extract", "a.json") == "json"
    assert writers.format_for("extract", "a.json", "geojson") == "geojson"
    assert writers.format_for("extract", "a.csv", "acled") == "acled"
    assert writers.format_for("export", "A.GPKG") == "gpkg"
    assert writers.FORMATS["gpkg"].driver == "GPKG"
    # GDAL writes the GeoPackage only: GeoJSON is maps.geojson's, KML maps.kml's
    assert [f.name for f in writers.FORMATS.values() if f.driver] == ["gpkg"]
    with pytest.raises(OutputError, match=r"m\.pdf: geoevents map does not write '\.pdf' files"):
        writers.format_for("map", "m.pdf")
    with pytest.raises(OutputError, match=r"does not write '\.html' files.*\.png"):
        writers.format_for("map --png", "old_map.html")
    with pytest.raises(OutputError, match=r"a kml file must end in \.kml"):
        writers.format_for("export", "x.gpkg", "kml")
    with pytest.raises(OutputError, match="unknown format 'shp'"):
        writers.format_for("export", "x.shp", "shp")
    # every command's formats are in the table
    for names in writers.COMMAND_FORMATS.values():
        assert all(n in writers.FORMATS for n in names)


# --- the atomic writer ----------------------------------------------------------------------------

def test_refuses_existing_files_inputs_and_folders(tmp_path: Path):
    out = tmp_path / "o.csv"
    write_file(out, "one")
    with pytest.raises(OutputError, match=r"o\.csv: exists already \(use --overwrite"):
        write_file(out, "two")
    assert out.read_text() == "one"
    write_file(out, "two", overwrite=True)
    assert out.read_text() == "two"
    # an input is never an output, even with --overwrite, whatever the spelling of its path
    with pytest.raises(OutputError, match="is an input of this command"):
        write_file(tmp_path / "." / "o.csv", "x", overwrite=True, inputs=[out])
    (tmp_path / "link.csv").symlink_to(out)
    with pytest.raises(OutputError, match="is an input of this command"):
        write_file(tmp_path / "link.csv", "x", overwrite=True, inputs=[out])
    with pytest.raises(OutputError, match=r"the folder .*nope does not exist"):
        write_file(tmp_path / "nope" / "o.csv", "x")
    with pytest.raises(OutputError, match="is a folder; give a file name"):
        write_file(tmp_path, "x", overwrite=True)
    assert out.read_text() == "two"
    assert _leftovers(tmp_path) == []


def test_two_writers_to_one_path_cannot_both_succeed(tmp_path: Path):
    out = tmp_path / "o.csv"
    a = Staged([out])
    b = Staged([out])  # both checked while the file did not exist yet
    a.write(out, "from a")
    b.write(out, "from b")
    a.commit()
    with pytest.raises(OutputError, match="exists already"):
        b.commit()
    assert out.read_text() == "from a"
    assert _leftovers(tmp_path) == []


def _race(path: str, n: int, barrier) -> None:
    barrier.wait()
    try:
        write_file(path, f"writer {n}\n" * 10000)
    except OutputError:
        sys.exit(3)


def test_racing_processes_one_wins(tmp_path: Path):
    out = tmp_path / "o.csv"
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(4)
    procs = [ctx.Process(target=_race, args=(str(out), n, barrier)) for n in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
    codes = sorted(p.exitcode for p in procs)
    assert codes == [0, 3, 3, 3], codes
    text = out.read_text()
    assert len(set(text.splitlines())) == 1  # one writer's whole file, not a mix
    assert _leftovers(tmp_path) == []


def test_all_outputs_or_none(tmp_path: Path):
    a, b = tmp_path / "a.html", tmp_path / "b.png"
    with pytest.raises(ZeroDivisionError), Staged([a, b]) as st:
        st.write(a, "<html>")
        raise ZeroDivisionError  # the static image could not be drawn
    assert not a.exists() and not b.exists() and _leftovers(tmp_path) == []
    b.write_text("someone else's")
    with Staged([a], overwrite=False) as st:
        st.write(a, "page")
    with pytest.raises(OutputError, match=r"b\.png: exists already"):
        Staged([tmp_path / "c.html", b])
    assert not (tmp_path / "c.html").exists()


def test_written_files_keep_the_umask_mode(tmp_path: Path):
    out = write_file(tmp_path / "o.txt", "x")
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signals_leave_no_temporary_file(tmp_path: Path, sig):
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from gazetteer.atomic import Staged
        st = Staged([{str(tmp_path / "big.geojson")!r}])
        with st.open({str(tmp_path / "big.geojson")!r}) as f:
            f.write(b"x" * 1_000_000)
            f.flush()
            print("writing", flush=True)
            time.sleep(60)
    """)
    p = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "writing"
    assert len(_leftovers(tmp_path)) == 1
    p.send_signal(sig)
    p.wait(20)
    assert p.returncode != 0
    assert _leftovers(tmp_path) == [] and not (tmp_path / "big.geojson").exists()


def test_files_of_a_killed_writer_are_removed_by_the_next_write(tmp_path: Path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = tmp_path / f".o.gpkg.{dead}.0123abcd.part.gpkg"
    stale.write_bytes(b"x" * 1000)
    mine = tmp_path / f".o.gpkg.{os.getpid()}.0123abcd.part.gpkg"  # a live writer's: kept
    mine.write_bytes(b"x")
    other = tmp_path / ".other.gpkg.1.0123abcd.part.gpkg"  # another target's: kept
    other.write_bytes(b"x")
    assert sweep(tmp_path / "o.gpkg") == [stale]
    write_file(tmp_path / "o.gpkg", b"new")
    assert sorted(_leftovers(tmp_path)) == sorted([mine.name, other.name])


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "rename-aside"])
def test_a_folder_is_written_whole_or_not_at_all(tmp_path: Path, monkeypatch, exchange):
    """StagedFolder (the archive's writer): refused before anything is made, built beside the
    target, replaced in one step with --overwrite, nothing left behind on an error."""
    if not exchange:  # a system without renameat2: check-then-rename, the old folder aside
        monkeypatch.setattr(atomic, "_renameat2", lambda src, dst, flags: False)
    out = tmp_path / "arch"
    with StagedFolder(out, what="archive") as st:
        assert st.path.parent == tmp_path and st.path.name.startswith(".arch.")
        (st.path / "2018").mkdir()
        (st.path / "2018" / "part-0.parquet").write_bytes(b"one")
        assert not out.exists()
    assert (out / "2018" / "part-0.parquet").read_bytes() == b"one"
    with pytest.raises(OutputError, match=r"arch: exists already \(use --overwrite"):
        StagedFolder(out)
    with pytest.raises(RuntimeError), StagedFolder(out, overwrite=True) as st:
        (st.path / "half").write_bytes(b"x")
        raise RuntimeError("the writer failed")
    assert sorted(p.name for p in out.iterdir()) == ["2018"]  # the old folder, untouched
    with StagedFolder(out, overwrite=True) as st:
        (st.path / "new").write_bytes(b"two")
    assert sorted(p.name for p in out.iterdir()) == ["new"]
    assert _leftovers(tmp_path) == []
    # an input inside the folder it would replace, a file where a folder goes, no parent
    (out / "in.csv").write_text("x")
    with pytest.raises(OutputError, match=r"holds .*in\.csv, an input"):
        StagedFolder(out, overwrite=True, inputs=[out / "in.csv"])
    (tmp_path / "afile").write_text("x")
    with pytest.raises(OutputError, match="is a file; give a folder name"):
        StagedFolder(tmp_path / "afile", overwrite=True)
    with pytest.raises(OutputError, match="does not exist"):
        StagedFolder(tmp_path / "nowhere" / "arch")
    assert _leftovers(tmp_path) == []


def test_of_two_folder_writers_racing_for_one_name_one_wins(tmp_path: Path):
    """Without --overwrite the folder is put in place exclusively: a folder made meanwhile,
    even an empty one (which a plain rename would replace), is reported, not replaced."""
    out = tmp_path / "arch"
    st = StagedFolder(out)
    (st.path / "mine").write_bytes(b"x")
    out.mkdir()  # another writer got there first
    with pytest.raises(OutputError, match="exists already"):
        st.commit()
    assert list(out.iterdir()) == [] and _leftovers(tmp_path) == []


def test_a_killed_folder_writer_is_swept_by_the_next(tmp_path: Path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = tmp_path / f".arch.{dead}.0123abcd.part"
    (stale / "2018").mkdir(parents=True)
    (stale / "2018" / "p.parquet").write_bytes(b"x")
    with StagedFolder(tmp_path / "arch") as st:
        (st.path / "m").write_bytes(b"")
    assert not stale.exists() and _leftovers(tmp_path) == []


def _tmpfs(cmd: str, folder: Path, size: str = "48k") -> subprocess.CompletedProcess:
    """Run ``cmd`` with a small tmpfs mounted on ``folder`` (a user namespace: no root)."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare not available")
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("user namespaces are not available here")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(["unshare", "-rm", "sh", "-c",
                           f'mount -t tmpfs -o size={size} tmpfs "{folder}" && {cmd}; '
                           f'echo "left: $(ls -A "{folder}")"'],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)


def test_a_full_disk_is_a_message(tmp_path: Path):
    folder = tmp_path / "small"
    folder.mkdir()
    code = (f'{sys.executable} -c "from gazetteer.atomic import write_file; '
            f"write_file('{folder}/o.bin', b'x' * 200_000)\"")
    r = _tmpfs(code, folder)
    assert "the disk is full" in r.stderr and "o.bin" in r.stderr, r.stderr
    assert r.stdout.strip() == "left:", r.stdout


def test_export_to_a_full_disk_is_a_message_and_leaves_nothing(tmp_path: Path, ne_levant):
    folder = tmp_path / "small"
    folder.mkdir()
    for name in ("x.gpkg", "x.kml"):
        r = _tmpfs(f'{sys.executable} -m geoevents export "{ACLED}" --lines "{SPEC}" '
                   f'-o "{folder}/{name}"', folder, size="40k")
        assert f"geoevents export: error: {folder}/{name}: cannot write the export: the disk " \
               "is full" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr
        left = r.stdout.strip().removeprefix("left:").split()
        assert name not in left and not [f for f in left if ".part" in f], r.stdout


# --- the commands ---------------------------------------------------------------------------------

def test_map_refuses_wrong_extensions_inputs_and_existing_files(cli, tmp_path: Path):
    table = tmp_path / "in.csv"
    shutil.copy(ACLED, table)
    before = table.read_bytes()
    for args, message in (
        (["-o", str(table)], "does not write '.csv' files"),
        (["-o", str(tmp_path / "m.pdf")], "m.pdf: geoevents map does not write '.pdf' files"),
        (["-o", str(tmp_path / "m.html"), "--png", str(tmp_path / "old_map.html")],
         "old_map.html: geoevents map --png does not write '.html' files"),
        (["-o", str(tmp_path / "in.html"), "--fragment", str(tmp_path / "in.html")],
         "given twice as an output"),
    ):
        r = cli("map", str(table), "--no-basemap", *args)
        assert r.returncode == 2 and message in r.stderr, (args, r.stderr)
        assert "Traceback" not in r.stderr
    assert table.read_bytes() == before
    out = tmp_path / "m.html"
    assert cli("map", str(table), "--no-basemap", "-o", str(out)).returncode == 1  # rejections
    first = out.read_bytes()
    r = cli("map", str(table), "--no-basemap", "-o", str(out), "--title", "other")
    assert r.returncode == 2 and "m.html: exists already (use --overwrite" in r.stderr
    assert out.read_bytes() == first
    r = cli("map", str(table), "--no-basemap", "-o", str(out), "--title", "other", "--overwrite")
    assert r.returncode == 1 and out.read_bytes() != first and b"other" in out.read_bytes()
    assert _leftovers(tmp_path) == []


def test_brief_export_extract_and_lines_follow_the_same_rule(cli, tmp_path: Path, shared):
    table = tmp_path / "in.csv"
    shutil.copy(ACLED, table)
    existing = tmp_path / "old.html"
    existing.write_text("keep me")
    seeds = sorted((shared / "seeds").glob("*.txt"))
    cases = [
        (["brief", str(table), "--no-basemap", "-o", str(existing)], "exists already"),
        (["brief", str(table), "--no-basemap", "-o", str(tmp_path / "b.pdf")],
         "does not write '.pdf' files"),
        (["export", str(table), "-o", str(table), "--overwrite"], "is an input of this command"),
        (["extract", str(seeds[0]), "--published", "2018-05-27", "-o", str(seeds[0])],
         "does not write '.txt' files"),
        (["extract", str(seeds[0]), "--published", "2018-05-27", "-o", str(existing)],
         "does not write '.html' files"),
        (["lines", "build", str(SPEC), "-o", str(SPEC.with_suffix(".geojson").name)],
         None),  # placeholder replaced below
        (["lines", "build", str(SPEC), "-o", str(tmp_path / "l.yaml")],
         "does not write '.yaml' files"),
        (["lines", "sides", str(table), "-l", str(SPEC), "-o", str(table), "--overwrite"],
         "is an input of this command"),
    ]
    built = tmp_path / "l.geojson"
    built.write_text("{}")
    cases[5] = (["lines", "build", str(SPEC), "-o", str(built)], "l.geojson: exists already")
    for args, message in cases:
        r = cli(*args)
        assert r.returncode == 2 and message in r.stderr, (args, r.stderr)
        assert "Traceback" not in r.stderr
    assert existing.read_text() == "keep me" and built.read_text() == "{}"
    assert table.read_bytes() == ACLED.read_bytes()


def test_lines_build_geopackage_is_byte_identical_between_runs(cli, tmp_path: Path, ne_levant):
    a, b = tmp_path / "a.gpkg", tmp_path / "b.gpkg"
    assert cli("lines", "build", str(SPEC), "-o", str(a)).returncode == 0
    time.sleep(1.1)  # a clock stamp would differ now
    assert cli("lines", "build", str(SPEC), "-o", str(b)).returncode == 0
    assert a.read_bytes() == b.read_bytes()
    with sqlite3.connect(a) as con:
        stamps = {r[0] for r in con.execute("SELECT last_change FROM gpkg_contents")}
    assert stamps == {writers.FIXED_TIMESTAMP}
    r = cli("lines", "build", str(SPEC), "-o", str(a), env={"SOURCE_DATE_EPOCH": "1526947200"},
            timeout=120)
    assert r.returncode == 2 and "exists already" in r.stderr
    assert cli("lines", "build", str(SPEC), "-o", str(a), "--overwrite",
               env={"SOURCE_DATE_EPOCH": "1526947200"}).returncode == 0
    with sqlite3.connect(a) as con:
        stamps = {r[0] for r in con.execute("SELECT last_change FROM gpkg_contents")}
    assert stamps == {"2018-05-22T00:00:00.000Z"}


def test_an_existing_folder_as_output_is_named_as_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "out.csv"  # a folder, whatever its name says
    folder.mkdir()
    for command in ("export", "map"):
        with pytest.raises(OutputError) as err:
            writers.format_for(command, folder)
        assert "is a folder; give a file name" in err.value.message


def test_one_geojson_writer_for_any_frame_reads_back_the_same(tmp_path: Path):
    """maps.geojson.write_collection: properties in column order and with their types (text
    escaped, nullable integers, integral floats as floats, booleans, missing as null), any
    geometry, several frames in one collection, coordinates rounded only when asked."""
    import json

    import geopandas as gpd
    import pandas as pd
    import pyogrio
    from shapely.geometry import LineString, Point

    from maps.geojson import collection_bytes

    a = gpd.GeoDataFrame({
        "id": ["a", 'q"uo\\te\n\tّ'],
        "n": pd.array([1, None], dtype="Int64"),
        "x": [3.0, float("nan")],
        "ok": [True, False],
    }, geometry=[Point(40.123456789, 35.987654321), None], crs=4326)
    b = gpd.GeoDataFrame({"id": ["l"], "km": [12.5]},
                         geometry=[LineString([(40, 35), (40.5, 35.5)])], crs=4326)
    path = tmp_path / "one.geojson"
    path.write_bytes(collection_bytes([a, b], name="both", decimals=4))
    doc = json.loads(path.read_text("utf-8"))
    assert doc["name"] == "both" and len(doc["features"]) == 3
    first, second, third = (f["properties"] for f in doc["features"])
    assert list(first) == ["id", "n", "x", "ok"] and list(third) == ["id", "km"]
    assert first == {"id": "a", "n": 1, "x": 3.0, "ok": True}
    assert isinstance(first["x"], float)
    assert second == {"id": 'q"uo\\te\n\tّ', "n": None, "x": None, "ok": False}
    assert doc["features"][0]["geometry"]["coordinates"] == [40.1235, 35.9877]
    assert doc["features"][1]["geometry"] is None
    back = pyogrio.read_dataframe(path)
    assert back["id"].tolist() == ["a", 'q"uo\\te\n\tّ', "l"]
    assert str(back["x"].dtype) == "float64"
    exact = json.loads(collection_bytes(a, decimals=None))
    assert exact["features"][0]["geometry"]["coordinates"] == [40.123456789, 35.987654321]
    assert collection_bytes([a, b]) == collection_bytes([a, b])  # deterministic


def test_lines_sides_geojson_is_the_csv_with_points(cli, ne_levant, tmp_path: Path):
    """lines sides writes GeoJSON by the one writer: the same rows, columns and order as its
    CSV, each a point at the incident's lon/lat."""
    import json

    import pandas as pd

    from maps.schema import INCIDENT_COLUMNS

    from .conftest import ROOT

    rows = []
    for i, (lat, lon) in enumerate([(35.02, 40.40), (35.10, 40.60), (35.019, 40.4515)]):
        row = dict.fromkeys(INCIDENT_COLUMNS, "")
        row.update(id=f"inc-{i}", date_start="2018-02-07", date_end="2018-02-07",
                   geo_precision=1, lat=lat, lon=lon, source_count=1)
        rows.append(row)
    src = tmp_path / "incidents.csv"
    pd.DataFrame(rows).to_csv(src, index=False)
    spec = ROOT / "data/lines/deir-ez-zor-2018.yaml"
    gj, csv = tmp_path / "sided.geojson", tmp_path / "sided.csv"
    for out in (gj, csv):
        r = cli("lines", "sides", str(src), "-l", str(spec), "-o", str(out))
        assert r.returncode == 0, r.stderr
    doc = json.loads(gj.read_text("utf-8"))
    table = pd.read_csv(csv, keep_default_na=False)
    assert doc["name"] == "sided" and len(doc["features"]) == len(table) == 3
    for feat, (_, row) in zip(doc["features"], table.iterrows(), strict=True):
        assert list(feat["properties"]) == list(table.columns)
        assert feat["properties"]["zone_side"] == row["zone_side"]
        assert feat["properties"]["near_line"] == bool(row["near_line"])
        assert feat["geometry"]["coordinates"] == [row["lon"], row["lat"]]
    assert [f["properties"]["zone_side"] for f in doc["features"]] == ["west", "east", ""]


def test_archive_build_writes_its_folder_through_the_one_writer(tmp_path: Path):
    from geoevents.store import archive
    from geoevents.store.core import StoreError

    out = tmp_path / "arch"
    first = archive.build([ACLED], out)
    assert first.rows_out > 0 and (out / "archive.json").is_file()
    with pytest.raises(StoreError, match=r"arch: exists already \(use --overwrite"):
        archive.build([ACLED], out)
    (out / "stale.txt").write_text("from an earlier build")
    again = archive.build([ACLED], out, overwrite=True)
    assert again.rows_out == first.rows_out and not (out / "stale.txt").exists()
    inside = out / "in.csv"
    shutil.copyfile(ACLED, inside)
    with pytest.raises(StoreError, match="an input of this command"):
        archive.build([inside], out, overwrite=True)
    assert inside.is_file() and _leftovers(tmp_path) == []
