"""A one-page HTML briefing: the interactive map (in a sandboxed frame), the static image (for
print and for readers without scripts), a table of incidents with dates, places, casualties and
sources, the control lines, and the attribution.  Self-contained: no file beside it, no request.
"""

from __future__ import annotations

import base64
import html
from typing import Any

from . import style
from .basemap import Basemap

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif;
  margin: 0 auto; max-width: 1200px; padding: 16px 20px 40px; color: #1a1a1a; font-size: 14px; }
h1 { font-size: 22px; margin: 0 0 2px; }
h2 { font-size: 17px; margin: 22px 0 6px; border-bottom: 1px solid #ddd; padding-bottom: 3px; }
.sub { color: #555; margin: 0 0 12px; }
.static img { max-width: 100%; height: auto; border: 1px solid #ccc; }
table.incidents { border-collapse: collapse; width: 100%; font-size: 12.5px; }
table.incidents th { text-align: left; background: #f2f2f2; border-bottom: 2px solid #ccc;
  padding: 4px 6px; position: sticky; top: 0; }
table.incidents td { border-bottom: 1px solid #e3e3e3; padding: 4px 6px; vertical-align: top; }
td.date { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.approx { color: #8a4b00; font-weight: 600; }
.muted { color: #666; }
.quote { font-style: italic; color: #444; }
.type { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
  margin-right: 4px; vertical-align: baseline; }
ul.cas, ol.src { margin: 0; padding-left: 16px; }
.more { color: #8a4b00; font-weight: 600; }
footer { margin-top: 24px; color: #555; font-size: 12px; }
@media print {
  .interactive { display: none; }
  body { max-width: none; padding: 0; }
  table.incidents th { position: static; }
}
"""


def _e(v: Any) -> str:
    return html.escape("" if v is None else str(v), quote=True)


def _safe_url(u: str) -> str | None:
    u = (u or "").strip()
    return u if u.lower().startswith(("http://", "https://")) and not any(
        c.isspace() for c in u) else None


def _fig(v: Any) -> str:
    return "–" if v is None else str(v)


def incidents_table(doc: dict[str, Any], max_rows: int | None = None) -> str:
    """The incidents as an HTML table (every report string escaped), in date order; with
    ``max_rows``, the first ones and a line saying how many more the map holds."""
    from .html import record

    inc, S, types = doc["inc"], doc["S"], doc["types"]

    def s(i: int | None) -> str:
        return "" if i is None else S[i]

    order = sorted(range(len(inc["id"])),
                   key=lambda i: (inc["d0"][i] if inc["d0"][i] is not None else 10**9,
                                  inc["id"][i]))
    rows = []
    more = 0
    if max_rows is not None and len(order) > max_rows:
        more = len(order) - max_rows
        order = order[:max_rows]
    for i in order:
        x, t, p = record(doc, i), types[inc["t"][i]], inc["p"][i]
        date = _e(x["ds"]) if x["ds"] == (x["de"] or x["ds"]) else f"{_e(x['ds'])}<br>to {_e(x['de'])}"
        prec = style.PRECISION_LABEL.get(p, f"geo_precision {p}")
        place = (f"<b>{_e(s(x['pr']) or x['pl'])}</b>"
                 + (f"<br><span class='muted'>as written: “{_e(x['pl'])}”</span>"
                    if x["pl"] else "")
                 + f"<br><span class='{'approx' if p >= 2 else 'muted'}'>{_e(prec)}</span>")
        actors = " vs ".join(_e(a) for a in (s(x["a"][0]), s(x["a"][1])) if a)
        if s(x["a"][2]):
            actors += f"<br><span class='muted'>with {_e(s(x['a'][2]))}</span>"
        cas = "".join(
            f"<li>{_e(s(c[0]) or '?')} {_e(s(c[1]))}: {_fig(c[3])} "
            f"<span class='muted'>({_fig(c[2])}–{_fig(c[4])}) per {_e(s(c[5]) or '?')}</span>"
            + (f"<br><span class='quote'>“{_e(c[6])}”</span>" if c[6] else "") + "</li>"
            for c in x["cas"])
        claims = "".join(
            f"<li><b>{_e(s(c[0]) or 'Someone')}</b> claims: {_e(c[1])}"
            + (f"; not confirmed by {_e(', '.join(s(v) for v in c[3]))}" if c[3] else "")
            + (f"; confirmed by {_e(', '.join(s(v) for v in c[2]))}" if c[2] else "") + "</li>"
            for c in x["cl"])
        srcs = []
        for o, u, pub, q in x["src"]:
            url = _safe_url(s(u))
            name = _e(s(o) or "(unnamed source)")
            head = (f"<a href='{_e(url)}' rel='noopener noreferrer'>{name}</a>" if url
                    else f"<b>{name}</b>")
            srcs.append(f"<li>{head}" + (f" <span class='muted'>({_e(pub)})</span>" if pub else "")
                        + (f"<br><span class='quote'>“{_e(q)}”</span>" if q else "") + "</li>")
        side = ""
        if x.get("z"):
            z = x["z"]
            if z[5]:
                side = "<br><span class='approx'>near the control line: side not assigned</span>"
            elif s(z[0]):
                side = f"<br><span class='muted'>in the {_e(s(z[0]))} zone</span>"
        fat = (f"{_fig(x['fb'])}<br><span class='muted'>({_fig(x['fl'])}–{_fig(x['fh'])})</span>"
               if x["fb"] is not None or x["fl"] is not None else "–")
        rows.append(
            f"<tr data-incident='{_e(inc['id'][i])}'><td class='date'>{date}"
            f"<br><span class='muted'>{_e(s(x['dp']))}</span></td>"
            f"<td>{place}{side}</td>"
            f"<td><span class='type' style='background:{_e(t['color'])}'></span>{_e(t['name'])}"
            + (f"<br><span class='muted'>{_e(s(x['st']))}</span>" if s(x["st"]) else "")
            + f"</td><td>{actors}</td><td class='num'>{fat}</td>"
            f"<td>{'<ul class=cas>' + cas + '</ul>' if cas else ''}"
            f"{'<ul class=cas>' + claims + '</ul>' if claims else ''}</td>"
            f"<td><ol class='src'>{''.join(srcs)}</ol></td></tr>")
    note = (f"<p class='more'>The table lists the first {len(order):,} incidents by date; "
            f"{more:,} more are on the map (and in the exports).</p>\n" if more else "")
    return (note + "<table class='incidents'><thead><tr><th>Date</th><th>Place</th>"
            "<th>Event</th><th>Actors</th><th>Killed (best, low–high)</th><th>Casualties and "
            "claims by source</th><th>Sources</th></tr></thead><tbody>\n" + "\n".join(rows)
            + "\n</tbody></table>")


def render_brief(incidents: Any, lines: Any = None, zones: Any = None, *,
                 basemap: Basemap | None = None, title: str = "Incident briefing",
                 subtitle: str | None = None, attribution: tuple[str, ...] | list[str] = (),
                 tiles: str | None = None, png: bytes | None = None,
                 map_html: str | None = None, max_rows: int = 2000) -> str:
    """The briefing page.  ``png``/``map_html`` reuse images already rendered (else they are
    made here); the table lists at most ``max_rows`` incidents (and says how many more the map
    holds)."""
    from .html import build_document, render_fragment, render_html
    from .image import render_static

    doc = build_document(incidents, lines, zones, basemap=basemap, title=title,
                         subtitle=subtitle, attribution=attribution)
    if map_html is None:
        map_html = render_html(incidents, lines, zones, basemap=basemap, title=title,
                               subtitle=subtitle, attribution=attribution, tiles=tiles)
    if png is None:
        png = render_static(incidents, lines, zones, basemap=basemap, title=title,
                            subtitle=subtitle, attribution=attribution)
    img = base64.b64encode(png).decode("ascii")
    line_items = "".join(
        f"<li><b>{_e(ln['name'] or ln['id'])}</b>: left bank ({_e(ln['side_left'] or '?')}) "
        f"{_e(ln['party_left'] or '?')}, right bank ({_e(ln['side_right'] or '?')}) "
        f"{_e(ln['party_right'] or '?')}; valid {_e(ln['valid_from'] or '…')} to "
        f"{_e(ln['valid_to'] or '…')}</li>" for ln in doc["lines"])
    parts = [
        "<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        f"<header><h1>{_e(title)}</h1><p class='sub'>{_e(doc['subtitle'])}</p></header>\n",
        "<section class='interactive'><h2>Interactive map</h2>\n",
        render_fragment(map_html, title=title, height="560px"),
        "</section>\n<section class='static'><h2>Map</h2>\n",
        f"<img alt='{_e('Static map: ' + title)}' src='data:image/png;base64,{img}'>\n</section>\n",
        f"<section><h2>Incidents ({len(doc['inc']['id'])})</h2>\n{incidents_table(doc, max_rows)}\n</section>\n",
    ]
    if line_items:
        parts.append(f"<section><h2>Control lines</h2><ul>{line_items}</ul></section>\n")
    parts.append("<footer>" + " · ".join(_e(a) for a in doc["attribution"]) + "</footer>\n"
                 "</body>\n</html>\n")
    return "".join(parts)
