"""Headless Chromium through Playwright, as a person would use a page: every request that is
not for a file: (or data:) address is blocked and recorded, console errors are collected.

Skips when Chromium or Playwright is missing, unless GEOEVENTS_REQUIRE_TOOLS=1 (CI), where the
absence is a failure."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"


def need_browser() -> None:
    missing = None
    if not Path(CHROMIUM).is_file() and not shutil.which("chromium"):
        missing = f"Chromium not found at {CHROMIUM}"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "the Python package playwright is not installed (pip install '.[test]')"
    if missing:
        if os.environ.get("GEOEVENTS_REQUIRE_TOOLS") == "1":
            pytest.fail(f"{missing} (GEOEVENTS_REQUIRE_TOOLS=1)")
        pytest.skip(missing)


@dataclass
class Page:
    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, path: Path, *, ready: bool = True, timeout: float = 30_000) -> None:
        self.page.goto(path.resolve().as_uri())
        if ready:
            self.page.wait_for_function("window.geoevents && window.geoevents.ready === true",
                                        timeout=timeout)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.page, name)


# One Playwright and one browser for the whole run: the fixtures below are imported into several
# test modules, and a second sync_playwright() in one process fails ("Sync API inside the
# asyncio loop").  Closed when the interpreter exits.
_SHARED: dict[str, Any] = {}


def _browser() -> Any:
    if "browser" not in _SHARED:
        import atexit

        from playwright.sync_api import sync_playwright

        pw = sync_playwright().start()
        _SHARED["pw"] = pw
        _SHARED["browser"] = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])

        def close() -> None:
            try:
                _SHARED["browser"].close()
            finally:
                pw.stop()

        atexit.register(close)
    return _SHARED["browser"]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    need_browser()
    yield _browser()


@pytest.fixture
def page(chromium: Any) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    pg = Page(context.new_page())

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:
            pg.requests.append(url)
            r.abort()

    context.route("**/*", route)
    pg.page.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.page.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()


def pixel_variety(png: bytes) -> int:
    """How many distinct colours a screenshot has (a blank page has one or two)."""
    import io

    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB").resize((320, 200))
    return len(img.getcolors(320 * 200) or [])
