"""Screenshot of a geoevents map page in headless Chromium (offline: every request that is not
for a file is blocked), optionally with one incident's popup open.  Used for README images.

    python docs/screenshot.py map.html docs/map.png [--popup INCIDENT_ID] [--width 1280 --height 800]
"""

from __future__ import annotations

import argparse
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("page", type=Path)
    ap.add_argument("png", type=Path)
    ap.add_argument("--popup", metavar="ID", help="open this incident's popup first")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=800)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium,
                                    args=["--no-sandbox", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        blocked: list[str] = []

        def route(r) -> None:
            if r.request.url.startswith(("file:", "data:", "about:")):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(args.page.resolve().as_uri())
        page.wait_for_function("window.geoevents && window.geoevents.ready === true")
        if args.popup and not page.evaluate("id => geoevents.openPopup(id)", args.popup):
            raise SystemExit(f"no incident {args.popup} on the map")
        page.wait_for_timeout(600)
        args.png.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.png))
        browser.close()
    if blocked:
        print(f"blocked {len(blocked)} request(s): {blocked[:3]}")


if __name__ == "__main__":
    main()
