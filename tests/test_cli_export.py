"""``geoevents export`` end to end: inputs in, files out, and refusals with clear messages."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.frames import incidents_frame

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    """The seed incidents as a GeoJSON and a CSV in our layout, three each."""
    inc = incidents_frame()
    a, b = tmp_path / "in" / "a.geojson", tmp_path / "in" / "b.csv"
    a.parent.mkdir()
    inc.iloc[:3].to_file(a, driver="GeoJSON", engine="pyogrio")
    inc.iloc[3:].drop(columns="geometry").to_csv(b, index=False)
    return a, b


@pytest.mark.parametrize("name", ["out.gpkg", "out.geojson", "out.kml", "out.csv"])
def test_export_each_format(cli, inputs, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    proc = cli("export", *map(str, inputs), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert f"geoevents export: wrote {out}" in proc.stderr and "7 incidents" in proc.stderr
    assert out.stat().st_size > 0
    if name == "out.gpkg":
        db = sqlite3.connect(out)
        ids = [r[0] for r in db.execute("SELECT id FROM incidents ORDER BY fid")]
        assert ids == incidents_frame()["id"].tolist()  # inputs in order, nothing dropped
        assert db.execute("SELECT count(*) FROM sources").fetchone()[0] == 10
    if name == "out.geojson":
        assert (tmp_path / "out.qml").read_text("utf-8").startswith("<!DOCTYPE qgis")
        doc = json.loads(out.read_text("utf-8"))
        assert len(doc["features"]) == 7


def test_format_option_and_overwrite(cli, inputs, tmp_path: Path) -> None:
    out = tmp_path / "data.json"
    assert cli("export", str(inputs[0]), "-o", str(out), "--format", "geojson").returncode == 0
    again = cli("export", str(inputs[0]), "-o", str(out))
    assert again.returncode == 2
    assert "exists already (use --overwrite to replace it)" in again.stderr
    assert "Traceback" not in again.stderr
    assert cli("export", str(inputs[0]), "-o", str(out), "--overwrite").returncode == 0


@pytest.mark.parametrize("args,message", [
    (["-o", "{tmp}/x.shp"], "does not write '.shp' files (cannot tell the format); give the "
                            "output one of the extensions .gpkg, .geojson/.json, .kml, .csv"),
    (["-o", "{tmp}/missing/x.gpkg"], "the folder {tmp}/missing does not exist"),
    (["-o", "{tmp}/x.gpkg", "--format", "kml"], "a kml file must end in .kml"),
    (["-o", "{tmp}/x.gpkg", "--format", "shp"], "invalid choice: 'shp'"),
])
def test_refusals_are_clear_and_leave_nothing(cli, inputs, tmp_path: Path, args: list[str],
                                              message: str) -> None:
    out_dir = tmp_path / "o"
    out_dir.mkdir()
    args = [a.format(tmp=out_dir) for a in args]
    proc = cli("export", str(inputs[0]), *args)
    assert proc.returncode == 2
    assert message.format(tmp=out_dir) in proc.stderr
    assert "Traceback" not in proc.stderr
    assert list(out_dir.iterdir()) == []


def test_a_bad_row_in_an_input_is_reported_and_the_rest_exported(cli, tmp_path: Path) -> None:
    inc = incidents_frame().drop(columns="geometry").astype({"fatalities_best": object})
    inc.loc[1, "fatalities_best"] = "dozens"
    src = tmp_path / "bad.csv"
    inc.to_csv(src, index=False)
    out = tmp_path / "x.gpkg"
    proc = cli("export", str(src), "-o", str(out))
    assert proc.returncode == 1
    assert (f"not exported: {src}:3 [fatalities_best]: fatalities_best 'dozens' is not a "
            "number") in proc.stderr
    assert "1 rejected: see " in proc.stderr
    assert "Traceback" not in proc.stderr
    ids = [r[0] for r in sqlite3.connect(out).execute("SELECT id FROM incidents")]
    assert len(ids) == 6 and "inc-homs-desert" not in ids


def _run(command: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GEOEVENTS_HOME": str(home)}
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=120, check=False)


def test_folder_without_write_permission_is_refused(inputs) -> None:
    """As an unprivileged user (root may write anywhere): a clear message, nothing written."""
    base = Path(tempfile.mkdtemp(prefix="geoevents-ro-"))  # readable by everyone
    try:
        base.chmod(0o755)
        source = base / inputs[0].name
        shutil.copy(inputs[0], source)
        source.chmod(0o644)
        folder = base / "ro"
        folder.mkdir()
        folder.chmod(0o555)
        python = [sys.executable]
        if os.geteuid() == 0:
            setpriv = shutil.which("setpriv")
            if not setpriv:
                pytest.skip("running as root without setpriv to drop privileges")
            python = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
                      sys.executable]
            # what the export imports (the command line alone loads no library: it would
            # pass where pandas cannot be read)
            probe = _run([*python, "-c", "import geoevents.cli, pandas, pyarrow, pyogrio"],
                         base, base / "home")
            if probe.returncode != 0:
                pytest.skip("user 'nobody' cannot read this checkout or its Python; the "
                            "read-only file system test covers refusals")
        proc = _run([*python, "-m", "geoevents", "export", str(source), "-o",
                     str(folder / "x.gpkg")], base, base / "home")
        assert proc.returncode == 2, proc.stderr
        assert f"cannot write in the folder {folder}: permission denied" in proc.stderr
        assert "Traceback" not in proc.stderr
        assert list(folder.iterdir()) == []
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_read_only_file_system_is_refused(inputs, tmp_path: Path) -> None:
    """A folder on a read-only mount (a read-only bind mount in a private mount namespace)."""
    unshare = shutil.which("unshare")
    if not unshare:
        pytest.skip("unshare (util-linux) is not installed")
    folder = tmp_path / "mounted"
    folder.mkdir()
    setup = (f'mount --bind "{folder}" "{folder}" && '
             f'mount -o remount,bind,ro "{folder}" && exec "$@"')
    probe = _run([unshare, "-rm", "sh", "-c", setup, "sh", "true"], tmp_path, tmp_path)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a read-only mount here: {probe.stderr.strip()[:200]}")
    proc = _run([unshare, "-rm", "sh", "-c", setup, "sh", sys.executable, "-m", "geoevents",
                 "export", str(inputs[0]), "-o", str(folder / "x.geojson")], tmp_path,
                tmp_path / "home")
    assert proc.returncode == 2, proc.stderr
    assert f"cannot write in the folder {folder}: read-only file system" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert list(folder.iterdir()) == []


def test_help_lists_export(cli) -> None:
    proc = cli("--help")
    assert "export" in proc.stdout
    proc = cli("export", "--help")
    assert proc.returncode == 0
    assert "--overwrite" in proc.stdout and ".gpkg" in proc.stdout


def test_export_with_control_lines(cli, ne_levant: Path, inputs, tmp_path: Path) -> None:
    """--lines builds the worked example (real Euphrates from Natural Earth) and the export
    carries the line, its zones and each incident's side, styled by party."""
    spec = ROOT / "data" / "lines" / "deir-ez-zor-2018.yaml"
    out = tmp_path / "dz.gpkg"
    proc = cli("export", *map(str, inputs), "--lines", str(spec), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "7 incidents, 10 sources, 1 control lines, 2 zones" in proc.stderr
    db = sqlite3.connect(out)
    assert db.execute("SELECT id, party_left, party_right FROM control_lines").fetchall() == [
        ("deir-ez-zor-2018", "SDF and US-led coalition", "Syrian government and Russia")]
    cols = {r[1]: r[2] for r in db.execute("PRAGMA table_info(control_lines)")}
    assert cols["valid_from"] == "DATE" and cols["length_km"] == "REAL"
    zones = db.execute("SELECT party, bank, side FROM zones ORDER BY fid").fetchall()
    assert zones == [("SDF and US-led coalition", "left", "east"),
                     ("Syrian government and Russia", "right", "west")]
    inc_cols = {r[1]: r[2] for r in db.execute("PRAGMA table_info(incidents)")}
    assert inc_cols["zone_party"] == "TEXT" and inc_cols["near_line"] == "BOOLEAN"
    qml = dict(db.execute("SELECT f_table_name, styleQML FROM layer_styles"))
    assert 'value="deir-ez-zor-2018"' in qml["control_lines"]
    assert 'value="Syrian government and Russia"' in qml["zones"]
    # GeoJSON: the two companion layers, each with its style.
    gj = tmp_path / "dz.geojson"
    assert cli("export", *map(str, inputs), "--lines", str(spec), "-o", str(gj)).returncode == 0
    zones_doc = json.loads((tmp_path / "dz.zones.geojson").read_text("utf-8"))
    assert [f["properties"]["side"] for f in zones_doc["features"]] == ["east", "west"]
    assert (tmp_path / "dz.control_lines.qml").exists()


def test_items_not_placed_are_listed_and_exit_1(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path, capsys) -> None:
    """Incidents that could not be placed are reported with their reason; the rest is written
    and the exit status says the export is partial."""
    from geoevents import cli, pipeline

    def fake_load_frames(inputs, **kwargs):
        return pipeline.Frames(incidents=incidents_frame(), rejections=[
            pipeline.Rejection(file="reports.csv", line=7, field="place",
                               reason="'Tall Abyad al-Gharbi' not found in the gazetteer")])

    monkeypatch.setattr(pipeline, "load_frames", fake_load_frames)
    out = tmp_path / "part.gpkg"
    code = cli.main(["export", "reports.csv", "-o", str(out)])
    captured = capsys.readouterr()
    assert code == 1
    assert ("not exported: reports.csv:7 [place]: 'Tall Abyad al-Gharbi' not found in the "
            "gazetteer") in captured.err
    assert "1 rejected: see " in captured.err
    assert "7 incidents" in captured.err and out.exists()


def test_acled_layout_from_the_command_line(cli, tmp_path: Path) -> None:
    src = ROOT / "tests" / "data" / "tables" / "acled_sample.csv"
    out = tmp_path / "acled.csv"
    proc = cli("export", str(src), "-o", str(out), "--format", "acled-csv")
    assert proc.returncode == 1  # the sample's three broken rows are listed, not exported
    assert proc.stderr.count("not exported:") == 3
    header = out.read_text("utf-8").splitlines()[0]
    assert header.startswith('"event_id_cnty","event_date","year","time_precision"')
    assert len(out.read_text("utf-8").splitlines()) == 4


def test_exported_control_lines_map_again(cli, ne_levant: Path, inputs, tmp_path: Path) -> None:
    """A file the tool writes is one the tool reads: the control_lines.geojson of an export
    (with its derived fields kind, side_left, side_right, length_km ...) is a --lines input of
    map and gives the same line with the same parties."""
    spec = ROOT / "data" / "lines" / "deir-ez-zor-2018.yaml"
    gj = tmp_path / "dz.geojson"
    proc = cli("export", *map(str, inputs), "--lines", str(spec), "-o", str(gj))
    assert proc.returncode == 0, proc.stderr
    exported = tmp_path / "dz.control_lines.geojson"
    first = json.loads(exported.read_text("utf-8"))["features"][0]
    assert {"kind", "side_left", "side_right"} <= set(first["properties"])
    page = tmp_path / "again.html"
    proc = cli("map", str(inputs[0]), "--lines", str(exported), "-o", str(page))
    assert proc.returncode == 0, proc.stderr
    html = page.read_text("utf-8")
    assert "SDF and US-led coalition" in html and "Syrian government and Russia" in html
    # and export again from it: the same line, same parties
    gj2 = tmp_path / "again.geojson"
    proc = cli("export", str(inputs[0]), "--lines", str(exported), "-o", str(gj2))
    assert proc.returncode == 0, proc.stderr
    again = json.loads((tmp_path / "again.control_lines.geojson").read_text("utf-8"))
    props = again["features"][0]["properties"]
    assert (props["id"], props["party_left"], props["party_right"]) == (
        first["properties"]["id"], first["properties"]["party_left"],
        first["properties"]["party_right"])
