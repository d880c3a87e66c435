"""Interactive maps at scale: geoevents' map against the plain folium approach (one
``folium.Marker`` with a ``folium.Popup`` per incident), at 1,000 / 10,000 / 100,000 incidents.

For each size and approach it reports the build time (frame -> HTML string), the file size and
the browser load time (headless Chromium: from navigation to the page drawn, i.e. the load event,
the map's own ready flag for geoevents, and two animation frames), and the ratios plain/ours.
The plain page loads Leaflet and jQuery from CDN addresses; here those requests are answered
from the XStatic packages (so it can draw offline at all) and its other CDN files (Bootstrap,
Font Awesome) are answered empty.  Goals (issue 6): 100,000 incidents build in < 10 s, file
< 20 MB, page usable in < 8 s.

    python bench/map_scale.py                 # 1k, 10k, 100k (plain 100k takes minutes)
    python bench/map_scale.py --sizes 1000 10000 --skip-plain-over 20000

The plain page's Leaflet and jQuery come from XStatic-Leaflet and XStatic-jQuery (``pip install
XStatic-jQuery``; geoevents itself does not need jQuery).

Synthetic incidents: tests/mapdata.py ``synthetic_rows`` (Syria/Iraq, 2017-2019, one or two
sources each with a URL and a quoted sentence).
"""

from __future__ import annotations

import argparse
import html
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LOAD_TIMEOUT_S = 180


def build_ours(frame) -> str:
    import maps

    return maps.render_html(frame, title="Benchmark")


def build_plain(frame) -> str:
    """What one would write with folium alone: a Marker and an escaped HTML popup each."""
    import json

    import folium

    m = folium.Map(location=[35, 40], zoom_start=6)
    for row in frame.itertuples(index=False):
        srcs = json.loads(row.sources_json)
        text = (f"<b>{html.escape(row.place_resolved)}</b><br>{html.escape(row.date_start)}"
                f"<br>{html.escape(row.event_type)}<br>fatalities: {row.fatalities_best}<br>"
                + "<br>".join(f"<a href='{html.escape(s['url'])}'>{html.escape(s['outlet'])}</a>"
                              f": {html.escape(s['quote'])}" for s in srcs))
        folium.Marker([row.lat, row.lon], popup=folium.Popup(text, max_width=300)).add_to(m)
    return m.get_root().render()


def load_time(browser, path: Path, ours: bool) -> float | None:
    """Seconds from navigation to a drawn page, or None past LOAD_TIMEOUT_S."""
    import xstatic.pkg.leaflet as xl

    local = {
        "leaflet.js": Path(xl.BASE_DIR) / "leaflet.js",
        "leaflet.css": Path(xl.BASE_DIR) / "leaflet.css",
    }
    try:  # folium's popups need jQuery: pip install XStatic-jQuery
        import xstatic.pkg.jquery as xj

        local["jquery-3.7.1.min.js"] = Path(xj.BASE_DIR) / "jquery.min.js"
    except ImportError:
        print("    (XStatic-jQuery not installed: the plain page's popups will not work)",
              file=sys.stderr)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()

    def route(r) -> None:
        url = r.request.url
        if url.startswith("file:"):
            r.continue_()
            return
        name = url.rsplit("/", 1)[-1]
        if name in local:
            r.fulfill(path=str(local[name]))
        elif "/images/" in url and (Path(xl.BASE_DIR) / "images" / name).is_file():
            r.fulfill(path=str(Path(xl.BASE_DIR) / "images" / name))
        else:
            r.fulfill(body="", status=200)

    context.route("**/*", route)
    t = time.perf_counter()
    try:
        page.goto(path.as_uri(), wait_until="load", timeout=LOAD_TIMEOUT_S * 1000)
        if ours:
            page.wait_for_function("window.geoevents && window.geoevents.ready === true",
                                   timeout=LOAD_TIMEOUT_S * 1000, polling=50)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                      "requestAnimationFrame(r)))")
        took = time.perf_counter() - t
        if ours:  # the page's own steps (ms from navigation): data read, markers, drawn, details
            page.wait_for_function("window.geoevents.detailsReady === true", timeout=60000)
            steps = page.evaluate("() => window.geoevents.timings")
            print("    page steps (ms): " + ", ".join(f"{k} {v:.0f}" for k, v in steps.items()
                                                      if isinstance(v, int | float)),
                  file=sys.stderr)
        return took
    except Exception as exc:  # the plain page at 100k may not finish in time
        print(f"    ({'ours' if ours else 'plain'} load stopped: {type(exc).__name__})",
              file=sys.stderr)
        return None
    finally:
        context.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--skip-plain-over", type=int, default=10**9,
                    help="do not build the plain map above this many incidents")
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()

    from tests import mapdata

    browser = None
    pw = None
    if not args.no_browser:
        from playwright.sync_api import sync_playwright

        pw = sync_playwright().start()
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"])
    out = Path(tempfile.mkdtemp(prefix="geoevents-bench-"))
    rows_out = []
    for n in args.sizes:
        frame = mapdata.incidents_frame(mapdata.synthetic_rows(n))
        res: dict[str, dict[str, float | None]] = {}
        for name, build in (("ours", build_ours), ("plain", build_plain)):
            if name == "plain" and n > args.skip_plain_over:
                continue
            t = time.perf_counter()
            page = build(frame)
            bt = time.perf_counter() - t
            path = out / f"{name}-{n}.html"
            path.write_text(page, encoding="utf-8")
            size = path.stat().st_size / 1e6
            lt = load_time(browser, path, name == "ours") if browser else None
            res[name] = {"build": bt, "size": size, "load": lt}
            print(f"{n:>7} {name:<5} build {bt:6.2f} s  file {size:7.2f} MB  load "
                  + (f"{lt:6.2f} s" if lt is not None else "   n/a"), flush=True)
        rows_out.append((n, res))

    def ratio(a: float | None, b: float | None) -> str:
        return f"{a / b:6.1f}x" if a is not None and b else "    n/a"

    print("\nincidents | build ours | build plain | ratio | file ours | file plain | ratio | "
          "load ours | load plain | ratio")
    for n, res in rows_out:
        o, p = res["ours"], res.get("plain", {"build": None, "size": None, "load": None})

        def f(v: float | None, unit: str) -> str:
            return f"{v:.2f} {unit}" if v is not None else "n/a"

        print(f"{n:>9} | {f(o['build'], 's'):>10} | {f(p['build'], 's'):>11} | "
              f"{ratio(p['build'], o['build'])} | {f(o['size'], 'MB'):>9} | "
              f"{f(p['size'], 'MB'):>10} | {ratio(p['size'], o['size'])} | "
              f"{f(o['load'], 's'):>9} | {f(p['load'], 's'):>10} | {ratio(p['load'], o['load'])}")
    if browser:
        browser.close()
        pw.stop()
    print(f"\npages kept in {out}")


if __name__ == "__main__":
    main()
