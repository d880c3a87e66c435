"""Shared fixtures: the reference data folder (../shared), a gazetteer index built once per
session in a private GEOEVENTS_HOME, and a runner for the command line in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _find_shared() -> Path:
    env = os.environ.get("GEOEVENTS_SHARED")
    if env:
        return Path(env)
    for base in ROOT.parents:
        if (base / "shared" / "seeds" / "meta.yaml").is_file():
            return base / "shared"
    return ROOT.parent / "shared"


SHARED = _find_shared()


def run_slow_tests(config: pytest.Config) -> bool:
    """Tests marked ``slow`` (index rebuilds, long runs) run in CI -- ``CI`` or
    ``GEOEVENTS_REQUIRE_TOOLS`` set, as .ci/run does -- or with ``GEOEVENTS_SLOW_TESTS=1``, or
    when ``-m`` selects by marker; a plain ``python -m pytest`` on a laptop leaves them out."""
    truthy = ("1", "true", "yes")
    env = os.environ
    return (env.get("GEOEVENTS_SLOW_TESTS", "").lower() in truthy
            or env.get("CI", "").lower() in truthy
            or env.get("GEOEVENTS_REQUIRE_TOOLS", "") == "1"
            or bool(config.getoption("markexpr", "")))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if run_slow_tests(config):
        return
    slow = [i for i in items if i.get_closest_marker("slow") is not None]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [i for i in items if i.get_closest_marker("slow") is None]


def pytest_report_header(config: pytest.Config) -> str:
    return ("slow tests: run" if run_slow_tests(config) else
            "slow tests: left out (GEOEVENTS_SLOW_TESTS=1 or CI=true runs them)")


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "seeds" / "meta.yaml").is_file():
        pytest.fail(f"reference data not found at {SHARED} (set GEOEVENTS_SHARED)")
    return SHARED

@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private GEOEVENTS_HOME for tests that install (the session's is left alone)."""
    from gazetteer import naturalearth

    h = tmp_path / "home"
    monkeypatch.setenv("GEOEVENTS_HOME", str(h))
    monkeypatch.delenv(naturalearth.BASE_URL_ENV, raising=False)
    return h


@pytest.fixture
def levant_dir(tmp_path: Path, shared: Path) -> Path:
    """Natural Earth's Levant extracts of ../shared under their full layers' names."""
    d = tmp_path / "ne"
    d.mkdir()
    for f in (shared / "naturalearth").glob("*_levant.geojson"):
        (d / f.name.replace("_levant", "")).symlink_to(f)
    return d


@pytest.fixture(scope="session")
def geo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """GEOEVENTS_HOME for the whole session.  GEOEVENTS_TEST_HOME reuses one across runs (the
    index is rebuilt whenever its stamp is stale, so reuse is safe)."""
    reuse = os.environ.get("GEOEVENTS_TEST_HOME")
    home = Path(reuse) if reuse else tmp_path_factory.mktemp("geoevents-home")
    home.mkdir(parents=True, exist_ok=True)
    os.environ["GEOEVENTS_HOME"] = str(home)
    os.environ.pop("GEOEVENTS_INDEX", None)
    os.environ.pop("GEOEVENTS_CONFIG", None)
    return home


@pytest.fixture(scope="session")
def gz(geo_home: Path, ne_levant: Path):
    """The session's gazetteer.  Natural Earth is installed first (as a user's first command
    does), so the index is built once per session, not once without and again with it."""
    from gazetteer import Gazetteer

    g = Gazetteer(verbose=False)
    yield g
    g.close()


@pytest.fixture(scope="session")
def cli(request: pytest.FixtureRequest, geo_home: Path, ne_levant: Path):
    """Run ``geoevents ARGS`` in a new process; returns CompletedProcess (text).  (Natural Earth
    is installed in the session's home first: one index build per session.)  On a plain run the
    process is forked from a server that has the heavy libraries imported already
    (tests/forkserver.py); CI and ``GEOEVENTS_TEST_FORK=0`` start a fresh interpreter each time."""
    server = None
    if os.environ.get("GEOEVENTS_TEST_FORK", "1") != "0" and not run_slow_tests(request.config) \
            and hasattr(os, "fork"):
        from .forkserver import ForkServer

        server = ForkServer(ROOT)

    def run(*args: str, input: str | bytes | None = None, env: dict | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess:
        e = {**os.environ, "GEOEVENTS_HOME": str(geo_home), "PYTHONPATH": str(ROOT),
             **(env or {})}
        if server is not None and server.usable(e):
            return server.run(list(args), env=e, cwd=ROOT, input=input, timeout=timeout)
        return subprocess.run(
            [sys.executable, "-m", "geoevents", *args], input=input, capture_output=True,
            text=not isinstance(input, bytes), env=e, timeout=timeout, cwd=ROOT,
        )

    yield run
    if server is not None:
        server.close()


@pytest.fixture(scope="session")
def ne_levant(geo_home: Path, shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Natural Earth installed into the session's GEOEVENTS_HOME the way a user would
    (``install_from_dir``), from the ``*_levant`` cuts in ../shared/naturalearth (named as the
    full files, through symlinks in a temporary folder).  Returns that folder."""
    from gazetteer import naturalearth

    folder = tmp_path_factory.mktemp("ne-levant")
    for f in sorted((shared / "naturalearth").glob("*_levant.geojson")):
        (folder / f.name.replace("_levant", "")).symlink_to(f)
    naturalearth.install_from_dir(folder)
    return folder
